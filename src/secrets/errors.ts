import { ShipguardError } from '../kernel/index.js';

export type SecretsErrorCode =
  | 'SECRETS_CONFIG_INVALID'
  | 'SECRETS_CONFIG_UNREADABLE'
  | 'SECRETS_RULE_UNSUPPORTED_REGEX'
  | 'SECRETS_BASELINE_INVALID'
  | 'SECRETS_REPOSITORY_CORRUPT'
  | 'SECRETS_NOT_A_REPOSITORY'
  | 'SECRETS_REVISION_UNKNOWN'
  | 'SECRETS_HOOK_EXISTS'
  | 'SECRETS_WORKER_FAILED';

/** Errors of the secret scanner. Config and usage mistakes are mapped to exit 2 by the CLI. */
export class SecretsError extends ShipguardError<SecretsErrorCode> {}

/** Codes that are the user's to fix (exit 2), as opposed to environment failures (exit 3). */
export const secretsUsageCodes: ReadonlySet<SecretsErrorCode> = new Set([
  'SECRETS_CONFIG_INVALID',
  'SECRETS_CONFIG_UNREADABLE',
  'SECRETS_RULE_UNSUPPORTED_REGEX',
  'SECRETS_BASELINE_INVALID',
  'SECRETS_NOT_A_REPOSITORY',
  'SECRETS_REVISION_UNKNOWN',
  'SECRETS_HOOK_EXISTS',
]);
