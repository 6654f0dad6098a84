import type { Kysely } from 'kysely';

/**
 * The advisory database (src/advisories/): OSV records as imported, reduced to what matching needs.
 * - advisories: one row per (source, id); `document` is the reduced record as JSON.
 * - advisory_packages: which ecosystem/package names each advisory affects (the match index).
 * - advisory_sources: one row per source (an OSV ecosystem archive or an imported folder), with
 *   the HTTP validators of the last download and when it was imported, for age and sync.
 * A source is replaced whole inside one transaction, so a failed import or sync loses nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('advisory_sources')
    .addColumn('source', 'text', (column) => column.primaryKey())
    .addColumn('origin', 'text', (column) => column.notNull())
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('imported_at', 'text', (column) => column.notNull())
    .addColumn('checked_at', 'text', (column) => column.notNull())
    .addColumn('record_count', 'integer', (column) => column.notNull())
    .addColumn('error_count', 'integer', (column) => column.notNull())
    .execute();
  await db.schema
    .createTable('advisories')
    .addColumn('source', 'text', (column) => column.notNull())
    .addColumn('id', 'text', (column) => column.notNull())
    .addColumn('modified', 'text', (column) => column.notNull())
    .addColumn('published', 'text')
    .addColumn('withdrawn', 'text')
    .addColumn('severity', 'text', (column) => column.notNull())
    .addColumn('document', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('advisories_pk', ['source', 'id'])
    .execute();
  await db.schema
    .createTable('advisory_packages')
    .addColumn('source', 'text', (column) => column.notNull())
    .addColumn('advisory_id', 'text', (column) => column.notNull())
    .addColumn('ecosystem', 'text', (column) => column.notNull())
    .addColumn('name', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('advisory_packages_pk', ['source', 'advisory_id', 'ecosystem', 'name'])
    .execute();
  await db.schema
    .createIndex('advisory_packages_lookup')
    .on('advisory_packages')
    .columns(['ecosystem', 'name'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('advisory_packages').execute();
  await db.schema.dropTable('advisories').execute();
  await db.schema.dropTable('advisory_sources').execute();
}
