import type { Catalog } from '../catalog/index.js';
import type { AssessmentProblem } from '../kernel/index.js';
import { listPeople, type Person } from '../people/index.js';
import type { Store } from '../store/index.js';
import {
  evaluateRecordControls,
  type RecordControlOutcome,
  refusedRecords,
  type SourcedRecord,
} from './evaluate.js';
import { loadRecordsFolder } from './repository-folder.js';
import { loadVerifiedRecords } from './store.js';

export interface GatheredRecords {
  outcomes: Map<string, RecordControlOutcome>;
  problems: AssessmentProblem[];
  people: Person[];
  records: SourcedRecord[];
}

/**
 * Collects the records an assessment can rely on: the repository's records/ folder (verified
 * against the protected branch's signer keys) and, when given, the store's records. A record in
 * both counts once; the store's roster wins when it has one.
 */
export async function gatherRecords(input: {
  catalog: Catalog;
  repositoryRoot: string;
  store?: Store;
  storeLocation?: string;
  defaultBranch?: string;
  now: Date;
}): Promise<GatheredRecords> {
  const folder = await loadRecordsFolder(
    input.repositoryRoot,
    input.defaultBranch === undefined ? {} : { defaultBranch: input.defaultBranch },
  );
  const problems: AssessmentProblem[] = folder.problems.map((problem) => ({
    severity: 'warning',
    code: problem.code,
    message: problem.message,
    location: { path: problem.path },
  }));
  const byId = new Map<string, SourcedRecord>(folder.records.map((record) => [record.document.id, record]));
  let people = folder.people;
  if (input.store) {
    const storePeople = await listPeople(input.store);
    if (storePeople.length > 0) people = storePeople;
    try {
      for (const record of await loadVerifiedRecords(input.store)) {
        if (!byId.has(record.document.id))
          byId.set(record.document.id, {
            ...record,
            source: `${input.storeLocation ?? 'store'}#${record.document.id}`,
          });
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      problems.push({
        severity: 'error',
        code: 'RECORDS_TAMPERED',
        message: `the store's records are not counted: ${reason} (run shipguard records verify)`,
      });
    }
  }
  const set = { people, records: [...byId.values()] };
  for (const refused of refusedRecords(set, input.now)) {
    problems.push({
      severity: 'warning',
      code: 'RECORD_NOT_COUNTED',
      message: `${refused.reason}`,
      location: { path: refused.source },
    });
  }
  return {
    outcomes: evaluateRecordControls(input.catalog, set, input.now),
    problems,
    people,
    records: set.records,
  };
}
