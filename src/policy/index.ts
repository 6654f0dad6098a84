export { isProductionEnvironment } from './environments.js';
export type { LoadedPolicy } from './load.js';
export { defaultLoadedPolicy, loadPolicy, parsePolicy } from './load.js';
export type {
  Attestation,
  EvidenceSettings,
  FailOn,
  GateRuleId,
  PolicyException,
  SupplyChainSettings,
} from './schema.js';
export { auditPeriodPattern, ChangeSettings, defaultPolicy, GateEnvironment, Policy } from './schema.js';
export { policyTemplate } from './template.js';
