export type { ExistingStore, StoreAccess, StoreAccessOptions } from './access.js';
export { createStoreAccess, noStoreAccess } from './access.js';
export type { AreaHistory, HistoryReport, TrendDirection } from './history.js';
export { buildHistoryReport, trendDirection } from './history.js';
export { defaultStorePath } from './location.js';
export { migrations, rebuildAssessmentDays, rebuildLatestAssessments } from './migrations/index.js';
export { resolveRepositoryRoot } from './repository-root.js';
export type {
  AreaTrendEntry,
  AssessmentSummary,
  LatestAssessmentsTable,
  OpenStoreOptions,
  Store,
  StoreLocation,
  StoreTables,
} from './store.js';
export {
  describeStoreLocation,
  openStore,
  resolveStoreLocation,
  StoreError,
  statusCountsOfRow,
  viewTables,
  writeAssessmentRows,
} from './store.js';
