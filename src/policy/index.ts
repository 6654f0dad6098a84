export { isProductionEnvironment } from './environments.js';
export type { LoadedPolicy } from './load.js';
export { defaultLoadedPolicy, loadPolicy, parsePolicy } from './load.js';
export type { Attestation, FailOn, GateRuleId, PolicyException, SupplyChainSettings } from './schema.js';
export { ChangeSettings, defaultPolicy, GateEnvironment, Policy } from './schema.js';
export { policyTemplate } from './template.js';
