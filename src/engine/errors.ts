import { type ErrorKind, type ErrorKinds, ShipguardError } from '../kernel/index.js';

export type EngineErrorCode =
  /** An audit period that is not `YYYY-MM-DD..YYYY-MM-DD`, or ends before it starts. */
  'USAGE_INVALID_PERIOD';

const engineErrorKinds: ErrorKinds<EngineErrorCode> = {
  USAGE_INVALID_PERIOD: 'usage',
};

export class EngineError extends ShipguardError<EngineErrorCode> {
  override get kind(): ErrorKind {
    return engineErrorKinds[this.code];
  }
}
