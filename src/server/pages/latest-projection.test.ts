/**
 * The `latest_assessments` projection (migration 018, kept by writeAssessmentRows) against what
 * the portfolio computed before it from the history itself: the latest assessment of each
 * repository by a query over `assessments`, its status by area from `control_results`, its
 * evidence levels from the stored document. And the daily totals (`assessment_days`, migration 019)
 * against the same sums taken over `assessments`. On SQLite and PostgreSQL.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog/index.js';
import type { Assessment, ControlStatus, StatusCounts } from '../../kernel/index.js';
import { migrations, openStore, type Store } from '../../store/index.js';
import { describeOnEveryStore, type StoreBackend } from '../../testing/store-backends.js';
import { apiPortfolio, worstStatus } from '../api/index.js';
import { assessmentsOf, now } from './__fixtures__/seed.js';
import { portfolioModel } from './read-models.js';

const catalog = loadCatalog();

interface Reference {
  repository: string;
  assessmentId: string;
  startedAt: string;
  commit: string | null;
  summary: StatusCounts;
  areas: Record<string, StatusCounts>;
  passLevels: Record<string, number>;
  belowRequired: number;
}

/**
 * Back to the schema before `first`: its migration and every later one undone (their `down`, newest
 * first), as a store written by an older shipguard would be; the next open migrates it again.
 */
async function undoMigrationsFrom(store: Store, first: string): Promise<void> {
  const names = Object.keys(migrations)
    .filter((name) => name >= first)
    .sort()
    .reverse();
  for (const name of names) {
    await migrations[name]?.down?.(store.db as never);
    await sql`delete from shipguard_migration where name = ${name}`.execute(store.db);
  }
}

/** The fleet-wide trend's daily totals, summed over the history itself. */
async function expectDaysToMatch(store: Store): Promise<void> {
  const reference = await sql<Record<string, string | number>>`select substr(started_at, 1, 10) as day,
      count(*) as assessments, sum(fail) as fail, sum(partial) as partial, sum(unknown) as unknown,
      sum(pass) as pass, sum(not_applicable) as not_applicable
    from assessments group by substr(started_at, 1, 10) order by 1`.execute(store.db);
  const kept = await sql<
    Record<string, string | number>
  >`select day, assessments, fail, partial, unknown, pass,
      not_applicable from assessment_days order by day`.execute(store.db);
  const numbers = (rows: Record<string, string | number>[]) =>
    rows.map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([key, value]) => [key, key === 'day' ? value : Number(value)]),
      ),
    );
  expect(reference.rows.length).toBeGreaterThan(1);
  expect(numbers(kept.rows)).toEqual(numbers(reference.rows));
}

/** What the portfolio computed before the projection, from the history alone. */
async function referencePortfolio(store: Store): Promise<Reference[]> {
  const latest = await sql<{
    id: string;
    repository: string;
    commit: string | null;
    started_at: string;
    document: string;
  }>`select x.id, x.repository, x.${sql.ref('commit')}, x.started_at, x.document from assessments x
    where x.id = (select b.id from assessments b where b.repository = x.repository
      order by b.started_at desc, b.id desc limit 1)
    order by x.repository`.execute(store.db);
  const references: Reference[] = [];
  for (const row of latest.rows) {
    const counts = await store.db
      .selectFrom('control_results')
      .select(['area', 'status'])
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('assessment_id', '=', row.id)
      .groupBy(['area', 'status'])
      .execute();
    const areas: Record<string, StatusCounts> = {};
    for (const count of counts) {
      const area = areas[count.area] ?? { fail: 0, partial: 0, unknown: 0, pass: 0, 'not-applicable': 0 };
      area[count.status as ControlStatus] += Number(count.count);
      areas[count.area] = area;
    }
    const document = JSON.parse(row.document) as Assessment;
    const passLevels: Record<string, number> = { verified: 0, signed: 0, declared: 0, none: 0 };
    let belowRequired = 0;
    for (const control of document.controls) {
      if (control.status === 'pass')
        passLevels[control.evidenceLevel ?? 'none'] = (passLevels[control.evidenceLevel ?? 'none'] ?? 0) + 1;
      if (
        control.requiredLevel !== undefined &&
        control.evidenceLevel !== undefined &&
        control.evidenceLevel !== control.requiredLevel &&
        control.status !== 'pass'
      )
        belowRequired += 1;
    }
    references.push({
      repository: row.repository,
      assessmentId: row.id,
      startedAt: row.started_at,
      commit: row.commit,
      summary: document.summary,
      areas,
      passLevels,
      belowRequired,
    });
  }
  return references;
}

