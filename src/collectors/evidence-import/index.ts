import type { Collector } from '../types.js';
import { designFindingChecks, hostScan, sastResults, scanFailuresBlocked, testsPassed } from './checks.js';
import { collectEvidenceImports, type EvidenceImportFacts } from './collect.js';

export const evidenceImportCollector: Collector<EvidenceImportFacts> = {
  id: 'evidence-import',
  title: 'Evidence imported from other tools (tests, static analysis, web and TLS scans, coverage)',
  collect: (repository, _policy, context) => collectEvidenceImports(repository, context.store),
  checks: [testsPassed, sastResults, hostScan, scanFailuresBlocked, ...designFindingChecks],
};
