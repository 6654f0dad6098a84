import type { Kysely } from 'kysely';

/**
 * Forge API responses kept for revalidation (src/source-control/forges/store-cache.ts): one row
 * per request identity (forge, API host, path and query; never a token), its ETag and
 * Last-Modified, the body as received and when it was fetched. A 304 answer reuses the body.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('forge_responses')
    .addColumn('key', 'text', (column) => column.primaryKey())
    .addColumn('forge', 'text', (column) => column.notNull())
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('body', 'text', (column) => column.notNull())
    .addColumn('fetched_at', 'text', (column) => column.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('forge_responses').ifExists().execute();
}
