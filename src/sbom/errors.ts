import { type ErrorKinds, errorWithKinds } from '../kernel/index.js';

export type SbomErrorCode = 'SBOM_MALFORMED' | 'SBOM_UNSUPPORTED' | 'SBOM_TOO_LARGE';

/** The kind of each code, which decides the exit code. */
const sbomErrorKinds: ErrorKinds<SbomErrorCode> = {
  SBOM_MALFORMED: 'usage',
  SBOM_UNSUPPORTED: 'usage',
  SBOM_TOO_LARGE: 'usage',
};

/** An SBOM given to shipguard that cannot be read. */
export class SbomError extends errorWithKinds(sbomErrorKinds) {}
