import type { Kysely } from 'kysely';

/**
 * Assessment history: one row per assessment (with its whole JSON document and its counts), one
 * row per control result for trends. Dialect-neutral: text, integer, and ISO-8601 text timestamps.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('assessments')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('repository', 'text', (column) => column.notNull())
    .addColumn('commit', 'text')
    .addColumn('branch', 'text')
    .addColumn('started_at', 'text', (column) => column.notNull())
    .addColumn('finished_at', 'text', (column) => column.notNull())
    .addColumn('catalog_version', 'text', (column) => column.notNull())
    .addColumn('tool_version', 'text', (column) => column.notNull())
    .addColumn('fail', 'integer', (column) => column.notNull())
    .addColumn('partial', 'integer', (column) => column.notNull())
    .addColumn('unknown', 'integer', (column) => column.notNull())
    .addColumn('pass', 'integer', (column) => column.notNull())
    .addColumn('not_applicable', 'integer', (column) => column.notNull())
    .addColumn('document', 'text', (column) => column.notNull())
    .execute();

  // "Latest assessments of a repository": WHERE repository = ? ORDER BY started_at DESC.
  await db.schema
    .createIndex('assessments_repository_started_at')
    .on('assessments')
    .columns(['repository', 'started_at'])
    .execute();
  // "Assessments of this commit".
  await db.schema
    .createIndex('assessments_repository_commit')
    .on('assessments')
    .columns(['repository', 'commit', 'started_at'])
    .execute();

  await db.schema
    .createTable('control_results')
    .addColumn('assessment_id', 'text', (column) =>
      column.notNull().references('assessments.id').onDelete('cascade'),
    )
    .addColumn('control_id', 'text', (column) => column.notNull())
    .addColumn('area', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('severity', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('control_results_pk', ['assessment_id', 'control_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('control_results').execute();
  await db.schema.dropTable('assessments').execute();
}
