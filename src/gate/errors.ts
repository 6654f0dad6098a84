import { ShipguardError } from '../kernel/index.js';

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
