import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { toolVersion } from '../kernel/index.js';
import type { Store } from '../store/index.js';
import type { RuleSetSpec } from './rules/types.js';

/**
 * Blobs a history scan found no match in, remembered per rule set, so the next scan of the same
 * history reads only the blobs that are new. Only clean blobs are remembered: a blob that matched
 * is scanned again every time, so nothing about a secret (not even where it is) is kept.
 */
export interface CleanBlobCache {
  /** The subset of `blobIds` known to be clean under `rulesDigest`. */
  clean(rulesDigest: string, blobIds: readonly string[]): Promise<Set<string>>;
  remember(rulesDigest: string, blobIds: readonly string[]): Promise<void>;
}

/**
 * Names the rules a blob was judged by: the rule set's data and the scanner's version (the
 * validators and the engine are code, so a new release scans everything once more).
 */
export function rulesDigest(spec: RuleSetSpec): string {
  return createHash('sha256').update(toolVersion).update('\0').update(JSON.stringify(spec)).digest('hex');
}

// A type alias, not an interface: Kysely needs an index-compatible record.
type CleanBlobsTable = { rules_digest: string; blob_id: string };
type Tables = { secret_clean_blobs: CleanBlobsTable };

const readBatch = 500;
// Two values a row: well under SQLite's and PostgreSQL's limits on bound parameters.
const writeBatch = 1000;

/** The cache in the store (migration 011-secret-scan-cache). */
export function storeCleanBlobCache(store: Store): CleanBlobCache {
  const db = store.db.withTables<Tables>() as unknown as Kysely<Tables>;
  return {
    async clean(digest, blobIds) {
      const found = new Set<string>();
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
      // One transaction: on SQLite each statement outside one is its own commit (and sync).
      await db.transaction().execute(async (transaction) => {
        for (let start = 0; start < blobIds.length; start += writeBatch) {
          const values = blobIds
            .slice(start, start + writeBatch)
            .map((blobId) => ({ rules_digest: digest, blob_id: blobId }));
          await transaction
            .insertInto('secret_clean_blobs')
            .values(values)
            .onConflict((conflict) => conflict.columns(['rules_digest', 'blob_id']).doNothing())
            .execute();
        }
      });
    },
  };
}

/**
 * A cache for one process, for a run without a store: the history scan's clean blobs spare the
 * working-tree scan that follows from reading the same content again.
 */
export function memoryCleanBlobCache(): CleanBlobCache {
  const known = new Map<string, Set<string>>();
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
  };
}
