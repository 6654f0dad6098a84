import { type ErrorKinds, errorWithKinds } from '../kernel/index.js';

export type UsageErrorCode = 'USAGE_INVALID_OPTION' | 'USAGE_MISSING_ARGUMENT';

/** The kind of each code, which decides the exit code. */
const usageErrorKinds: ErrorKinds<UsageErrorCode> = {
  USAGE_INVALID_OPTION: 'usage',
  USAGE_MISSING_ARGUMENT: 'usage',
};

/** A mistake in how a command was called; exits 2. */
export class UsageError extends errorWithKinds(usageErrorKinds) {}
