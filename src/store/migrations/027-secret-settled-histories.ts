import type { Kysely } from 'kysely';

/**
 * What a history scan left to read, per repository (its git folder) and for one state of its refs
 * and rules (src/secrets/settled-history.ts, decision 0017): blob ids, paths and commits, never a
 * match. A scan of the same state starts from it instead of walking every commit; any other state
 * walks again and replaces the row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('secret_settled_histories')
    .addColumn('scope', 'text', (column) => column.primaryKey())
    .addColumn('history_key', 'text', (column) => column.notNull())
    .addColumn('settled', 'text', (column) => column.notNull())
    .addColumn('settled_at', 'text', (column) => column.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('secret_settled_histories').ifExists().execute();
}
