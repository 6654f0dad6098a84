import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { containsCredential, toolVersion } from '../kernel/index.js';
import { type Store, viewTables } from '../store/index.js';
import type { RuleSetSpec } from './rules/types.js';
import { parseSettledHistory, type SettledHistories } from './settled-history.js';

/**
 * Blobs a history scan found no match in, remembered per rule set, so the next scan of the same
 * history reads only the blobs that are new. Only clean blobs are remembered: a blob that matched
 * is scanned again every time, so nothing about a secret (not even where it is) is kept.
 */
export interface CleanBlobCache {
  /** The subset of `blobIds` known to be clean under `rulesDigest`. */
  clean(rulesDigest: string, blobIds: readonly string[]): Promise<Set<string>>;
  remember(rulesDigest: string, blobIds: readonly string[]): Promise<void>;
  /**
   * Of these (blob, base) pairs, the blobs known to hold no match (rule and value) that the base,
   * an earlier version of the same file, does not hold (decision 0012).
   */
  inheriting(rulesDigest: string, pairs: ReadonlyArray<BlobAndBase>): Promise<Set<string>>;
  rememberInheriting(rulesDigest: string, pairs: ReadonlyArray<BlobAndBase>): Promise<void>;
  /**
   * What a history scan left to read, per repository (decision 0017): kept by the store's cache;
   * a cache that lives for one run has none, and nothing is computed to keep.
   */
  settledHistories?: SettledHistories;
}

export interface BlobAndBase {
  blob: string;
  base: string;
}

/**
 * Bumped whenever the engine judges a blob differently with the same rules (2: UTF-16 files are
 * decoded and scanned, not skipped as binary), so that stores filled by a build of the same version
 * scan those blobs again instead of keeping them as clean.
 */
const engineRevision = 2;

/**
 * Names the rules a blob was judged by: the rule set's data, the scanner's version and its engine
 * revision (the validators and the engine are code, so a new release scans everything once more).
 */
export function rulesDigest(spec: RuleSetSpec): string {
  return createHash('sha256')
    .update(`${toolVersion}\0${engineRevision}\0`)
    .update(JSON.stringify(spec))
    .digest('hex');
}

// A type alias, not an interface: Kysely needs an index-compatible record.
type CleanBlobsTable = { rules_digest: string; blob_id: string };
type InheritingBlobsTable = { rules_digest: string; blob_id: string; base_id: string };
type SettledHistoriesTable = { scope: string; history_key: string; settled: string; settled_at: string };
type Tables = {
  secret_clean_blobs: CleanBlobsTable;
  secret_inheriting_blobs: InheritingBlobsTable;
  secret_settled_histories: SettledHistoriesTable;
};

const readBatch = 500;
/** drizzle-orm's is 130 KB. */
const defaultMaxSettledBytes = 16 * 1024 * 1024;
/** A settled history not replaced for this long is deleted when another is written. */
const settledHorizonDays = 90;
// Two values a row: well under SQLite's and PostgreSQL's limits on bound parameters.
const writeBatch = 1000;

/**
 * The cache in the store (migrations 011-secret-scan-cache, 025-secret-inheriting-blobs and
 * 027-secret-settled-histories).
 */
export function storeCleanBlobCache(
  store: Store,
  {
    maxSettledBytes = defaultMaxSettledBytes,
    now = () => new Date(),
  }: { maxSettledBytes?: number; now?: () => Date } = {},
): CleanBlobCache {
  const db = viewTables<Tables>(store.db);
  return {
    async clean(digest, blobIds) {
      const found = new Set<string>();
      // The first scan under these rules (a new store, a new release) knows nothing: one query says
      // so, instead of one per 500 blobs of a large history.
      if (blobIds.length > readBatch && !(await knowsAny(db, 'secret_clean_blobs', digest))) return found;
      for (let start = 0; start < blobIds.length; start += readBatch) {
        const rows = await db
          .selectFrom('secret_clean_blobs')
          .select('blob_id')
          .where('rules_digest', '=', digest)
          .where('blob_id', 'in', blobIds.slice(start, start + readBatch))
          .execute();
        for (const row of rows) found.add(row.blob_id);
      }
      return found;
    },
    async remember(digest, blobIds) {
      const rows = blobIds.map((blobId) => ({ rules_digest: digest, blob_id: blobId }));
      await inOneTransaction(db, rows, (transaction, values) =>
        transaction
          .insertInto('secret_clean_blobs')
          .values(values)
          .onConflict((conflict) => conflict.columns(['rules_digest', 'blob_id']).doNothing())
          .execute(),
      );
    },
    async inheriting(digest, pairs) {
      const wanted = new Set(pairs.map(({ blob, base }) => `${blob}:${base}`));
      const found = new Set<string>();
      if (pairs.length > readBatch && !(await knowsAny(db, 'secret_inheriting_blobs', digest))) return found;
      for (let start = 0; start < pairs.length; start += readBatch) {
        const rows = await db
          .selectFrom('secret_inheriting_blobs')
          .select(['blob_id', 'base_id'])
          .where('rules_digest', '=', digest)
          .where(
            'blob_id',
            'in',
            pairs.slice(start, start + readBatch).map(({ blob }) => blob),
          )
          .execute();
        for (const row of rows) if (wanted.has(`${row.blob_id}:${row.base_id}`)) found.add(row.blob_id);
      }
      return found;
    },
    async rememberInheriting(digest, pairs) {
      const rows = pairs.map(({ blob, base }) => ({ rules_digest: digest, blob_id: blob, base_id: base }));
      await inOneTransaction(db, rows, (transaction, values) =>
        transaction
          .insertInto('secret_inheriting_blobs')
          .values(values)
          .onConflict((conflict) => conflict.columns(['rules_digest', 'blob_id', 'base_id']).doNothing())
          .execute(),
      );
    },
    settledHistories: storeSettledHistories(db, maxSettledBytes, now),
  };
}

