import { describe, expect, it } from 'vitest';
import { buildAssessment, manyControls } from '../store/__fixtures__/assessment-builder.js';
import { migrations, type OpenStoreOptions, type StoreLocation } from '../store/index.js';
import { storePerTest } from './store-backends.js';

/** How the shared suite reaches one store implementation. */
export interface StoreHarness {
  /** An empty location for one test (a new file, a reset schema). */
  createLocation(): Promise<StoreLocation>;
  /** Cleans up what createLocation made; called after each test. */
  removeLocation?(location: StoreLocation): Promise<void>;
  /** Whether a second open of one location sees the first one's data (false for `:memory:`). */
  shared: boolean;
  /** Options for every open (short timeouts in tests). */
  openOptions?: OpenStoreOptions;
}

const repository = '/srv/repos/shop';
const otherRepository = '/srv/repos/blog';
const commitA = 'a1'.repeat(20);
const commitB = 'b2'.repeat(20);

/**
 * The behaviour every Store must have, run against each implementation (SQLite file, SQLite
 * in memory, PostgreSQL). Tests that need two connections to one database are skipped, by name,
 * where the harness cannot share data.
 */
export function describeStoreSuite(name: string, harness: StoreHarness): void {
  describe(`store: ${name}`, () => {
    const open = storePerTest(harness, harness.openOptions);

    const itShared = harness.shared ? it : it.skip;

    it('applies every migration on first open', async () => {
      const store = await open();
      expect(store.appliedMigrations).toEqual(Object.keys(migrations).sort());
      expect(await store.listAssessments()).toEqual([]);
    });

    itShared('applies nothing on a second open and keeps the data (migrations are idempotent)', async () => {
      const first = await open();
      await first.saveAssessment(buildAssessment({ id: 'one' }), { repository });
      await first.close();
      const second = await open();
      expect(second.appliedMigrations).toEqual([]);
      expect((await second.listAssessments()).map((summary) => summary.id)).toEqual(['one']);
    });

    it('round-trips a whole assessment exactly', async () => {
      const store = await open();
      const assessment = buildAssessment({
        id: 'round-trip',
        commit: commitA,
        branch: 'main',
        controls: [
          { id: 'SD-01', area: 'governance', status: 'pass' },
          { id: 'SD-02', area: 'supply-chain', status: 'fail', severity: 'critical' },
          { id: 'SD-03', area: 'supply-chain', status: 'partial' },
          { id: 'SD-04', area: 'records', status: 'unknown' },
          { id: 'SD-05', area: 'records', status: 'not-applicable' },
        ],
      });
      await store.saveAssessment(assessment, { repository });
      expect(await store.getAssessment('round-trip')).toStrictEqual(assessment);
      expect(await store.getAssessment('missing')).toBeUndefined();
    });

    it('lists summaries newest first, with exact columns', async () => {
      const store = await open();
      await store.saveAssessment(
        buildAssessment({
          id: 'middle',
          startedAt: '2026-06-02T08:00:00.000Z',
          commit: commitA,
          branch: 'main',
        }),
        { repository },
      );
      await store.saveAssessment(buildAssessment({ id: 'oldest', startedAt: '2026-06-01T08:00:00.000Z' }), {
        repository,
      });
      await store.saveAssessment(
        buildAssessment({
          id: 'newest',
          startedAt: '2026-06-03T08:00:00.000Z',
          finishedAt: '2026-06-03T08:02:30.000Z',
          commit: commitB,
          catalogVersion: '2026.2',
          toolVersion: '0.2.0',
          controls: [
            { id: 'SD-01', area: 'governance', status: 'pass' },
            { id: 'SD-02', area: 'governance', status: 'pass' },
            { id: 'SD-03', area: 'governance', status: 'not-applicable' },
          ],
        }),
        { repository },
      );
      const summaries = await store.listAssessments({ repository });
      expect(summaries.map((summary) => summary.id)).toEqual(['newest', 'middle', 'oldest']);
      expect(summaries[0]).toStrictEqual({
        id: 'newest',
        repository,
        commit: commitB,
        startedAt: '2026-06-03T08:00:00.000Z',
        finishedAt: '2026-06-03T08:02:30.000Z',
        catalogVersion: '2026.2',
        toolVersion: '0.2.0',
        summary: { fail: 0, partial: 0, unknown: 0, pass: 2, 'not-applicable': 1 },
      });
      expect(summaries[1]).toMatchObject({ commit: commitA, branch: 'main' });
      expect(summaries[2]).not.toHaveProperty('commit');
      expect(summaries[2]).not.toHaveProperty('branch');
      expect(summaries[2]?.summary).toEqual({
        fail: 1,
        partial: 0,
        unknown: 1,
        pass: 1,
        'not-applicable': 0,
      });
    });

    it('filters by repository, honours the limit, and breaks ties in time by id', async () => {
      const store = await open();
      const at = '2026-06-01T08:00:00.000Z';
      for (const id of ['b', 'd', 'a', 'c']) {
        await store.saveAssessment(buildAssessment({ id, startedAt: at }), { repository });
      }
      await store.saveAssessment(buildAssessment({ id: 'z', startedAt: '2027-01-01T00:00:00.000Z' }), {
        repository: otherRepository,
      });
      expect((await store.listAssessments({ repository })).map((summary) => summary.id)).toEqual([
        'd',
        'c',
        'b',
        'a',
      ]);
      expect((await store.listAssessments({ repository, limit: 2 })).map((summary) => summary.id)).toEqual([
        'd',
        'c',
      ]);
      expect((await store.listAssessments()).map((summary) => summary.id)).toEqual(['z', 'd', 'c', 'b', 'a']);
      expect(await store.listAssessments({ repository: '/srv/repos/none' })).toEqual([]);
    });

    it('stores start times in UTC so that order is time order, and keeps the document as given', async () => {
      const store = await open();
      // 14:00 at +02:00 is 12:00 UTC: earlier than 13:00 UTC although it sorts later as text.
      const offset = buildAssessment({ id: 'offset', startedAt: '2026-06-01T14:00:00+02:00' });
      await store.saveAssessment(offset, { repository });
      await store.saveAssessment(buildAssessment({ id: 'utc', startedAt: '2026-06-01T13:00:00.000Z' }), {
        repository,
      });
      const summaries = await store.listAssessments({ repository });
      expect(summaries.map((summary) => [summary.id, summary.startedAt])).toEqual([
        ['utc', '2026-06-01T13:00:00.000Z'],
        ['offset', '2026-06-01T12:00:00.000Z'],
      ]);
      expect((await store.getAssessment('offset'))?.startedAt).toBe('2026-06-01T14:00:00+02:00');
    });

    it('finds the latest assessment of a commit in one repository', async () => {
      const store = await open();
      const save = (id: string, startedAt: string, commit: string, where = repository) =>
        store.saveAssessment(buildAssessment({ id, startedAt, commit }), { repository: where });
      await save('a-early', '2026-06-01T08:00:00.000Z', commitA);
      await save('a-late', '2026-06-01T09:00:00.000Z', commitA);
      await save('b-latest', '2026-06-01T10:00:00.000Z', commitB);
      await save('a-elsewhere', '2026-06-01T11:00:00.000Z', commitA, otherRepository);
      expect((await store.latestAssessmentForCommit(repository, commitA))?.id).toBe('a-late');
      expect((await store.latestAssessmentForCommit(repository, commitB))?.id).toBe('b-latest');
      expect((await store.latestAssessmentForCommit(otherRepository, commitA))?.id).toBe('a-elsewhere');
      expect(await store.latestAssessmentForCommit(otherRepository, commitB)).toBeUndefined();
    });

    it('counts statuses per area for the trend, newest first', async () => {
      const store = await open();
      await store.saveAssessment(
        buildAssessment({
          id: 'run-1',
          startedAt: '2026-06-01T08:00:00.000Z',
          commit: commitA,
          controls: [
            { id: 'SD-01', area: 'supply-chain', status: 'fail' },
            { id: 'SD-02', area: 'supply-chain', status: 'fail' },
            { id: 'SD-03', area: 'governance', status: 'unknown' },
          ],
        }),
        { repository },
      );
      await store.saveAssessment(
        buildAssessment({
          id: 'run-2',
          startedAt: '2026-06-02T08:00:00.000Z',
          controls: [
            { id: 'SD-01', area: 'supply-chain', status: 'pass' },
            { id: 'SD-02', area: 'supply-chain', status: 'partial' },
            { id: 'SD-03', area: 'governance', status: 'pass' },
            { id: 'SD-04', area: 'access', status: 'not-applicable' },
          ],
        }),
        { repository },
      );
      await store.saveAssessment(
        buildAssessment({ id: 'elsewhere', startedAt: '2026-06-03T08:00:00.000Z' }),
        {
          repository: otherRepository,
        },
      );
      const counts = (values: Partial<Record<string, number>>) => ({
        fail: 0,
        partial: 0,
        unknown: 0,
        pass: 0,
        'not-applicable': 0,
        ...values,
      });
      expect(await store.areaTrend({ repository, limit: 10 })).toStrictEqual([
        {
          assessmentId: 'run-2',
          startedAt: '2026-06-02T08:00:00.000Z',
          areas: {
            access: counts({ 'not-applicable': 1 }),
            governance: counts({ pass: 1 }),
            'supply-chain': counts({ pass: 1, partial: 1 }),
          },
        },
        {
          assessmentId: 'run-1',
          startedAt: '2026-06-01T08:00:00.000Z',
          commit: commitA,
          areas: { governance: counts({ unknown: 1 }), 'supply-chain': counts({ fail: 2 }) },
        },
      ]);
      expect((await store.areaTrend({ repository, limit: 1 })).map((entry) => entry.assessmentId)).toEqual([
        'run-2',
      ]);
      expect(await store.areaTrend({ repository: '/srv/repos/none', limit: 5 })).toEqual([]);
    });

    it('stores assessments with more controls than one insert batch', async () => {
      const store = await open();
      const controls = manyControls(1_201, ['one', 'two', 'three']);
      const assessment = buildAssessment({ id: 'large', controls });
      await store.saveAssessment(assessment, { repository });
      expect(await store.getAssessment('large')).toStrictEqual(assessment);
      const [entry] = await store.areaTrend({ repository, limit: 1 });
      let total = 0;
      for (const areaCounts of Object.values(entry?.areas ?? {})) {
        for (const count of Object.values(areaCounts)) total += count;
      }
      expect(total).toBe(1_201);
      expect(entry?.areas['one']).toEqual({
        fail: 80,
        partial: 80,
        unknown: 80,
        pass: 81,
        'not-applicable': 80,
      });
    });

    it('refuses to store one assessment id twice (STORE_CONFLICT) and keeps the first', async () => {
      const store = await open();
      const first = buildAssessment({ id: 'same' });
      await store.saveAssessment(first, { repository });
      await expect(
        store.saveAssessment(buildAssessment({ id: 'same', startedAt: '2027-01-01T00:00:00.000Z' }), {
          repository,
        }),
      ).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
      expect(await store.getAssessment('same')).toStrictEqual(first);
    });

    it('saves an assessment and its control results atomically', async () => {
      const store = await open();
      // A unique index on area makes the second control row fail after the assessment row went in.
      await store.db.schema
        .createIndex('test_one_control_per_area')
        .unique()
        .on('control_results')
        .column('area')
        .execute();
      const assessment = buildAssessment({
        id: 'half',
        controls: [
          { id: 'SD-01', area: 'same', status: 'pass' },
          { id: 'SD-02', area: 'same', status: 'fail' },
        ],
      });
      await expect(store.saveAssessment(assessment, { repository })).rejects.toMatchObject({
        code: 'STORE_CONFLICT',
      });
      expect(await store.getAssessment('half')).toBeUndefined();
      expect(await store.listAssessments()).toEqual([]);
      const rows = await store.db.selectFrom('control_results').select('control_id').execute();
      expect(rows).toEqual([]);
    });

    it('rejects malformed input with STORE_INVALID_INPUT', async () => {
      const store = await open();
      const badTime = buildAssessment({ id: 'bad-time' });
      badTime.startedAt = 'yesterday-ish';
      await expect(store.saveAssessment(badTime, { repository })).rejects.toMatchObject({
        code: 'STORE_INVALID_INPUT',
      });
      const twice = buildAssessment({
        id: 'twice',
        controls: [
          { id: 'SD-01', area: 'a', status: 'pass' },
          { id: 'SD-01', area: 'a', status: 'fail' },
        ],
      });
      await expect(store.saveAssessment(twice, { repository })).rejects.toMatchObject({
        code: 'STORE_INVALID_INPUT',
      });
      await expect(store.saveAssessment(buildAssessment({ id: '' }), { repository })).rejects.toMatchObject({
        code: 'STORE_INVALID_INPUT',
      });
      await expect(store.listAssessments({ limit: 0 })).rejects.toMatchObject({
        code: 'STORE_INVALID_INPUT',
      });
      await expect(store.areaTrend({ repository, limit: 1.5 })).rejects.toMatchObject({
        code: 'STORE_INVALID_INPUT',
      });
      expect(await store.listAssessments()).toEqual([]);
    });

    it('reports a stored document that does not parse as STORE_CORRUPT', async () => {
      const store = await open();
      await store.saveAssessment(buildAssessment({ id: 'tampered' }), { repository });
      await store.db
        .updateTable('assessments')
        .set({ document: '{"id": "tamp' })
        .where('id', '=', 'tampered')
        .execute();
      await expect(store.getAssessment('tampered')).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
      await store.db
        .updateTable('assessments')
        .set({ document: JSON.stringify(buildAssessment({ id: 'someone-else' })) })
        .where('id', '=', 'tampered')
        .execute();
      await expect(store.getAssessment('tampered')).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    });

    itShared('loses nothing when two store instances save at the same time', async () => {
      const left = await open();
      const right = await open();
      const saves: Promise<void>[] = [];
      for (let index = 0; index < 40; index += 1) {
        const store = index % 2 === 0 ? left : right;
        const id = `concurrent-${String(index).padStart(2, '0')}`;
        const startedAt = new Date(Date.UTC(2026, 5, 1, 0, index)).toISOString();
        saves.push(store.saveAssessment(buildAssessment({ id, startedAt }), { repository }));
      }
      await Promise.all(saves);
      const expected = Array.from(
        { length: 40 },
        (_, index) => `concurrent-${String(39 - index).padStart(2, '0')}`,
      );
      expect((await left.listAssessments({ repository })).map((summary) => summary.id)).toEqual(expected);
      expect((await right.listAssessments({ repository, limit: 100 })).map((summary) => summary.id)).toEqual(
        expected,
      );
      const controlRows = await right.db.selectFrom('control_results').select('assessment_id').execute();
      expect(controlRows).toHaveLength(40 * 3);
    });

    it('fails with STORE_CLOSED after close, and closes twice without error', async () => {
      const store = await open();
      await store.close();
      await store.close();
      await expect(store.listAssessments()).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    });
  });
}
