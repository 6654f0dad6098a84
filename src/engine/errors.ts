import { type ErrorKinds, errorWithKinds } from '../kernel/index.js';

export type EngineErrorCode =
  /** An audit period that is not `YYYY-MM-DD..YYYY-MM-DD`, or ends before it starts. */
  'USAGE_INVALID_PERIOD';

const engineErrorKinds: ErrorKinds<EngineErrorCode> = {
  USAGE_INVALID_PERIOD: 'usage',
};

/** Errors of the assessment engine: a period it cannot read is a usage error. */
export class EngineError extends errorWithKinds(engineErrorKinds) {}
