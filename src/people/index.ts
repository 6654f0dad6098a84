export { PeopleError, type PeopleErrorCode } from './errors.js';
export {
  type CommitIdentity,
  findUnmappedCommitters,
  type IdentityIndex,
  indexIdentities,
  personOfIdentity,
} from './identities.js';
export { comparableEmail, comparableName, normaliseName } from './names.js';
export { parseRosterCsv, roleKey, rosterColumns } from './roster-csv.js';
export {
  calendarDate,
  type DeveloperRole,
  developerRoles,
  type Engagement,
  engagements,
  isActiveOn,
  isDeveloper,
  officerRoles,
  Person,
  personId,
  type Role,
  roles,
} from './schema.js';
export {
  addPerson,
  getPerson,
  listPeople,
  type PeopleTables,
  personEventType,
  projectPeopleFromLedger,
  recordPeople,
  updatePerson,
  verifyPeople,
} from './store.js';
