export { isProductionEnvironment } from './environments.js';
export type { LoadedPolicy } from './load.js';
export {
  defaultLoadedPolicy,
  loadPolicy,
  PolicyError,
  parsePolicy,
  policyFileNames,
  readPolicyAtRevision,
} from './load.js';
export type {
  Attestation,
  EvidenceSettings,
  FailOn,
  GateRuleId,
  PolicyException,
  SupplyChainSettings,
  WorkloadRule,
} from './schema.js';
export {
  auditPeriodPattern,
  ChangeSettings,
  defaultPolicy,
  GateEnvironment,
  gateRuleIds,
  Policy,
  PrincipalSettings,
} from './schema.js';
export { policyTemplate } from './template.js';
