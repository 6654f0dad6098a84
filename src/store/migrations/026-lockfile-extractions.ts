import type { Kysely } from 'kysely';

/**
 * Whole extractions of working-tree lockfiles (src/ecosystems/extraction-cache.ts): one row per
 * digest of what the extractor read (its version, the lockfile's path and text, the sibling
 * manifests it was given), holding the packages and warnings it returned as JSON. The same input
 * always gives the same output, so a row never goes stale; rows older than the cache's horizon are
 * pruned when new ones are written.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('lockfile_extractions')
    .addColumn('input_digest', 'text', (column) => column.primaryKey())
    .addColumn('extraction', 'text', (column) => column.notNull())
    .addColumn('extracted_at', 'text', (column) => column.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('lockfile_extractions').ifExists().execute();
}