function storeSettledHistories(
  db: Kysely<Tables>,
  maxSettledBytes: number,
  now: () => Date,
): SettledHistories {
  return {
    async find(key) {
      const row = await db
        .selectFrom('secret_settled_histories')
        .select('settled')
        .where('history_key', '=', key)
        .limit(1)
        .executeTakeFirst();
      return row ? parseSettledHistory(row.settled) : undefined;
    },
    async remember(scope, key, settled) {
      const text = JSON.stringify(settled);
      // What a repository's content decides (its paths, how many blobs match) is bounded here too,
      // and the store holds no credential (the redaction boundary): a path can hold one. Such a
      // history is walked again next time.
      if (text.length > maxSettledBytes || containsCredential(text)) return;
      const at = now();
      const state = { history_key: key, settled: text, settled_at: at.toISOString() };
      const horizon = new Date(at.getTime() - settledHorizonDays * 86_400_000).toISOString();
      await db.transaction().execute(async (transaction) => {
        // Repositories not scanned for a while (a mirror removed, a clone deleted) leave their row.
        await transaction.deleteFrom('secret_settled_histories').where('settled_at', '<', horizon).execute();
        await transaction
          .insertInto('secret_settled_histories')
          .values({ scope, ...state })
          .onConflict((conflict) => conflict.column('scope').doUpdateSet(state))
          .execute();
      });
    },
  };
}

/** Whether the table holds any row under these rules. */
async function knowsAny(
  db: Kysely<Tables>,
  table: 'secret_clean_blobs' | 'secret_inheriting_blobs',
  digest: string,
): Promise<boolean> {
  const row = await db
    .selectFrom(table)
    .select('blob_id')
    .where('rules_digest', '=', digest)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Writes rows in batches within one transaction: on SQLite each statement outside one is its own
 * commit (and sync).
 */
async function inOneTransaction<Row>(
  db: Kysely<Tables>,
  rows: readonly Row[],
  insert: (transaction: Transaction<Tables>, batch: Row[]) => Promise<unknown>,
): Promise<void> {
  await db.transaction().execute(async (transaction) => {
    for (let start = 0; start < rows.length; start += writeBatch)
      await insert(transaction, rows.slice(start, start + writeBatch));
  });
}

/**
 * A cache for one process, for a run without a store: the history scan's clean blobs spare the
 * working-tree scan that follows from reading the same content again.
 */
export function memoryCleanBlobCache(): CleanBlobCache {
  const known = new Map<string, Set<string>>();
  const inherited = new Map<string, Set<string>>();
  return {
    async clean(digest, blobIds) {
      const clean = known.get(digest);
      return new Set(clean ? blobIds.filter((blobId) => clean.has(blobId)) : []);
    },
    async remember(digest, blobIds) {
      const clean = known.get(digest) ?? new Set<string>();
      for (const blobId of blobIds) clean.add(blobId);
      known.set(digest, clean);
    },
    async inheriting(digest, pairs) {
      const held = inherited.get(digest);
      return new Set(
        held ? pairs.filter((pair) => held.has(`${pair.blob}:${pair.base}`)).map(({ blob }) => blob) : [],
      );
    },
    async rememberInheriting(digest, pairs) {
      const held = inherited.get(digest) ?? new Set<string>();
      for (const { blob, base } of pairs) held.add(`${blob}:${base}`);
      inherited.set(digest, held);
    },
  };
}
