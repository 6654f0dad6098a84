import { errorOfKind } from '../kernel/index.js';

export type SbomErrorCode = 'SBOM_MALFORMED' | 'SBOM_UNSUPPORTED' | 'SBOM_TOO_LARGE';

/** An SBOM given to shipguard that cannot be read. */
export class SbomError extends errorOfKind<SbomErrorCode>('usage') {}
