import { type ErrorKinds, errorWithKinds } from '../kernel/index.js';

export type SourceControlErrorCode =
  | 'SOURCE_CONTROL_NOT_GIT'
  | 'SOURCE_CONTROL_NO_DEFAULT_BRANCH'
  | 'SOURCE_CONTROL_EMPTY_BRANCH'
  | 'SOURCE_CONTROL_INVALID_WINDOW'
  | 'SOURCE_CONTROL_OBJECT_MISSING'
  | 'SOURCE_CONTROL_OBJECT_CORRUPT'
  | 'SOURCE_CONTROL_HISTORY_UNREADABLE'
  /** A commit id that is not 40 (SHA-1) or 64 (SHA-256) lower-case hex digits. */
  | 'SOURCE_CONTROL_INVALID_COMMIT'
  /** A repository URL or folder that cannot name a repository (fleet, history keys). */
  | 'SOURCE_CONTROL_INVALID_REPOSITORY';

/** The kind of each code, which decides the exit code. */
const sourceControlErrorKinds: ErrorKinds<SourceControlErrorCode> = {
  SOURCE_CONTROL_NOT_GIT: 'internal',
  SOURCE_CONTROL_NO_DEFAULT_BRANCH: 'internal',
  SOURCE_CONTROL_EMPTY_BRANCH: 'internal',
  SOURCE_CONTROL_INVALID_WINDOW: 'internal',
  SOURCE_CONTROL_OBJECT_MISSING: 'internal',
  SOURCE_CONTROL_OBJECT_CORRUPT: 'internal',
  SOURCE_CONTROL_HISTORY_UNREADABLE: 'internal',
  SOURCE_CONTROL_INVALID_COMMIT: 'internal',
  SOURCE_CONTROL_INVALID_REPOSITORY: 'usage',
};

/** History that cannot be read: no default branch, a missing or malformed object, git failing. */
export class SourceControlError extends errorWithKinds(sourceControlErrorKinds) {}
