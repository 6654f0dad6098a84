import { type ErrorKinds, errorWithKinds, type SourceLocation } from '../kernel/index.js';

export type EcosystemErrorCode =
  | 'LOCKFILE_MALFORMED'
  | 'LOCKFILE_TOO_LARGE'
  | 'LOCKFILE_UNSUPPORTED'
  | 'LOCKFILE_MISSING'
  | 'VERSION_INVALID';

/** The kind of each code, which decides the exit code. */
const ecosystemErrorKinds: ErrorKinds<EcosystemErrorCode> = {
  LOCKFILE_MALFORMED: 'internal',
  LOCKFILE_TOO_LARGE: 'internal',
  LOCKFILE_UNSUPPORTED: 'internal',
  LOCKFILE_MISSING: 'internal',
  VERSION_INVALID: 'internal',
};

/** A lockfile (or version) that could not be read; carries the file and, when known, the line. */
export class EcosystemError extends errorWithKinds(ecosystemErrorKinds) {}

export function malformedLockfile(
  path: string,
  message: string,
  line?: number,
  cause?: unknown,
): EcosystemError {
  const location: SourceLocation = line === undefined ? { path } : { path, line };
  return new EcosystemError('LOCKFILE_MALFORMED', `${path}: ${message}`, {
    location,
    ...(cause === undefined ? {} : { cause }),
  });
}
