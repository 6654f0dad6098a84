import { type Kysely, sql } from 'kysely';
import type { Assessment } from '../../kernel/index.js';
import { latestRowOf } from '../latest.js';

/**
 * `latest_assessments`: each repository's latest assessment (newest start, then greatest id) with
 * its status counts by area and its passing controls by evidence level, so the portfolio (page and
 * API) reads one small row per repository. Kept by `writeAssessmentRows` in the transaction that
 * writes the assessment; backfilled here from the assessments already stored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('latest_assessments')
    .addColumn('repository', 'text', (column) => column.primaryKey())
    .addColumn('assessment_id', 'text', (column) => column.notNull())
    .addColumn('started_at', 'text', (column) => column.notNull())
    .addColumn('commit', 'text')
    .addColumn('fail', 'integer', (column) => column.notNull())
    .addColumn('partial', 'integer', (column) => column.notNull())
    .addColumn('unknown', 'integer', (column) => column.notNull())
    .addColumn('pass', 'integer', (column) => column.notNull())
    .addColumn('not_applicable', 'integer', (column) => column.notNull())
    .addColumn('areas', 'text', (column) => column.notNull())
    .addColumn('pass_verified', 'integer', (column) => column.notNull())
    .addColumn('pass_signed', 'integer', (column) => column.notNull())
    .addColumn('pass_declared', 'integer', (column) => column.notNull())
    .addColumn('pass_none', 'integer', (column) => column.notNull())
    .addColumn('below_required', 'integer', (column) => column.notNull())
    .execute();
  await rebuildLatestAssessments(db);
}

type LatestRow = {
  id: string;
  repository: string;
  commit: string | null;
  started_at: string;
  fail: number;
  partial: number;
  unknown: number;
  pass: number;
  not_applicable: number;
  document: string;
};

/**
 * Fills `latest_assessments` from the assessments stored (the table empty): the migration's
 * backfill, and for rows written around `writeAssessmentRows` (the server bench's seed).
 */
export async function rebuildLatestAssessments(db: Kysely<unknown>): Promise<void> {
  // The distinct repositories by a loose index scan over (repository, started_at).
  const repositories = await sql<{ repository: string | null }>`with recursive r(repository) as (
      select min(repository) from assessments
      union all
      select (select min(a.repository) from assessments a where a.repository > r.repository)
      from r where r.repository is not null)
    select repository from r where repository is not null`.execute(db);
  const keys = repositories.rows.map((row) => row.repository as string);
  for (let start = 0; start < keys.length; start += 200) {
    const chunk = keys.slice(start, start + 200);
    const latest =
      await sql<LatestRow>`select x.id, x.repository, x.${sql.ref('commit')}, x.started_at, x.fail, x.partial,
        x.unknown, x.pass, x.not_applicable, x.document
      from assessments x where x.repository in (${sql.join(chunk)}) and x.id = (
        select b.id from assessments b where b.repository = x.repository
        order by b.started_at desc, b.id desc limit 1)`.execute(db);
    const rows = latest.rows.map((row) => {
      let document: Partial<Assessment> = {};
      try {
        const parsed = JSON.parse(row.document) as Partial<Assessment> | null;
        if (parsed !== null && typeof parsed === 'object' && Array.isArray(parsed.controls))
          document = parsed;
      } catch {
        // A damaged document: its counts are kept, without areas or evidence levels.
      }
      const summary = {
        fail: Number(row.fail),
        partial: Number(row.partial),
        unknown: Number(row.unknown),
        pass: Number(row.pass),
        'not-applicable': Number(row.not_applicable),
      };
      return latestRowOf(
        {
          id: row.id,
          subject: row.commit === null ? {} : { commit: row.commit },
          summary,
          controls: document.controls ?? [],
        },
        row.repository,
        row.started_at,
      );
    });
    if (rows.length > 0)
      await (db as unknown as Kysely<{ latest_assessments: (typeof rows)[number] }>)
        .insertInto('latest_assessments')
        .values(rows)
        .execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('latest_assessments').ifExists().execute();
}
