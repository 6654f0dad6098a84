import type { Kysely } from 'kysely';

/**
 * The latest SBOM of every repository, as rows indexed by package, and which advisories affect
 * which package versions (src/fleet/rematch.ts): a new advisory finds the repositories it affects
 * by a query, without scanning any repository again. Matches are kept per package version (many
 * repositories share a version); repositories are joined in when asked, and each notification
 * sent for a repository is remembered so it is sent once.
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
    .columns(['ecosystem', 'name', 'version'])
    .execute();
  await db.schema
    .createTable('package_advisory_matches')
    .addColumn('ecosystem', 'text', (column) => column.notNull())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('version', 'text', (column) => column.notNull())
    .addColumn('advisory_id', 'text', (column) => column.notNull())
    .addColumn('severity', 'text', (column) => column.notNull())
    .addColumn('published', 'text')
    .addColumn('first_seen', 'text', (column) => column.notNull())
    .addColumn('due', 'text')
    .addPrimaryKeyConstraint('package_advisory_matches_pk', ['ecosystem', 'name', 'version', 'advisory_id'])
    .execute();
  await db.schema
    .createIndex('package_advisory_matches_advisory')
    .on('package_advisory_matches')
    .column('advisory_id')
    .execute();
  await db.schema
    .createTable('match_notifications')
    .addColumn('repository', 'text', (column) => column.notNull())
    .addColumn('advisory_id', 'text', (column) => column.notNull())
    .addColumn('purl', 'text', (column) => column.notNull())
    /** `new-critical` or `overdue`. */
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('sent_at', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('match_notifications_pk', ['repository', 'advisory_id', 'purl', 'kind'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('match_notifications').ifExists().execute();
  await db.schema.dropTable('package_advisory_matches').ifExists().execute();
  await db.schema.dropTable('repository_components').ifExists().execute();
}
