import { type ErrorKind, type ErrorKinds, ShipguardError } from '../kernel/index.js';

export type SbomErrorCode = 'SBOM_MALFORMED' | 'SBOM_UNSUPPORTED' | 'SBOM_TOO_LARGE';

/** An SBOM given to shipguard that cannot be read. */
/** The kind of each code, which decides the exit code. */
const sbomErrorKinds: ErrorKinds<SbomErrorCode> = {
  SBOM_MALFORMED: 'usage',
  SBOM_UNSUPPORTED: 'usage',
  SBOM_TOO_LARGE: 'usage',
};

export class SbomError extends ShipguardError<SbomErrorCode> {
  override get kind(): ErrorKind {
    return sbomErrorKinds[this.code];
  }
}
