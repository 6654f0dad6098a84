import type { Kysely } from 'kysely';

/**
 * The roster (src/people/): a projection of the ledger's `person.recorded` events, one row per
 * person with the latest document as canonical JSON and the ledger index it came from.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('people')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('name_key', 'text', (column) => column.notNull())
    .addColumn('document', 'text', (column) => column.notNull())
    .addColumn('ledger_index', 'bigint', (column) => column.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('people').ifExists().execute();
}
