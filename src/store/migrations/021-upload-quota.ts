import type { Kysely } from 'kysely';

/** `api_uploads` by uploader and time: each upload sums its principal's last 24 hours (ASVS 12.1.3). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('api_uploads_uploaded_by')
    .on('api_uploads')
    .columns(['uploaded_by', 'uploaded_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('api_uploads_uploaded_by').ifExists().execute();
}
