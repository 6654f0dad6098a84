import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeOnEveryStore, type StoreBackend } from '../testing/store-backends.js';
import { buildAssessment } from './__fixtures__/assessment-builder.js';
import { openStore, type Store } from './store.js';

const key = 'github.com/acme/shop';
const clone = '/srv/clones/shop';
const commit = 'c'.repeat(40);

await describeOnEveryStore('repository aliases', (name: string, backend: StoreBackend) => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(await backend.createLocation());
  });
  afterEach(async () => {
    await store.close();
  });

  it(`${name}: a clone's path recorded as an alias joins its old rows to the key's history, both ways`, async () => {
    // Saved before keys existed: under the clone's path.
    await store.saveAssessment(buildAssessment({ id: 'old', startedAt: '2026-06-01T08:00:00.000Z' }), {
      repository: clone,
    });
    expect((await store.listAssessments({ repository: key })).map((row) => row.id)).toEqual([]);
    await store.saveAssessment(
      buildAssessment({ id: 'new', startedAt: '2026-06-02T08:00:00.000Z', commit }),
      {
        repository: key,
        aliases: [clone],
      },
    );
    expect((await store.listAssessments({ repository: key })).map((row) => row.id)).toEqual(['new', 'old']);
    expect((await store.listAssessments({ repository: clone })).map((row) => row.id)).toEqual(['new', 'old']);
    expect((await store.areaTrend({ repository: key, limit: 5 })).map((entry) => entry.assessmentId)).toEqual(
      ['new', 'old'],
    );
    // The gate looks up by the path of the clone it runs in.
    expect((await store.latestAssessmentForCommit(clone, commit))?.id).toBe('new');
    // Another repository is untouched.
    expect(await store.listAssessments({ repository: 'github.com/acme/other' })).toEqual([]);
  });

  it(`${name}: a folder re-cloned from another remote moves to the newest key`, async () => {
    await store.saveAssessment(buildAssessment({ id: 'first' }), { repository: key, aliases: [clone] });
    await store.saveAssessment(buildAssessment({ id: 'second' }), {
      repository: 'github.com/acme/fork',
      aliases: [clone],
    });
    expect((await store.listAssessments({ repository: clone })).map((row) => row.id)).toEqual(['second']);
  });
});
