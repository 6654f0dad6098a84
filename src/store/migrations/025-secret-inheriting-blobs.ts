import type { Kysely } from 'kysely';

/**
 * Versions of a file that hold no secret-rule match their previous version at the same path does
 * not hold (src/secrets/clean-blobs.ts, decision 0012), per rule set: blob and base ids only. A
 * history scan skips such a version when nothing but that path ever held it and HEAD does not, as
 * it could add no finding. Nothing about a match is kept, not even its line.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('secret_inheriting_blobs')
    .addColumn('rules_digest', 'text', (column) => column.notNull())
    .addColumn('blob_id', 'text', (column) => column.notNull())
    .addColumn('base_id', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('secret_inheriting_blobs_pk', ['rules_digest', 'blob_id', 'base_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('secret_inheriting_blobs').ifExists().execute();
}
