import type { Collector } from '../types.js';
import {
  actionsPinned,
  deployAdmission,
  deployGated,
  leastPrivilege,
  noDangerousPatterns,
  provenanceProduced,
  sastRuns,
  sbomProduced,
  securityScans,
  vulnerabilityScanRuns,
} from './checks.js';
import { collectPipelines, type PipelinesFacts } from './collect.js';

export const pipelinesCollector: Collector<PipelinesFacts> = {
  id: 'pipelines',
  title: 'Delivery pipelines: dangerous patterns, pinning, token privileges, deploy gates, security scans',
  collect: collectPipelines,
  checks: [
    noDangerousPatterns,
    actionsPinned,
    leastPrivilege,
    deployGated,
    deployAdmission,
    securityScans,
    sbomProduced,
    sastRuns,
    vulnerabilityScanRuns,
    provenanceProduced,
  ],
};
