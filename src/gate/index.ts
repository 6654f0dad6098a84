export type { GateRun } from './gather.js';
export { ledgerAppend, resolveDeployer, runGate } from './gather.js';
