import type { Kysely } from 'kysely';

/**
 * What the last full re-match saw of each package (src/fleet/rematch.ts), so the next one can
 * skip a package whose advisories did not change and that gained no version since. `changes`
 * counts the times a stored SBOM brought a version of the package new to its repository
 * (raised by `recordComponents`); `matched_changes` is the count a re-match had read before it
 * read the package's versions, and `fingerprint` a digest of the advisories it matched them
 * against. A package is matched again when the two counts differ, when its advisories' digest
 * differs, or when it has no row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rematch_packages')
    .addColumn('ecosystem', 'text', (column) => column.notNull())
    /** The advisory database's name key, as in repository_components. */
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('changes', 'bigint', (column) => column.notNull())
    .addColumn('matched_changes', 'bigint', (column) => column.notNull())
    .addColumn('fingerprint', 'text')
    .addPrimaryKeyConstraint('rematch_packages_pk', ['ecosystem', 'name'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rematch_packages').ifExists().execute();
}
