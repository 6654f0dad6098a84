import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store, type StoreLocation } from '../store/index.js';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { describeOnEveryStore, type StoreBackend } from '../testing/store-backends.js';
import { StoreLockfileParseCache } from './lockfile-cache.js';
import { type HistoryStats, readLockfileHistory } from './patch-latency.js';

function lock(version: string): string {
  return JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/lodash': { version } } }, null, 2);
}

function stats(): HistoryStats {
  return { parsed: 0, cached: 0 };
}

/** Each lockfile blob is parsed once, in any store: the count of parses proves it, not timing. */
function describeLockfileCache(name: string, backend: StoreBackend): void {
  describe(`lockfile parse cache: ${name}`, () => {
    let location: StoreLocation;
    let repository: TestRepository | undefined;
    const opened: Store[] = [];

    async function open(): Promise<Store> {
      const store = await openStore(location, { busyTimeoutMs: 2_000, connectTimeoutMs: 5_000 });
      opened.push(store);
      return store;
    }

    beforeEach(async () => {
      location = await backend.createLocation();
    });
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
      await backend.removeLocation?.(location);
      repository?.remove();
      repository = undefined;
    });

    it('parses each blob once across runs and only the new versions after new commits', async () => {
      repository = createTestRepository();
      repository.write({ 'package-lock.json': lock('4.17.15') });
      repository.commit('add lodash', { date: '2021-01-01T00:00:00Z' });
      repository.write({ 'package-lock.json': lock('4.17.20') });
      repository.commit('upgrade', { date: '2021-02-01T00:00:00Z' });
      // A revert to an earlier blob: the same blob id, parsed once even within one run.
      repository.write({ 'package-lock.json': lock('4.17.15') });
      repository.commit('revert', { date: '2021-03-01T00:00:00Z' });
      repository.write({ 'package-lock.json': '{ broken' });
      repository.commit('broken', { date: '2021-04-01T00:00:00Z' });

      const cache = new StoreLockfileParseCache(await open());
      const first = stats();
      const cold = await readLockfileHistory(repository.path, ['package-lock.json'], { cache, stats: first });
      expect(cold.map((entry) => entry.packages?.[0]?.version)).toEqual([
        '4.17.15',
        '4.17.20',
        '4.17.15',
        undefined,
      ]);
      expect(first).toEqual({ parsed: 3, cached: 0 });

      // A second run, through a new connection: nothing is parsed, the history is the same.
      const warmCache = new StoreLockfileParseCache(await open());
      const second = stats();
      const warm = await readLockfileHistory(repository.path, ['package-lock.json'], {
        cache: warmCache,
        stats: second,
      });
      expect(second).toEqual({ parsed: 0, cached: 4 });
      expect(warm).toEqual(cold);

      // Two new commits: only their one new blob is parsed (the other is the deleted file).
      repository.write({ 'package-lock.json': lock('4.17.21') });
      repository.commit('fix', { date: '2021-05-01T00:00:00Z' });
      repository.git('rm', '-q', 'package-lock.json');
      repository.commit('drop the lockfile', { date: '2021-06-01T00:00:00Z' });
      const third = stats();
      const later = await readLockfileHistory(repository.path, ['package-lock.json'], {
        cache: warmCache,
        stats: third,
      });
      expect(third).toEqual({ parsed: 1, cached: 4 });
      expect(later.map((entry) => entry.packages?.map((item) => item.version))).toEqual([
        ['4.17.15'],
        ['4.17.20'],
        ['4.17.15'],
        undefined,
        ['4.17.21'],
        [],
      ]);
    });

    it('without a cache every distinct blob is parsed on every run', async () => {
      repository = createTestRepository();
      repository.write({ 'package-lock.json': lock('1.0.0') });
      repository.commit('one', { date: '2021-01-01T00:00:00Z' });
      repository.write({ 'package-lock.json': lock('1.0.1') });
      repository.commit('two', { date: '2021-02-01T00:00:00Z' });
      for (let run = 0; run < 2; run++) {
        const counted = stats();
        await readLockfileHistory(repository.path, ['package-lock.json'], { stats: counted });
        expect(counted).toEqual({ parsed: 2, cached: 0 });
      }
    });
  });
}

await describeOnEveryStore('lockfile parse cache', describeLockfileCache);
