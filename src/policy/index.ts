export type {
  Availability,
  CalendarErrorCode,
  CalendarOccurrence,
  WallTime,
  Weekday,
  WeeklyWindow,
} from './calendar.js';
export {
  activeHolidays,
  CalendarError,
  checkTimeZone,
  freezesFor,
  inWeeklyWindow,
  localDate,
  overlaps,
  parseCalendar,
  responderAvailability,
  wallTime,
  weekdays,
  zonedTimeToUtc,
} from './calendar.js';
export { gateEnvironmentSettings, isProductionEnvironment } from './environments.js';
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
