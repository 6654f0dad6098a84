import { backupsCollector } from './backups/index.js';
import { changeCollector } from './change/index.js';
import { ciCollector } from './ci/index.js';
import { codeownersCollector } from './codeowners/index.js';
import { dependenciesCollector } from './dependencies/index.js';
import { dependencyUpdatesCollector } from './dependency-updates/index.js';
import { environmentsCollector } from './environments/index.js';
import { evidenceImportCollector } from './evidence-import/index.js';
import { freezeCollector } from './freeze/index.js';
import { iacCollector } from './iac/index.js';
import { ledgerCollector } from './ledger/index.js';
import { lockfilesCollector } from './lockfiles/index.js';
import { patchLatencyCollector } from './patch-latency/index.js';
import { pipelinesCollector } from './pipelines/index.js';
import { provenanceCollector } from './provenance/index.js';
import { repositoryCollector } from './repository/index.js';
import { reviewCollector } from './review/index.js';
import { runtimeVersionsCollector } from './runtime-versions/index.js';
import { sbomCollector } from './sbom/index.js';
import { secretsCollector } from './secrets/index.js';
import { securityPolicyCollector } from './security-policy/index.js';
import { sensitiveFilesCollector } from './sensitive-files/index.js';
import { signaturesCollector } from './signatures/index.js';
import { testDataCollector } from './test-data/index.js';
import { threatModelCollector } from './threat-model/index.js';
import { traceabilityCollector } from './traceability/index.js';
import type { AnyCollector } from './types.js';
import { vulnsCollector } from './vulns/index.js';

/**
 * Every collector, by id. One explicit map: a test proves each folder under src/collectors/ is
 * registered here, and that every check id is unique.
 */
export const collectors: Readonly<Record<string, AnyCollector>> = {
  'security-policy': securityPolicyCollector,
  'sensitive-files': sensitiveFilesCollector,
  iac: iacCollector,
  'runtime-versions': runtimeVersionsCollector,
  repository: repositoryCollector,
  secrets: secretsCollector,
  codeowners: codeownersCollector,
  'dependency-updates': dependencyUpdatesCollector,
  lockfiles: lockfilesCollector,
  ci: ciCollector,
  review: reviewCollector,
  signatures: signaturesCollector,
  traceability: traceabilityCollector,
  backups: backupsCollector,
  pipelines: pipelinesCollector,
  environments: environmentsCollector,
  'test-data': testDataCollector,
  sbom: sbomCollector,
  vulns: vulnsCollector,
  dependencies: dependenciesCollector,
  'patch-latency': patchLatencyCollector,
  change: changeCollector,
  'threat-model': threatModelCollector,
  ledger: ledgerCollector,
  provenance: provenanceCollector,
  freeze: freezeCollector,
  'evidence-import': evidenceImportCollector,
};
export type { AnyCollector, CheckContext } from './types.js';
