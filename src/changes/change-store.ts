/**
 * Change records and gate decisions in the store (migration 004-gate), each transition and each
 * decision appended to the ledger. The ledger entry is written first: a crash between the two
 * leaves a ledgered transition that the store lacks (visible), never an unledgered one.
 */
import type { Kysely } from 'kysely';
import type { Principal, StatementProof } from '../identity/index.js';
import { keepVerifiedProof, redactDeep } from '../kernel/index.js';
import { appendToLedger } from '../ledger/index.js';
import { type Store, viewTables } from '../store/index.js';
import type { ChangeRecord } from './changes.js';
import { ChangeError } from './errors.js';

// Type aliases, not interfaces: Kysely needs them to be index-compatible records.
type ChangesTable = {
  id: string;
  class: string;
  status: string;
  author: string;
  created_at: string;
  updated_at: string;
  review_due_at: string | null;
  document: string;
  /** Ledger index of the entry that created the change: where the gate starts reading. */
  created_ledger_index?: number | string | bigint | null;
};
type GateDecisionsTable = {
  id: string;
  environment: string;
  artifact: string;
  result: string;
  decided_at: string;
  ledger_index: number | string | bigint;
  document: string;
};
export type GateTables = { changes: ChangesTable; gate_decisions: GateDecisionsTable };

/** A stored gate decision as the dashboard lists it: its columns and its whole document. */
export interface StoredGateDecision {
  id: string;
  environment: string;
  artifact: string;
  result: string;
  decidedAt: string;
  ledgerIndex: number;
  document: string;
}

/** The latest gate decisions, newest first (at most `limit`, between 1 and 1,000). */
export async function listGateDecisions(store: Store, limit: number): Promise<StoredGateDecision[]> {
  const rows = await gateDb(store)
    .selectFrom('gate_decisions')
    .selectAll()
    .orderBy('decided_at', 'desc')
    .orderBy('id')
    .limit(Math.min(Math.max(limit, 1), 1000))
    .execute();
  return rows.map((row) => ({
    id: row.id,
    environment: row.environment,
    artifact: row.artifact,
    result: row.result,
    decidedAt: row.decided_at,
    ledgerIndex: Number(row.ledger_index),
    document: row.document,
  }));
}

function gateDb(store: Store): Kysely<GateTables> {
  return viewTables<GateTables>(store.db);
}

const maxDocumentBytes = 256 * 1024;

function row(change: ChangeRecord, now: Date): ChangesTable {
  const document = JSON.stringify(redactDeep(change));
  if (Buffer.byteLength(document, 'utf8') > maxDocumentBytes) {
    throw new ChangeError('CHANGE_INVALID', `change ${change.id} is larger than ${maxDocumentBytes} bytes`);
  }
  return {
    id: change.id,
    class: change.class,
    status: change.status,
    author: change.author,
    created_at: change.createdAt,
    updated_at: now.toISOString(),
    review_due_at: change.reviewDueAt ?? null,
    document,
  };
}

export type ChangeTransition = 'created' | 'approved' | 'rejected' | 'implemented' | 'reviewed' | 'consumed';

/** A transition as proved by its principal: the signed statement and the proof (see change-ledger). */
export interface ProvedTransition {
  statement: Record<string, unknown>;
  principal: Principal;
  proof: StatementProof;
}

/**
 * Ledgers the transition, then stores the record (insert for `created`, update otherwise). Only a
 * proved transition (a statement signed by a registered principal) counts for approvals; a bare
 * name is kept for records that never approve anything (and for reading old ledgers).
 */
