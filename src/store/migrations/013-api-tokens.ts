import type { Kysely } from 'kysely';

/**
 * The server's machine-facing side (src/server/api/):
 * - api_tokens: API tokens for CI and scripts. Only the SHA-256 of a token is kept (the store
 *   holds no credential); roles and repositories are JSON arrays; every token expires.
 * - api_uploads: what CI uploaded (an SBOM, a gate decision, provenance), by kind and repository;
 *   the bytes are kept content-addressed in record_evidence, the ledger entry names the hash.
 * - assessments_started_at_counts: the portfolio's fleet-wide trend (status counts per day over
 *   the last 90 days) read from the index alone, not by scanning a year of assessments
 *   (bench/README.md, "Server": before and after).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('token_sha256', 'text', (column) => column.notNull().unique())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('roles', 'text', (column) => column.notNull())
    .addColumn('repositories', 'text', (column) => column.notNull())
    .addColumn('created_by', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('expires_at', 'text', (column) => column.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text')
    .execute();
  await db.schema
    .createTable('api_uploads')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('repository', 'text', (column) => column.notNull())
    .addColumn('sha256', 'text', (column) => column.notNull())
    .addColumn('size', 'bigint', (column) => column.notNull())
    .addColumn('media_type', 'text', (column) => column.notNull())
    .addColumn('uploaded_by', 'text', (column) => column.notNull())
    .addColumn('uploaded_at', 'text', (column) => column.notNull())
    .addColumn('ledger_index', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('assessments_started_at_counts')
    .on('assessments')
    .columns(['started_at', 'pass', 'fail', 'partial', 'unknown'])
    .execute();
  await db.schema
    .createIndex('api_uploads_repository')
    .on('api_uploads')
    .columns(['repository', 'kind', 'uploaded_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('assessments_started_at_counts').ifExists().execute();
  for (const table of ['api_uploads', 'api_tokens']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
