import type { Kysely } from 'kysely';

/**
 * Repositories by identity (issue 18):
 * - repository_aliases: a local path (what history was keyed by before) → the repository's key
 *   (its normalised remote URL), so assessments saved under the path stay in the history of the key;
 * - fleet_repositories: the repositories the fleet assesses, with their schedule;
 * - fleet_runs: one row per finished job run, its id unique, so a retried job writes nothing twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('repository_aliases')
    .addColumn('alias', 'text', (column) => column.primaryKey())
    .addColumn('repository', 'text', (column) => column.notNull())
    .addColumn('recorded_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('repository_aliases_repository')
    .on('repository_aliases')
    .column('repository')
    .execute();
  await db.schema
    .createTable('fleet_repositories')
    .addColumn('key', 'text', (column) => column.primaryKey())
    .addColumn('url', 'text', (column) => column.notNull())
    .addColumn('subfolder', 'text')
    .addColumn('source', 'text', (column) => column.notNull())
    .addColumn('added_at', 'text', (column) => column.notNull())
    .addColumn('due_at', 'text', (column) => column.notNull())
    .addColumn('last_attempted_at', 'text')
    .addColumn('last_finished_at', 'text')
    .addColumn('last_status', 'text')
    .addColumn('last_error', 'text')
    .addColumn('last_run_id', 'text')
    .addColumn('queued_run_id', 'text')
    .addColumn('queued_trigger', 'text')
    .execute();
  await db.schema
    .createIndex('fleet_repositories_due')
    .on('fleet_repositories')
    .columns(['due_at', 'key'])
    .execute();
  await db.schema
    .createTable('fleet_runs')
    .addColumn('run_id', 'text', (column) => column.primaryKey())
    .addColumn('repository', 'text', (column) => column.notNull())
    .addColumn('assessment_id', 'text', (column) => column.notNull())
    .addColumn('ledger_index', 'bigint', (column) => column.notNull())
    .addColumn('worker', 'text', (column) => column.notNull())
    .addColumn('trigger', 'text', (column) => column.notNull())
    .addColumn('finished_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('fleet_runs_repository')
    .on('fleet_runs')
    .columns(['repository', 'finished_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['fleet_runs', 'fleet_repositories', 'repository_aliases']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
