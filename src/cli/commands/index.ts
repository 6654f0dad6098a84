import type { RegisterCommand } from '../command.js';
import { registerAdvisoriesCommand } from './advisories.js';
import { registerAssessCommand } from './assess.js';
import { registerAttestCommand } from './attest.js';
import { registerControlsCommand } from './controls.js';
import { registerHistoryCommand } from './history.js';
import { registerHookCommand } from './hook.js';
import { registerInitCommand } from './init.js';
import { registerKeysCommand } from './keys.js';
import { registerLedgerCommand } from './ledger.js';
import { registerPipelinesCommand } from './pipelines.js';
import { registerReviewCommand } from './review.js';
import { registerSbomCommand } from './sbom.js';
import { registerSecretsCommand } from './secrets.js';
import { registerVerifyCommand } from './verify.js';
import { registerVulnsCommand } from './vulns.js';

/** Every command, in the order `shipguard --help` lists them. One explicit map. */
export const commands: Readonly<Record<string, RegisterCommand>> = {
  advisories: registerAdvisoriesCommand,
  assess: registerAssessCommand,
  attest: registerAttestCommand,
  controls: registerControlsCommand,
  history: registerHistoryCommand,
  hook: registerHookCommand,
  init: registerInitCommand,
  keys: registerKeysCommand,
  ledger: registerLedgerCommand,
  pipelines: registerPipelinesCommand,
  review: registerReviewCommand,
  sbom: registerSbomCommand,
  secrets: registerSecretsCommand,
  verify: registerVerifyCommand,
  vulns: registerVulnsCommand,
};
