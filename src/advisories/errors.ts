import { type ErrorKinds, errorWithKinds } from '../kernel/index.js';

export type AdvisoryErrorCode =
  | 'OSV_MALFORMED'
  | 'OSV_RANGE_NO_INTRODUCED'
  | 'OSV_EVENTS_NOT_DISTINCT'
  | 'ARCHIVE_MALFORMED'
  | 'ARCHIVE_TOO_LARGE'
  | 'ARCHIVE_TOO_MANY_ENTRIES'
  | 'ARCHIVE_RATIO'
  | 'ARCHIVE_PATH_TRAVERSAL'
  | 'SOURCE_NOT_FOUND'
  | 'SOURCE_INVALID'
  | 'SYNC_HTTP'
  | 'SYNC_TOO_LARGE'
  | 'CVSS_INVALID';

/** The kind of each code, which decides the exit code. */
const advisoryErrorKinds: ErrorKinds<AdvisoryErrorCode> = {
  OSV_MALFORMED: 'internal',
  OSV_RANGE_NO_INTRODUCED: 'internal',
  OSV_EVENTS_NOT_DISTINCT: 'internal',
  ARCHIVE_MALFORMED: 'internal',
  ARCHIVE_TOO_LARGE: 'internal',
  ARCHIVE_TOO_MANY_ENTRIES: 'internal',
  ARCHIVE_RATIO: 'internal',
  ARCHIVE_PATH_TRAVERSAL: 'internal',
  SOURCE_NOT_FOUND: 'usage',
  SOURCE_INVALID: 'config',
  SYNC_HTTP: 'internal',
  SYNC_TOO_LARGE: 'internal',
  CVSS_INVALID: 'internal',
};

/** Advisory data that could not be read, imported or downloaded. */
export class AdvisoryError extends errorWithKinds(advisoryErrorKinds) {}
