export { readAdvisoryData } from './coverage.js';
export { loadAdvisoriesFor, replaceSource } from './database.js';
export { importAdvisories } from './import.js';
export { AdvisoryIndex, groupByAliases } from './match.js';
export type { AdvisoryKind, SeverityLevel } from './osv.js';
export { parseOsvRecord } from './osv.js';
export type { SourceAge } from './sync.js';
export { advisoryStatus, defaultOsvSource, osvSourceName, syncAdvisories } from './sync.js';
