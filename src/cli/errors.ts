import { ShipguardError } from '../kernel/index.js';

export type UsageErrorCode = 'USAGE_INVALID_OPTION' | 'USAGE_MISSING_ARGUMENT';

/** A mistake in how a command was called; exits 2. */
export class UsageError extends ShipguardError<UsageErrorCode> {}

/** Error codes that mean the user's input or configuration is wrong (exit 2), not an internal failure. */
const usageCodePrefixes = ['USAGE_', 'POLICY_', 'REPOSITORY_NOT_', 'STORE_INVALID_LOCATION'];

export function isUsageError(error: unknown): boolean {
  return error instanceof ShipguardError && usageCodePrefixes.some((prefix) => error.code.startsWith(prefix));
}
