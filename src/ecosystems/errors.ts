import { ShipguardError, type SourceLocation } from '../kernel/index.js';

export type EcosystemErrorCode =
  | 'LOCKFILE_MALFORMED'
  | 'LOCKFILE_TOO_LARGE'
  | 'LOCKFILE_UNSUPPORTED'
  | 'VERSION_INVALID';

/** A lockfile (or version) that could not be read; carries the file and, when known, the line. */
export class EcosystemError extends ShipguardError<EcosystemErrorCode> {}

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
