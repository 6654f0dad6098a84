import { type ErrorKind, type ErrorKinds, ShipguardError } from '../kernel/errors.js';

export type GateErrorCode =
  /** An environment's time zone is not one the platform knows. */
  | 'GATE_INVALID_TIME_ZONE'
  /** A holiday or leave calendar that cannot be read or parsed. */
  | 'GATE_CALENDAR_INVALID'
  /** `--artifact` is neither a readable file nor `sha256:<64 hex>`. */
  | 'GATE_ARTIFACT_INVALID'
  /** The decision could not be written to the ledger (the decision is then a deny). */
  | 'GATE_LEDGER_WRITE_FAILED';

/** The kind of each code, which decides the exit code. */
const gateErrorKinds: ErrorKinds<GateErrorCode> = {
  GATE_INVALID_TIME_ZONE: 'config',
  GATE_CALENDAR_INVALID: 'config',
  GATE_ARTIFACT_INVALID: 'usage',
  GATE_LEDGER_WRITE_FAILED: 'internal',
};

export class GateError extends ShipguardError<GateErrorCode> {
  override get kind(): ErrorKind {
    return gateErrorKinds[this.code];
  }
}

export type ChangeErrorCode =
  | 'CHANGE_NOT_FOUND'
  | 'CHANGE_INVALID'
  /** A transition not allowed from the change's current status. */
  | 'CHANGE_INVALID_TRANSITION'
  /** An approval that separation of duties forbids (the author, or an author of the commits). */
  | 'CHANGE_SEPARATION_OF_DUTIES';

/** The kind of each code, which decides the exit code. */
const changeErrorKinds: ErrorKinds<ChangeErrorCode> = {
  CHANGE_NOT_FOUND: 'rejected',
  CHANGE_INVALID: 'rejected',
  CHANGE_INVALID_TRANSITION: 'rejected',
  CHANGE_SEPARATION_OF_DUTIES: 'rejected',
};

export class ChangeError extends ShipguardError<ChangeErrorCode> {
  override get kind(): ErrorKind {
    return changeErrorKinds[this.code];
  }
}
