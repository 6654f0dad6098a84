import { type ErrorKind, type ErrorKinds, ShipguardError } from '../kernel/index.js';

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
