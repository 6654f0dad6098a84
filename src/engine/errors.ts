import { ShipguardError } from '../kernel/index.js';

/** Codes starting with USAGE_ exit 2: the user's input is wrong. */
export type EngineErrorCode = 'USAGE_INVALID_PERIOD';

export class EngineError extends ShipguardError<EngineErrorCode> {}
