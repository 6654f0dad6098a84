export type { AdvisoryDatabaseState } from './database-access.js';
export { loadAdvisoryData, loadRepositoryAdvisoriesOnce } from './database-access.js';
export type { CheckedPackage, VulnerabilityFinding } from './findings.js';
export { daysBetween, findVulnerabilities } from './findings.js';
export type {
  CachedParse,
  HistoricalPackage,
  LockfileBlobKey,
  LockfileParseCache,
} from './lockfile-cache.js';
export { lockfileCacheOf, StoreLockfileParseCache } from './lockfile-cache.js';
export type { HistoryStats, LockfileVersion, PatchLatency, Remediation } from './patch-latency.js';
export { computePatchLatency, readLockfileHistory } from './patch-latency.js';
export { renderVulnsJson, renderVulnsSarif, renderVulnsTable } from './render.js';
export { runVulns } from './run.js';
export type { UnmatchedVexStatement, VexStatement } from './vex.js';
export { parseVex, vexStatementsMatchingNothing } from './vex.js';
