import type { Collector } from '../types.js';
import { patchLatencyWithinSla } from './checks.js';
import { collectPatchLatency, type PatchLatencyFacts } from './collect.js';

export const patchLatencyCollector: Collector<PatchLatencyFacts> = {
  id: 'patch-latency',
  title: 'Time to pull in security fixes',
  collect: collectPatchLatency,
  checks: [patchLatencyWithinSla],
};
