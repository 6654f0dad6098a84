import type { Kysely } from 'kysely';

/**
 * `server_form_uploads`: the bytes each person's page-form file parts brought in, with when, so a
 * day's uploads per person are bounded (`limits.uploadBytesPerDay`, ASVS 12.1.3) as the API's are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('server_form_uploads')
    .addColumn('user_id', 'text', (column) => column.notNull())
    .addColumn('uploaded_at', 'text', (column) => column.notNull())
    .addColumn('bytes', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('server_form_uploads_user')
    .on('server_form_uploads')
    .columns(['user_id', 'uploaded_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('server_form_uploads').ifExists().execute();
}
