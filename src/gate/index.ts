export type { GateDecision, GateInputs, RuleResult } from './decide.js';
export { decide } from './decide.js';
export { resolveDeployer } from './deployer.js';
export type { GateDependencies, GateExitCode, GateRun } from './run.js';
export { ledgerAppend, runGate } from './run.js';
export type { GateRunOptions } from './run-options.js';
