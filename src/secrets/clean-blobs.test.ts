import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/index.js';
import { fakeCredentials } from '../testing/fake-credentials.js';
import { describeOnEveryStore } from '../testing/store-backends.js';
import { temporaryRepositories } from '../testing/temporary-repositories.js';
import { rulesDigest, storeCleanBlobCache } from './clean-blobs.js';
import { scanHistory } from './history.js';
import { defaultRuleSet } from './rules/default-rules.js';

const temporaryRepository = temporaryRepositories();

await describeOnEveryStore('clean blob cache', (name, backend) => {
  describe(name, () => {
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    it('rescans only new blobs, keeps finding a secret every time, and stores nothing of it', async () => {
      const location = await backend.createLocation();
      store = await openStore(location);
      const cache = storeCleanBlobCache(store);
      const repo = temporaryRepository();
      repo.write({ 'README.md': '# demo\n', 'src/a.ts': 'export const a = 1;\n' });
      repo.commit('initial');
      const [credential] = fakeCredentials(1);
      if (!credential) throw new Error('no fake credential');
      repo.write({ [credential.path]: credential.content });
      repo.commit('add config');

      const first = await scanHistory({ root: repo.path, rules: defaultRuleSet(), cleanBlobs: cache });
      expect(first.findings.map((finding) => finding.path)).toEqual([credential.path]);
      expect(first.stats.cached).toBe(0);
      expect(first.stats.scanned).toBe(3);

      repo.write({ 'src/b.ts': 'export const b = 2;\n' });
      repo.commit('add b');
      const second = await scanHistory({ root: repo.path, rules: defaultRuleSet(), cleanBlobs: cache });
      // The two clean blobs of the first scan are skipped; the credential's blob and the new one are read.
      expect(second.stats.cached).toBe(2);
      expect(second.stats.scanned).toBe(2);
      expect(second.findings.map((finding) => finding.path)).toEqual([credential.path]);
      expect(second.findings[0]?.presence).toBe('present');

      // Other rules: nothing is known clean under them.
      const otherRules = { ...defaultRuleSet(), rules: defaultRuleSet().rules.slice(1) };
      expect(rulesDigest(otherRules)).not.toBe(rulesDigest(defaultRuleSet()));
      const blobIds = [...(await cache.clean(rulesDigest(defaultRuleSet()), ['0'.repeat(40)]))];
      expect(blobIds).toEqual([]);
      const underOther = await scanHistory({ root: repo.path, rules: otherRules, cleanBlobs: cache });
      expect(underOther.stats.cached).toBe(0);
      if (location.kind === 'sqlite') await backend.removeLocation?.(location);
    });
  });
});

it('finds the known blobs among many, and answers at once for rules it knows nothing of', async () => {
  const store = await openStore({ kind: 'sqlite', path: ':memory:' });
  try {
    const cache = storeCleanBlobCache(store);
    const oid = (index: number) => index.toString(16).padStart(40, '0');
    const many = Array.from({ length: 1200 }, (_, index) => oid(index));
    await cache.remember('rules-a', [oid(3), oid(700), oid(1199)]);
    await cache.rememberInheriting('rules-a', [{ blob: oid(900), base: oid(899) }]);
    expect([...(await cache.clean('rules-a', many))].sort()).toEqual([oid(3), oid(700), oid(1199)].sort());
    expect(await cache.clean('rules-b', many)).toEqual(new Set());
    const pairs = many.slice(1).map((blob, index) => ({ blob, base: oid(index) }));
    expect(await cache.inheriting('rules-a', pairs)).toEqual(new Set([oid(900)]));
    expect(await cache.inheriting('rules-b', pairs)).toEqual(new Set());
  } finally {
    await store.close();
  }
});

it('stops at the time budget and goes on from there next time', async () => {
  const store = await openStore({ kind: 'sqlite', path: ':memory:' });
  try {
    const cache = storeCleanBlobCache(store);
    const repo = temporaryRepository();
    for (let index = 0; index < 5; index++) {
      repo.write({ [`file-${index}.txt`]: `content ${index}\n` });
      repo.commit(`commit ${index}`);
    }
    const stopped = await scanHistory({
      root: repo.path,
      rules: defaultRuleSet(),
      cleanBlobs: cache,
      timeBudgetMs: 0,
    });
    expect(stopped.partial).toBe(true);
    const resumed = await scanHistory({ root: repo.path, rules: defaultRuleSet(), cleanBlobs: cache });
    expect(resumed.partial).toBe(false);
    expect((resumed.stats.cached ?? 0) + resumed.stats.scanned).toBe(5);
    const again = await scanHistory({ root: repo.path, rules: defaultRuleSet(), cleanBlobs: cache });
    expect(again.stats.cached).toBe(5);
    expect(again.stats.scanned).toBe(0);
  } finally {
    await store.close();
  }
});