async function expectProjectionToMatch(store: Store, expectedIds: Record<string, string>) {
  const reference = await referencePortfolio(store);
  expect(Object.fromEntries(reference.map((row) => [row.repository, row.assessmentId]))).toEqual(expectedIds);
  const model = await portfolioModel(store, { catalog, now });
  const byRepository = new Map(model.repositories.map((row) => [row.repository, row]));
  expect([...byRepository.keys()].sort()).toEqual(reference.map((row) => row.repository).sort());
  for (const expected of reference) {
    const row = byRepository.get(expected.repository);
    expect(row?.assessmentId).toBe(expected.assessmentId);
    expect(row?.startedAt).toBe(expected.startedAt);
    expect(row?.commit ?? null).toBe(expected.commit);
    expect(row?.summary).toEqual(expected.summary);
    expect(row?.areas).toEqual(expected.areas);
    expect(row?.passLevels).toEqual(expected.passLevels);
    expect(row?.belowRequired).toBe(expected.belowRequired);
  }
  const api = await apiPortfolio(store);
  expect(api.map((entry) => entry.repository)).toEqual(reference.map((row) => row.repository));
  for (const [index, expected] of reference.entries()) {
    const entry = api[index];
    expect(entry?.assessmentId).toBe(expected.assessmentId);
    expect(entry?.summary).toEqual(expected.summary);
    expect(entry?.areas).toEqual(
      Object.fromEntries(
        Object.entries(expected.areas)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([area, counts]) => [area, worstStatus(counts)]),
      ),
    );
  }
  const scoped = await apiPortfolio(store, [reference[0]?.repository ?? '']);
  expect(scoped.map((entry) => entry.assessmentId)).toEqual([reference[0]?.assessmentId]);
  expect(await apiPortfolio(store, [])).toEqual([]);
}

await describeOnEveryStore('latest assessments projection', (name: string, backend: StoreBackend) => {
  describe(`latest assessments projection (${name})`, () => {
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    it('keeps the newest assessment of each repository, whatever order they are saved in', async () => {
      const location = await backend.createLocation();
      store = await openStore(location);
      const payments = assessmentsOf('payments-api', 0.62, 5, 3);
      const checkout = assessmentsOf('web-checkout', 0.74, 4, 2);
      // In order for one; the newest first and the older ones after it for the other.
      for (const assessment of payments) await store.saveAssessment(assessment);
      const [newest, ...older] = [...checkout].reverse();
      await store.saveAssessment(newest as Assessment);
      for (const assessment of older) await store.saveAssessment(assessment);
      const newestPayments = payments.at(-1) as Assessment;
      await expectProjectionToMatch(store, {
        [newestPayments.subject.path]: newestPayments.id,
        [(newest as Assessment).subject.path]: (newest as Assessment).id,
      });
      // Same start: the greater id is the latest (as the history query orders), a smaller one is not.
      const sameStartLower = { ...newestPayments, id: 'payments-api-0003a' };
      const sameStartHigher = {
        ...newestPayments,
        id: 'payments-api-9999',
        controls: payments[0]?.controls ?? [],
      };
      sameStartHigher.summary = { fail: 0, partial: 0, unknown: 0, pass: 0, 'not-applicable': 0 };
      for (const control of sameStartHigher.controls) sameStartHigher.summary[control.status] += 1;
      await store.saveAssessment(sameStartLower);
      await store.saveAssessment(sameStartHigher);
      await expectProjectionToMatch(store, {
        [newestPayments.subject.path]: 'payments-api-9999',
        [(newest as Assessment).subject.path]: (newest as Assessment).id,
      });
    });

    /** A store holding two repositories' histories, one saved newest first, on shared days. */
    async function twoRepositoriesOutOfOrder(location: Awaited<ReturnType<StoreBackend['createLocation']>>) {
      const opened = await openStore(location);
      const identity = assessmentsOf('identity-service', 0.82, 4, 3);
      const payments = assessmentsOf('payments-api', 0.62, 3, 5);
      for (const assessment of [...identity].reverse()) await opened.saveAssessment(assessment);
      for (const assessment of payments) await opened.saveAssessment(assessment);
      return { opened, identity, payments };
    }

    it('is backfilled from the assessments already stored when migration 018 runs', async () => {
      const location = await backend.createLocation();
      const { opened, identity, payments } = await twoRepositoriesOutOfOrder(location);
      store = opened;
      // Back to the schema before 018, with the history in place.
      await undoMigrationsFrom(store, '018-latest-assessments');
      await store.close();
      store = await openStore(location);
      expect(store.appliedMigrations).toContain('018-latest-assessments');
      await expectProjectionToMatch(store, {
        [(identity.at(-1) as Assessment).subject.path]: (identity.at(-1) as Assessment).id,
        [(payments.at(-1) as Assessment).subject.path]: (payments.at(-1) as Assessment).id,
      });
    });

    it('keeps the daily totals of the trend on every save, and backfills them when migration 019 runs', async () => {
      const location = await backend.createLocation();
      const { opened, identity, payments } = await twoRepositoriesOutOfOrder(location);
      store = opened;
      await expectDaysToMatch(store);
      const model = await portfolioModel(store, { catalog, now, trendDays: 3650 });
      const assessed = model.trend.reduce((sum, day) => sum + day.assessed, 0);
      const judged = [...identity, ...payments].reduce(
        (sum, item) =>
          sum + item.summary.pass + item.summary.fail + item.summary.partial + item.summary.unknown,
        0,
      );
      expect(assessed).toBe(judged);
      await undoMigrationsFrom(store, '019-assessment-days');
      await store.close();
      store = await openStore(location);
      expect(store.appliedMigrations).toContain('019-assessment-days');
      await expectDaysToMatch(store);
    });
  });
});
