export { childEnvironment, gitEnvironment } from './child-environment.js';
export type { CsvTable } from './csv.js';
export { parseCsv } from './csv.js';
export type { ErrorExitCode, ErrorKind, ErrorKinds, SourceLocation } from './errors.js';
export {
  describeError,
  errorOfKind,
  errorWithKinds,
  exitCodeOf,
  exitCodeOfKind,
  formatLocation,
  ShipguardError,
} from './errors.js';
export {
  GitError,
  listPathsAtRevision,
  readFileAtRevision,
  runGit,
  runGitText,
  type TreeEntry,
  withGitMemo,
} from './git.js';
export { compileGlob } from './glob.js';
export { releaseGarbage } from './memory.js';
export type {
  AppliedException,
  Assessment,
  AssessmentProblem,
  AssessmentSubject,
  AuditPeriod,
  CheckResult,
  CheckStatus,
  ControlResult,
  ControlStatus,
  Evidence,
  EvidenceLevel,
  Finding,
  FindingLocation,
  Severity,
  StatusCounts,
} from './model.js';
export {
  controlStatuses,
  emptyStatusCounts,
  evidenceLevelRank,
  evidenceLevels,
  levelOf,
  severities,
  severityRank,
  strongestLevel,
  weakestLevel,
} from './model.js';
export {
  containsCredential,
  describeHiddenValue,
  keepVerifiedProof,
  redactDeep,
  redactText,
} from './redaction.js';
export type { TextFile } from './repository.js';
export { baseName, listingCutCode, RepositoryError, RepositorySnapshot } from './repository.js';
export { openRevisionFiles, type RevisionFiles } from './revision-files.js';
export type { RepositoryRead } from './safe-read.js';
export {
  describeBytes,
  digestInputFile,
  InputFileError,
  readInputFile,
  readRepositoryFile,
} from './safe-read.js';
export { artifactUri, sarifSchemaUri } from './sarif.js';
export { escapeForTerminal, escapeLinesForTerminal } from './terminal-text.js';
export { toolVersion } from './version.js';
export { parseYamlDocument, parseYamlValue } from './yaml.js';
