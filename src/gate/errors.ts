import { ShipguardError } from '../kernel/errors.js';

export type GateErrorCode =
  /** An environment's time zone is not one the platform knows. */
  | 'GATE_INVALID_TIME_ZONE'
  /** A holiday or leave calendar that cannot be read or parsed. */
  | 'GATE_CALENDAR_INVALID'
  /** `--artifact` is neither a readable file nor `sha256:<64 hex>`. */
  | 'GATE_ARTIFACT_INVALID'
  /** The decision could not be written to the ledger (the decision is then a deny). */
  | 'GATE_LEDGER_WRITE_FAILED';

export class GateError extends ShipguardError<GateErrorCode> {}

export type ChangeErrorCode =
  | 'CHANGE_NOT_FOUND'
  | 'CHANGE_INVALID'
  /** A transition not allowed from the change's current status. */
  | 'CHANGE_INVALID_TRANSITION'
  /** An approval that separation of duties forbids (the author, or an author of the commits). */
  | 'CHANGE_SEPARATION_OF_DUTIES';

export class ChangeError extends ShipguardError<ChangeErrorCode> {}
