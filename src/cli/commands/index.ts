import type { RegisterCommand } from '../command.js';
import { registerAssessCommand } from './assess.js';
import { registerAttestCommand } from './attest.js';
import { registerControlsCommand } from './controls.js';
import { registerHistoryCommand } from './history.js';
import { registerHookCommand } from './hook.js';
import { registerInitCommand } from './init.js';
import { registerKeysCommand } from './keys.js';
import { registerLedgerCommand } from './ledger.js';
import { registerSecretsCommand } from './secrets.js';
import { registerVerifyCommand } from './verify.js';

/** Every command, in the order `shipguard --help` lists them. One explicit map. */
export const commands: Readonly<Record<string, RegisterCommand>> = {
  assess: registerAssessCommand,
  attest: registerAttestCommand,
  controls: registerControlsCommand,
  history: registerHistoryCommand,
  hook: registerHookCommand,
  init: registerInitCommand,
  keys: registerKeysCommand,
  ledger: registerLedgerCommand,
  secrets: registerSecretsCommand,
  verify: registerVerifyCommand,
};
