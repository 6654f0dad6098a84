import type { Collector } from '../types.js';
import { codeownersCoverage, codeownersPresent } from './checks.js';
import { type CodeownersFacts, collectCodeowners } from './collect.js';

export const codeownersCollector: Collector<CodeownersFacts> = {
  id: 'codeowners',
  title: 'Code owners and review responsibility',
  collect: collectCodeowners,
  checks: [codeownersPresent, codeownersCoverage],
};
