import type { Collector } from '../types.js';
import { sbomGenerated } from './checks.js';
import { collectSbom, type SbomFacts } from './collect.js';

export const sbomCollector: Collector<SbomFacts> = {
  id: 'sbom',
  title: 'Software bill of materials',
  collect: collectSbom,
  checks: [sbomGenerated],
};
