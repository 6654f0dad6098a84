import type { Kysely } from 'kysely';

/**
 * Git blobs a history scan found nothing in (src/secrets/clean-blobs.ts), per rule set: a blob
 * never changes, so under the same rules it never needs scanning again. Only clean blobs are
 * kept — a blob with a match is scanned every time — so the store never holds a secret, not even
 * its position.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('secret_clean_blobs')
    .addColumn('rules_digest', 'text', (column) => column.notNull())
    .addColumn('blob_id', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('secret_clean_blobs_pk', ['rules_digest', 'blob_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('secret_clean_blobs').ifExists().execute();
}
