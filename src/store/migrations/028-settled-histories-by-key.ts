import type { Kysely } from 'kysely';

/**
 * A settled history is looked up by its key alone (decision 0017, amended): the same refs, HEAD and
 * rules name the same history in any clone, so a fleet worker starts from the row another worker
 * wrote for its own clone of the repository.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('secret_settled_histories_by_key')
    .on('secret_settled_histories')
    .column('history_key')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('secret_settled_histories_by_key').ifExists().execute();
}
