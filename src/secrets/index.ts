export { filterMatches, isPathAllowed, readGitleaksIgnore } from './allow.js';
export { applyBaseline, readBaseline } from './baseline.js';
export {
  type CleanBlobCache,
  memoryCleanBlobCache,
  rulesDigest,
  storeCleanBlobCache,
} from './clean-blobs.js';
export { readSecretsConfigAt, scanCommit } from './commit-scan.js';
export { SecretsError } from './errors.js';
export type { SecretFinding } from './finding.js';
export type { SecretFormat } from './formats.js';
export { renderReport, secretFormats } from './formats.js';
export { readBlobs } from './git-stream.js';
export { loadRuleSet } from './gitleaks/config.js';
export { scanHistory } from './history.js';
export { describeRedacted } from './redact.js';
export { tokenChecksum } from './rules/checksum.js';
export { characterClasses, providerRules, type Segment } from './rules/provider-rules.js';
export { compileRuleSet } from './scan/compile-rules.js';
export { createScanPool } from './scan/pool.js';
export { maxFileBytes, pathOnlyFindings, scanStaged, scanWorkingTree, toFinding } from './scanner.js';
