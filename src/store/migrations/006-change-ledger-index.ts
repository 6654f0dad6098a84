import type { Kysely } from 'kysely';

/**
 * changes.created_ledger_index: the ledger index of the entry that created the change. The gate
 * reads the change's entries from there on instead of scanning the whole log; a wrong value can
 * only hide the creation (no approval), never a later entry that takes the approval away.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('changes').addColumn('created_ledger_index', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('changes').dropColumn('created_ledger_index').execute();
}
