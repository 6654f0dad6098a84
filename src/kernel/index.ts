export { childEnvironment, gitEnvironment } from './child-environment.js';
export type { CsvTable } from './csv.js';
export { parseCsv } from './csv.js';
export type { SourceLocation } from './errors.js';
export { describeError, formatLocation, ShipguardError } from './errors.js';
export { GitError, listPathsAtRevision, readFileAtRevision, runGit, runGitText } from './git.js';
export type {
  AppliedException,
  Assessment,
  AssessmentProblem,
  AssessmentSubject,
  CheckResult,
  CheckStatus,
  ControlResult,
  ControlStatus,
  Evidence,
  Finding,
  FindingLocation,
  Severity,
  StatusCounts,
} from './model.js';
export { controlStatuses, emptyStatusCounts, severities, severityRank } from './model.js';
export type { TextFile } from './repository.js';
export { baseName, RepositoryError, RepositorySnapshot } from './repository.js';
export { artifactUri, sarifSchemaUri } from './sarif.js';
export { toolVersion } from './version.js';
