import { type ErrorKinds, errorWithKinds } from '../kernel/index.js';

export type VulnsErrorCode = 'VEX_MALFORMED' | 'VEX_UNSUPPORTED' | 'VEX_TOO_LARGE';

/** The kind of each code, which decides the exit code. */
const vulnsErrorKinds: ErrorKinds<VulnsErrorCode> = {
  VEX_MALFORMED: 'internal',
  VEX_UNSUPPORTED: 'internal',
  VEX_TOO_LARGE: 'internal',
};

/** A VEX document that cannot be read. */
export class VulnsError extends errorWithKinds(vulnsErrorKinds) {}
