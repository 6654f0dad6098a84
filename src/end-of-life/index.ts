/**
 * End-of-life dates of runtimes and base images, bundled with shipguard (dataset.json, validated
 * on load) so that support can be judged offline. `lookup.ts` maps a declared version to a release
 * cycle and a date to a support status; `identify.ts` maps a package URL, image name or CPE to a
 * product. The dataset is generated from endoflife.date's files (generate.ts, scripts/update-eol.mjs).
 */
export {
  EndOfLifeError,
  type EndOfLifeErrorCode,
  endOfLifeDataset,
  parseEndOfLifeDataset,
} from './dataset.js';
export { cpeKey, productOfCpe, productOfImage, productOfPurl, purlKey } from './identify.js';
export {
  datasetAge,
  findCycle,
  milestoneStatus,
  normalizeVersion,
  type SupportStatus,
  supportStatus,
} from './lookup.js';
export {
  type EndOfLifeDataset,
  type Milestone,
  type Product,
  ProductId,
  productIds,
  type ReleaseCycle,
} from './schema.js';
