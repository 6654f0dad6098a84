import type { Kysely } from 'kysely';

/**
 * The deploy gate (src/gate/): change records and gate decisions.
 * - changes: one row per change; `document` is the whole record as JSON, the columns are for
 *   listing and for the emergency-review check.
 * - gate_decisions: one row per decision with the ledger index that vouches for it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('changes')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('class', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('author', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .addColumn('review_due_at', 'text')
    .addColumn('document', 'text', (column) => column.notNull())
    .execute();
  await db.schema
    .createTable('gate_decisions')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('environment', 'text', (column) => column.notNull())
    .addColumn('artifact', 'text', (column) => column.notNull())
    .addColumn('result', 'text', (column) => column.notNull())
    .addColumn('decided_at', 'text', (column) => column.notNull())
    .addColumn('ledger_index', 'bigint', (column) => column.notNull())
    .addColumn('document', 'text', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('gate_decisions_by_artifact')
    .on('gate_decisions')
    .columns(['artifact', 'decided_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('gate_decisions').ifExists().execute();
  await db.schema.dropTable('changes').ifExists().execute();
}
