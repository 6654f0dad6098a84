import { type ErrorKind, type ErrorKinds, ShipguardError } from '../kernel/index.js';

export type VulnsErrorCode = 'VEX_MALFORMED' | 'VEX_UNSUPPORTED' | 'VEX_TOO_LARGE';

/** A VEX document that cannot be read. */
/** The kind of each code, which decides the exit code. */
const vulnsErrorKinds: ErrorKinds<VulnsErrorCode> = {
  VEX_MALFORMED: 'internal',
  VEX_UNSUPPORTED: 'internal',
  VEX_TOO_LARGE: 'internal',
};

export class VulnsError extends ShipguardError<VulnsErrorCode> {
  override get kind(): ErrorKind {
    return vulnsErrorKinds[this.code];
  }
}
