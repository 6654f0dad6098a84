import type { Kysely } from 'kysely';

/**
 * Evidence imported from other tools (src/evidence-import/): one row per `shipguard evidence
 * import`, a projection of its `evidence.imported` ledger entry. The file itself is not kept:
 * its SHA-256 and size are, with what the tool reported (summary, as JSON), and the importer's
 * signature when the import was signed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('evidence_imports')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('format', 'text', (column) => column.notNull())
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('tool', 'text', (column) => column.notNull())
    .addColumn('ran_at', 'text', (column) => column.notNull())
    .addColumn('ran_at_source', 'text', (column) => column.notNull())
    .addColumn('commit_sha', 'text', (column) => column.notNull())
    .addColumn('commit_source', 'text', (column) => column.notNull())
    .addColumn('sha256', 'text', (column) => column.notNull())
    .addColumn('size', 'bigint', (column) => column.notNull())
    .addColumn('file_name', 'text', (column) => column.notNull())
    .addColumn('imported_at', 'text', (column) => column.notNull())
    .addColumn('summary', 'text', (column) => column.notNull())
    /** With --sign-with: the DSSE envelope over the import (canonical JSON) and its key id. */
    .addColumn('envelope', 'text')
    .addColumn('signer_key', 'text')
    .addColumn('ledger_index', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('evidence_imports_commit')
    .on('evidence_imports')
    .columns(['commit_sha', 'kind'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('evidence_imports').ifExists().execute();
}
