import type { Migration } from 'kysely/migration';
import * as assessments from './001-assessments.js';
import * as ledger from './002-ledger.js';
import * as advisories from './003-advisories.js';
import * as gate from './004-gate.js';
import * as forgeCache from './005-forge-cache.js';
import * as changeLedgerIndex from './006-change-ledger-index.js';
import * as people from './007-people.js';
import * as records from './008-records.js';
import * as fleet from './009-fleet.js';
import * as lockfileCache from './010-lockfile-cache.js';
import * as secretScanCache from './011-secret-scan-cache.js';
import * as server from './012-server.js';
import * as apiTokens from './013-api-tokens.js';
import * as fleetComponents from './014-fleet-components.js';
import * as evidenceImports from './016-evidence-imports.js';
import * as latestAssessments from './018-latest-assessments.js';
import * as assessmentDays from './019-assessment-days.js';
import * as sessionFactors from './020-session-factors.js';
import * as uploadQuota from './021-upload-quota.js';
import * as formUploadUsage from './022-form-upload-usage.js';
import * as rematchPackages from './023-rematch-packages.js';
import * as advisoryDigests from './024-advisory-digests.js';
import * as secretInheritingBlobs from './025-secret-inheriting-blobs.js';
import * as lockfileExtractions from './026-lockfile-extractions.js';
import * as secretSettledHistories from './027-secret-settled-histories.js';
import * as settledHistoriesByKey from './028-settled-histories-by-key.js';

/**
 * Every migration, in order. Kysely runs them sorted by name, so a new one takes the next
 * number: add a file `NNN-name.ts` exporting `up` (and `down`) beside these, and one line here.
 * Never rename, reorder or edit a migration that has shipped; add a new one.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '001-assessments': assessments,
  '002-ledger': ledger,
  '003-advisories': advisories,
  '004-gate': gate,
  '005-forge-cache': forgeCache,
  '006-change-ledger-index': changeLedgerIndex,
  '007-people': people,
  '008-records': records,
  '009-fleet': fleet,
  '010-lockfile-cache': lockfileCache,
  '011-secret-scan-cache': secretScanCache,
  '012-server': server,
  '013-api-tokens': apiTokens,
  '014-fleet-components': fleetComponents,
  '016-evidence-imports': evidenceImports,
  '018-latest-assessments': latestAssessments,
  '019-assessment-days': assessmentDays,
  '020-session-factors': sessionFactors,
  '021-upload-quota': uploadQuota,
  '022-form-upload-usage': formUploadUsage,
  '023-rematch-packages': rematchPackages,
  '024-advisory-digests': advisoryDigests,
  '025-secret-inheriting-blobs': secretInheritingBlobs,
  '026-lockfile-extractions': lockfileExtractions,
  '027-secret-settled-histories': secretSettledHistories,
  '028-settled-histories-by-key': settledHistoriesByKey,
};
export { rebuildLatestAssessments } from './018-latest-assessments.js';
export { rebuildAssessmentDays } from './019-assessment-days.js';
