import type { Kysely } from 'kysely';

/**
 * The latest SBOM of every repository, as rows indexed by package, and what advisories match
 * them (src/fleet/rematch.ts): a new advisory finds the repositories it affects by a query,
 * without scanning any repository again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('repository_components')
    .addColumn('repository', 'text', (column) => column.notNull())
    .addColumn('ecosystem', 'text', (column) => column.notNull())
    /** The advisory database's name key (PyPI names normalised, NuGet lower-cased). */
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('version', 'text', (column) => column.notNull())
    .addColumn('purl', 'text', (column) => column.notNull())
    .addColumn('recorded_at', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('repository_components_pk', ['repository', 'purl'])
    .execute();
  await db.schema
    .createIndex('repository_components_package')
    .on('repository_components')
    .columns(['ecosystem', 'name'])
    .execute();
  await db.schema
    .createTable('advisory_matches')
    .addColumn('repository', 'text', (column) => column.notNull())
    .addColumn('advisory_id', 'text', (column) => column.notNull())
    .addColumn('purl', 'text', (column) => column.notNull())
    .addColumn('severity', 'text', (column) => column.notNull())
    .addColumn('published', 'text')
    .addColumn('first_seen', 'text', (column) => column.notNull())
    .addColumn('due', 'text')
    .addColumn('notified_new_at', 'text')
    .addColumn('notified_overdue_at', 'text')
    .addPrimaryKeyConstraint('advisory_matches_pk', ['repository', 'advisory_id', 'purl'])
    .execute();
  await db.schema
    .createIndex('advisory_matches_advisory')
    .on('advisory_matches')
    .column('advisory_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('advisory_matches').ifExists().execute();
  await db.schema.dropTable('repository_components').ifExists().execute();
}
