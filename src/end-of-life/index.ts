/**
 * End-of-life dates of runtimes and base images, bundled with shipguard (dataset.json, validated
 * on load) so that support can be judged offline. `lookup.ts` maps a declared version to a release
 * cycle and a date to a support status.
 */
export {
  EndOfLifeError,
  type EndOfLifeErrorCode,
  endOfLifeDataset,
  parseEndOfLifeDataset,
} from './dataset.js';
export {
  datasetAge,
  findCycle,
  normalizeVersion,
  type SupportStatus,
  supportStatus,
} from './lookup.js';
export { type EndOfLifeDataset, ProductId, productIds, type ReleaseCycle } from './schema.js';
