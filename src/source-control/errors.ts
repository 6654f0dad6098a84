import { ShipguardError } from '../kernel/index.js';

export type SourceControlErrorCode =
  | 'SOURCE_CONTROL_NOT_GIT'
  | 'SOURCE_CONTROL_NO_DEFAULT_BRANCH'
  | 'SOURCE_CONTROL_EMPTY_BRANCH'
  | 'SOURCE_CONTROL_INVALID_WINDOW'
  | 'SOURCE_CONTROL_OBJECT_MISSING'
  | 'SOURCE_CONTROL_OBJECT_CORRUPT'
  | 'SOURCE_CONTROL_HISTORY_UNREADABLE'
  /** A commit id that is not 40 (SHA-1) or 64 (SHA-256) lower-case hex digits. */
  | 'SOURCE_CONTROL_INVALID_COMMIT';

/** History that cannot be read: no default branch, a missing or malformed object, git failing. */
export class SourceControlError extends ShipguardError<SourceControlErrorCode> {}
