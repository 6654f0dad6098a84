export { readAdvisoryData } from './coverage.js';
export type { AdvisoryRecordKey } from './database.js';
export {
  advisoryDigestsFor,
  loadAdvisoriesById,
  loadAdvisoriesFor,
  loadAdvisoryRecords,
  replaceSource,
} from './database.js';
export { importAdvisories } from './import.js';
export { AdvisoryIndex, groupByAliases, packageNameKey } from './match.js';
export type { Advisory, AdvisoryKind, SeverityLevel } from './osv.js';
export { parseOsvRecord } from './osv.js';
export type { SourceAge } from './sync.js';
export { advisoryStatus, defaultOsvSource, osvSourceName, syncAdvisories } from './sync.js';
