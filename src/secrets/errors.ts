import { type ErrorKinds, errorWithKinds } from '../kernel/index.js';

export type SecretsErrorCode =
  | 'SECRETS_CONFIG_INVALID'
  | 'SECRETS_CONFIG_UNREADABLE'
  | 'SECRETS_RULE_UNSUPPORTED_REGEX'
  /** A configuration regex that could backtrack catastrophically in JavaScript. */
  | 'SECRETS_RULE_UNSAFE_REGEX'
  | 'SECRETS_BASELINE_INVALID'
  | 'SECRETS_REPOSITORY_CORRUPT'
  | 'SECRETS_NOT_A_REPOSITORY'
  | 'SECRETS_REVISION_UNKNOWN'
  | 'SECRETS_HOOK_EXISTS'
  | 'SECRETS_WORKER_FAILED';

/** The kind of each code, which decides the exit code. */
const secretsErrorKinds: ErrorKinds<SecretsErrorCode> = {
  SECRETS_CONFIG_INVALID: 'config',
  SECRETS_CONFIG_UNREADABLE: 'config',
  SECRETS_RULE_UNSUPPORTED_REGEX: 'config',
  SECRETS_RULE_UNSAFE_REGEX: 'config',
  SECRETS_BASELINE_INVALID: 'config',
  SECRETS_REPOSITORY_CORRUPT: 'internal',
  SECRETS_NOT_A_REPOSITORY: 'usage',
  SECRETS_REVISION_UNKNOWN: 'usage',
  SECRETS_HOOK_EXISTS: 'usage',
  SECRETS_WORKER_FAILED: 'internal',
};

/** Errors of the secret scanner. Config and usage mistakes exit 2. */
export class SecretsError extends errorWithKinds(secretsErrorKinds) {}
