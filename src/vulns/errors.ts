import { errorOfKind } from '../kernel/index.js';

export type VulnsErrorCode = 'VEX_MALFORMED' | 'VEX_UNSUPPORTED' | 'VEX_TOO_LARGE';

/** A VEX document that cannot be read. */
export class VulnsError extends errorOfKind<VulnsErrorCode>('internal') {}
