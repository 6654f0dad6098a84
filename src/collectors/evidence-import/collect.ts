import { type EvidenceImport, listImports } from '../../evidence-import/index.js';
import { describeError, type RepositorySnapshot } from '../../kernel/index.js';
import { noStoreAccess, type StoreAccess } from '../../store/index.js';
import type { StoreAbsence } from '../results.js';

export type EvidenceImportFacts =
  | StoreAbsence
  | {
      status: 'present';
      location: string;
      /** The commit assessed (HEAD); absent outside a git repository. */
      head?: string;
      /** Imports, newest first (at most `maxImportsRead`), each matching its ledger entry. */
      imports: EvidenceImport[];
      /** Rows that do not match their ledger entry: never counted. */
      unverified: { id: string; reason: string }[];
    };

/** The newest imports read; older ones are beyond any sensible freshness window anyway. */
export const maxImportsRead = 500;

/** Reads the evidence imported with `shipguard evidence import` from the command's store. Never creates one. */
export async function collectEvidenceImports(
  repository: RepositorySnapshot,
  access: StoreAccess = noStoreAccess(),
): Promise<EvidenceImportFacts> {
  const existing = await access.existing();
  if (!existing.store) {
    return existing.absent === true
      ? { status: 'no-store', location: access.description }
      : { status: 'unreadable', location: access.description, problem: existing.note ?? 'unknown' };
  }
  try {
    const { imports, unverified } = await listImports(existing.store, { limit: maxImportsRead });
    for (const row of unverified) {
      repository.problems.push({
        severity: 'error',
        code: 'EVIDENCE_IMPORT_UNVERIFIED',
        message: `imported evidence ${row.id} is not counted: ${row.reason}`,
      });
    }
    const facts: EvidenceImportFacts = {
      status: 'present',
      location: existing.store.location,
      imports,
      unverified,
    };
    const head = repository.git?.head;
    if (head) facts.head = head;
    return facts;
  } catch (error) {
    return { status: 'unreadable', location: access.description, problem: describeError(error) };
  }
}
