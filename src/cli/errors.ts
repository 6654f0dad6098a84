import { type ErrorKind, type ErrorKinds, ShipguardError } from '../kernel/index.js';

export type UsageErrorCode = 'USAGE_INVALID_OPTION' | 'USAGE_MISSING_ARGUMENT';

/** A mistake in how a command was called; exits 2. */
/** The kind of each code, which decides the exit code. */
const usageErrorKinds: ErrorKinds<UsageErrorCode> = {
  USAGE_INVALID_OPTION: 'usage',
  USAGE_MISSING_ARGUMENT: 'usage',
};

export class UsageError extends ShipguardError<UsageErrorCode> {
  override get kind(): ErrorKind {
    return usageErrorKinds[this.code];
  }
}
