import { ShipguardError } from '../kernel/index.js';

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

/** Advisory data that could not be read, imported or downloaded. */
export class AdvisoryError extends ShipguardError<AdvisoryErrorCode> {}
