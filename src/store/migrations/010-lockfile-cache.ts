import type { Kysely } from 'kysely';

/**
 * Parsed lockfile versions (src/vulns/lockfile-cache.ts): one row per git blob, file name and
 * parser version, holding the packages the parser found (name, version, ecosystem) as JSON, or
 * `null` when that version could not be parsed. A blob never changes, so a row never goes stale;
 * a new parser version simply misses and parses again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('lockfile_parses')
    .addColumn('blob_id', 'text', (column) => column.notNull())
    .addColumn('file_name', 'text', (column) => column.notNull())
    .addColumn('parser_version', 'text', (column) => column.notNull())
    .addColumn('packages', 'text')
    .addColumn('parsed_at', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('lockfile_parses_pk', ['blob_id', 'file_name', 'parser_version'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('lockfile_parses').ifExists().execute();
}
