export { isProductionEnvironment } from './environments.js';
export type { LoadedPolicy } from './load.js';
export { defaultLoadedPolicy, loadPolicy, parsePolicy, policyFileNames } from './load.js';
export type {
  Attestation,
  FailOn,
  GateRuleId,
  PolicyException,
  SupplyChainSettings,
  WorkloadRule,
} from './schema.js';
export { ChangeSettings, defaultPolicy, GateEnvironment, Policy, PrincipalSettings } from './schema.js';
export { policyTemplate } from './template.js';
