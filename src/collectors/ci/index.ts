import type { Collector } from '../types.js';
import { ciPresent, ciRunsTests } from './checks.js';
import { type CiFacts, collectCi } from './collect.js';

export const ciCollector: Collector<CiFacts> = {
  id: 'ci',
  title: 'Continuous integration pipeline',
  collect: collectCi,
  checks: [ciPresent, ciRunsTests],
};
