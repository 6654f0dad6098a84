import { type Kysely, sql } from 'kysely';

/**
 * The ledger (src/ledger/): an append-only Merkle log.
 * - ledger_entries: one row per leaf, its canonical JSON text and leaf hash (hex).
 * - ledger_nodes: every complete perfect subtree (level 0 = leaves), so any proof reads O(log n) rows.
 * - ledger_head: one row (id 1) with the current size and root; writers lock it to append in turn.
 * - ledger_checkpoints: signed checkpoints (C2SP signed notes) by tree size.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ledger_entries')
    .addColumn('idx', 'bigint', (column) => column.primaryKey())
    .addColumn('leaf_hash', 'text', (column) => column.notNull())
    .addColumn('entry', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema
    .createTable('ledger_nodes')
    .addColumn('level', 'integer', (column) => column.notNull())
    .addColumn('idx', 'bigint', (column) => column.notNull())
    .addColumn('hash', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('ledger_nodes_pk', ['level', 'idx'])
    .execute();
  await db.schema
    .createTable('ledger_head')
    .addColumn('id', 'integer', (column) => column.primaryKey())
    .addColumn('size', 'bigint', (column) => column.notNull())
    .addColumn('root', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute();
  // SHA-256 of nothing: the root of the empty tree.
  await sql`insert into ledger_head (id, size, root, updated_at) values (1, 0, ${'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'}, ${new Date(0).toISOString()})`.execute(
    db,
  );
  await db.schema
    .createTable('ledger_checkpoints')
    .addColumn('size', 'bigint', (column) => column.primaryKey())
    .addColumn('root', 'text', (column) => column.notNull())
    .addColumn('note', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['ledger_checkpoints', 'ledger_head', 'ledger_nodes', 'ledger_entries']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
