export { defaultStorePath } from './location.js';
export { resolveRepositoryRoot } from './repository-root.js';
export type { AreaTrendEntry, AssessmentSummary, Store, StoreLocation } from './store.js';
export { describeStoreLocation, openStore, resolveStoreLocation, StoreError } from './store.js';
