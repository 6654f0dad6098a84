import type { RegisterCommand } from '../command.js';

/**
 * Every command, in the order `shipguard --help` lists them: one explicit map from the command's
 * name to a loader of its module. Loading only the command that runs keeps start-up fast (each
 * command pulls in its own parsers, crypto and stores); `--help` loads them all.
 */
export const commandLoaders: Readonly<Record<string, () => Promise<RegisterCommand>>> = {
  assess: async () => (await import('./assess.js')).registerAssessCommand,
  controls: async () => (await import('./controls.js')).registerControlsCommand,
  init: async () => (await import('./init.js')).registerInitCommand,
  history: async () => (await import('./history.js')).registerHistoryCommand,
  secrets: async () => (await import('./secrets.js')).registerSecretsCommand,
  hook: async () => (await import('./hook.js')).registerHookCommand,
  sbom: async () => (await import('./sbom.js')).registerSbomCommand,
  advisories: async () => (await import('./advisories.js')).registerAdvisoriesCommand,
  vulns: async () => (await import('./vulns.js')).registerVulnsCommand,
  pipelines: async () => (await import('./pipelines.js')).registerPipelinesCommand,
  review: async () => (await import('./review.js')).registerReviewCommand,
  keys: async () => (await import('./keys.js')).registerKeysCommand,
  attest: async () => (await import('./attest.js')).registerAttestCommand,
  verify: async () => (await import('./verify.js')).registerVerifyCommand,
  ledger: async () => (await import('./ledger.js')).registerLedgerCommand,
  gate: async () => (await import('./gate.js')).registerGateCommand,
  change: async () => (await import('./change.js')).registerChangeCommand,
  people: async () => (await import('./people.js')).registerPeopleCommand,
  records: async () => (await import('./records.js')).registerRecordsCommand,
  evidence: async () => (await import('./evidence.js')).registerEvidenceCommand,
  pack: async () => (await import('./pack.js')).registerPackCommand,
  'verify-pack': async () => (await import('./pack.js')).registerVerifyPackCommand,
  fleet: async () => (await import('./fleet.js')).registerFleetCommand,
  worker: async () => (await import('./worker.js')).registerWorkerCommand,
  serve: async () => (await import('./serve.js')).registerServeCommand,
  tokens: async () => (await import('./tokens.js')).registerTokensCommand,
};
