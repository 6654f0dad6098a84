import { type Kysely, sql } from 'kysely';

/**
 * `assessment_days`: the status counts of every assessment started on a day (UTC), summed, so the
 * portfolio's fleet-wide trend reads one row per day instead of every assessment of the window
 * (90,000 rows for 1,000 repositories assessed daily). Kept by `writeAssessmentRows` in the
 * transaction that writes the assessment; backfilled here from the assessments already stored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('assessment_days')
    .addColumn('day', 'text', (column) => column.primaryKey())
    .addColumn('assessments', 'bigint', (column) => column.notNull())
    .addColumn('fail', 'bigint', (column) => column.notNull())
    .addColumn('partial', 'bigint', (column) => column.notNull())
    .addColumn('unknown', 'bigint', (column) => column.notNull())
    .addColumn('pass', 'bigint', (column) => column.notNull())
    .addColumn('not_applicable', 'bigint', (column) => column.notNull())
    .execute();
  await rebuildAssessmentDays(db);
}

/** Fills `assessment_days` (empty) from the assessments stored: the backfill, and the server bench's seed. */
export async function rebuildAssessmentDays(db: Kysely<unknown>): Promise<void> {
  await sql`insert into assessment_days (day, assessments, fail, partial, unknown, pass, not_applicable)
    select substr(started_at, 1, 10), count(*), sum(fail), sum(partial), sum(unknown), sum(pass),
      sum(not_applicable)
    from assessments group by substr(started_at, 1, 10)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('assessment_days').ifExists().execute();
}
