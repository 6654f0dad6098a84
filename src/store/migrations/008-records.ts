import type { Kysely } from 'kysely';

/**
 * Signed records (src/records/), projections of the ledger:
 * - records: one row per record, its DSSE envelope as canonical JSON and the envelope's SHA-256;
 * - record_signers: public keys registered to roster people (`record-signer.registered` events);
 * - record_evidence: evidence file bytes, content-addressed by SHA-256 (base64 text, bounded size).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('records')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('subject', 'text', (column) => column.notNull())
    .addColumn('effective', 'text', (column) => column.notNull())
    .addColumn('recorded_at', 'text', (column) => column.notNull())
    .addColumn('signer_key', 'text', (column) => column.notNull())
    .addColumn('digest', 'text', (column) => column.notNull())
    .addColumn('envelope', 'text', (column) => column.notNull())
    .addColumn('ledger_index', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('records_kind_effective')
    .on('records')
    .columns(['kind', 'effective'])
    .execute();
  await db.schema
    .createTable('record_signers')
    .addColumn('key_id', 'text', (column) => column.primaryKey())
    .addColumn('person_id', 'text', (column) => column.notNull())
    .addColumn('public_key', 'text', (column) => column.notNull())
    .addColumn('ledger_index', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema
    .createTable('record_evidence')
    .addColumn('sha256', 'text', (column) => column.primaryKey())
    .addColumn('size', 'bigint', (column) => column.notNull())
    .addColumn('media_type', 'text', (column) => column.notNull())
    .addColumn('content', 'text', (column) => column.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['record_evidence', 'record_signers', 'records']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
