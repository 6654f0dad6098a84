import type { Collector } from '../types.js';
import { attestationPresent } from './checks.js';
import { collectProvenance, type ProvenanceFacts } from './collect.js';

export const provenanceCollector: Collector<ProvenanceFacts> = {
  id: 'provenance',
  title: 'Signed provenance of deployed releases, as verified by the gate',
  collect: (_repository, _policy, context) => collectProvenance(context.store),
  checks: [attestationPresent],
};
