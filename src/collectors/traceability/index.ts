import type { Collector } from '../types.js';
import { traceabilityDeploymentsReachable, traceabilityReleasesReachable } from './checks.js';
import { collectTraceability, type TraceabilityFacts } from './collect.js';

export const traceabilityCollector: Collector<TraceabilityFacts> = {
  id: 'traceability',
  title: 'Releases and deployments trace back to the reviewed default branch',
  collect: collectTraceability,
  checks: [traceabilityReleasesReachable, traceabilityDeploymentsReachable],
};
