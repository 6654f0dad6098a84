import type { Collector } from '../types.js';
import { iacPresent } from './checks.js';
import { collectIac, type IacFacts } from './collect.js';

export const iacCollector: Collector<IacFacts> = {
  id: 'iac',
  title: 'Infrastructure as code',
  collect: collectIac,
  checks: [iacPresent],
};