export async function recordChange(
  store: Store,
  change: ChangeRecord,
  transition: ChangeTransition,
  actor: string | ProvedTransition,
  now: Date = new Date(),
): Promise<{ ledgerIndex: number }> {
  const db = gateDb(store);
  if (transition === 'created') {
    const existing = await db
      .selectFrom('changes')
      .select('id')
      .where('id', '=', change.id)
      .executeTakeFirst();
    if (existing) throw new ChangeError('CHANGE_INVALID', `a change with id ${change.id} already exists`);
  }
  const values = row(change, now);
  const appended = await appendToLedger(store, {
    type: `change.${transition}`,
    data: {
      change: change.id,
      class: change.class,
      status: change.status,
      ...(typeof actor === 'string'
        ? { actor }
        : {
            actor: actor.principal.name,
            principal: actor.principal,
            statement: actor.statement,
            // Verified before it got here (proveActor/signStatement): kept whole as evidence.
            proof: keepVerifiedProof({ ...actor.proof }),
          }),
      record: JSON.parse(values.document),
    },
  });
  if (transition === 'created') {
    await db
      .insertInto('changes')
      .values({ ...values, created_ledger_index: appended.firstIndex })
      .execute();
  } else {
    await db
      .updateTable('changes')
      .set({
        status: values.status,
        updated_at: values.updated_at,
        review_due_at: values.review_due_at,
        document: values.document,
      })
      .where('id', '=', change.id)
      .execute();
  }
  return { ledgerIndex: appended.firstIndex };
}

export async function getChange(store: Store, id: string): Promise<ChangeRecord | undefined> {
  const found = await gateDb(store)
    .selectFrom('changes')
    .select('document')
    .where('id', '=', id)
    .executeTakeFirst();
  return found ? (JSON.parse(found.document) as ChangeRecord) : undefined;
}

/** Reads a change or throws CHANGE_NOT_FOUND. */
export async function requireChange(store: Store, id: string): Promise<ChangeRecord> {
  const change = await getChange(store, id);
  if (!change) throw new ChangeError('CHANGE_NOT_FOUND', `no change ${id} in ${store.location}`);
  return change;
}

/**
 * Where the change's ledger entries start, as the row says (a hint: 0 when there is no row or no
 * value, so the whole log is read).
 */
export async function createdLedgerIndex(store: Store, id: string): Promise<number> {
  const found = await gateDb(store)
    .selectFrom('changes')
    .select('created_ledger_index')
    .where('id', '=', id)
    .executeTakeFirst();
  const value = Number(found?.created_ledger_index ?? 0);
  return Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

/** Every projection row, for checking them against the ledger (at most `limit`). */
export async function listChangeRows(
  store: Store,
  limit = 100_000,
): Promise<Array<{ id: string; document: string }>> {
  return gateDb(store).selectFrom('changes').select(['id', 'document']).orderBy('id').limit(limit).execute();
}

/** Newest first. */
export async function listChanges(
  store: Store,
  query: { status?: string; limit?: number } = {},
): Promise<ChangeRecord[]> {
  let select = gateDb(store)
    .selectFrom('changes')
    .select('document')
    .orderBy('created_at', 'desc')
    .orderBy('id');
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  const rows = await select.limit(Math.min(Math.max(query.limit ?? 100, 1), 10_000)).execute();
  return rows.map((item) => JSON.parse(item.document) as ChangeRecord);
}

/** Emergency changes implemented and not yet reviewed (for the review-deadline check). */
export async function listUnreviewedEmergencies(store: Store): Promise<ChangeRecord[]> {
  const rows = await gateDb(store)
    .selectFrom('changes')
    .select('document')
    .where('class', '=', 'emergency')
    .where('status', '=', 'implemented')
    .execute();
  return rows.map((item) => JSON.parse(item.document) as ChangeRecord);
}

export async function saveDecisionRow(
  store: Store,
  decision: Omit<StoredGateDecision, 'document'> & { document: unknown },
): Promise<void> {
  await gateDb(store)
    .insertInto('gate_decisions')
    .values({
      id: decision.id,
      environment: decision.environment,
      artifact: decision.artifact,
      result: decision.result,
      decided_at: decision.decidedAt,
      ledger_index: decision.ledgerIndex,
      document: JSON.stringify(redactDeep(decision.document)),
    })
    .execute();
}
