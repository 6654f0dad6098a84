import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../kernel/index.js';
import { openStore, type Store } from '../store/index.js';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { describeOnEveryStore } from '../testing/store-backends.js';
import { extractionDigest, storeExtractionCache } from './extraction-cache.js';
import { scanRepository } from './scan.js';

type Rows = { lockfile_extractions: { input_digest: string; extraction: string; extracted_at: string } };
const rowsOf = (store: Store) => store.db.withTables<Rows>() as unknown as Kysely<Rows>;

const packageJson = JSON.stringify({ name: 'app', dependencies: { lodash: '^4.17.21' } });
const yarnLock = (version: string) =>
  `# yarn lockfile v1\n\nlodash@^4.17.21:\n  version "${version}"\n  resolved "https://example.invalid/lodash-${version}.tgz"\n`;
const now = new Date('2026-12-05T10:00:00Z');

let repository: TestRepository | undefined;
afterEach(() => repository?.remove());

await describeOnEveryStore('lockfile extraction cache', (name, backend) => {
  describe(name, () => {
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    async function scanWithCache(at = now) {
      if (!repository || !store) throw new Error('set up first');
      const snapshot = await RepositorySnapshot.open(repository.path);
      return scanRepository(snapshot, {}, { extractions: storeExtractionCache(store, at) });
    }

    it('gives the same result from the cache, and parses again when the text changes', async () => {
      store = await openStore(await backend.createLocation());
      repository = createTestRepository({ git: false });
      repository.write({ 'package.json': packageJson, 'yarn.lock': yarnLock('4.17.21') });
      const uncached = await scanRepository(await RepositorySnapshot.open(repository.path));

      const first = await scanWithCache();
      expect(first.packages).toEqual(uncached.packages);
      expect(
        await rowsOf(store).selectFrom('lockfile_extractions').select('input_digest').execute(),
      ).toHaveLength(1);
      const second = await scanWithCache();
      expect(second.packages).toEqual(uncached.packages);
      expect(second.lockfiles).toEqual(uncached.lockfiles);

      repository.write({ 'yarn.lock': yarnLock('4.17.20') });
      const changed = await scanWithCache();
      expect(changed.packages.map((item) => item.version)).toEqual(['4.17.20']);
      expect(
        await rowsOf(store).selectFrom('lockfile_extractions').select('input_digest').execute(),
      ).toHaveLength(2);
    });

    it('reads a stored extraction instead of parsing, and treats a malformed row as a miss', async () => {
      store = await openStore(await backend.createLocation());
      repository = createTestRepository({ git: false });
      repository.write({ 'package.json': packageJson, 'yarn.lock': yarnLock('4.17.21') });
      await scanWithCache();
      const [row] = await rowsOf(store).selectFrom('lockfile_extractions').selectAll().execute();
      if (!row) throw new Error('nothing stored');

      const plant = (extraction: string) =>
        rowsOf(store as Store)
          .updateTable('lockfile_extractions')
          .set({ extraction })
          .where('input_digest', '=', row.input_digest)
          .execute();

      // The row says another version: a run that used the row, not the file, reports it.
      await plant(row.extraction.replaceAll('4.17.21', '4.0.0'));
      expect((await scanWithCache()).packages.map((item) => item.version)).toEqual(['4.0.0']);

      // A row of the wrong shape is not believed: the lockfile is parsed again, and the row mended.
      for (const broken of ['{"packages":[{"name":1}],"warnings":[]}', 'not json']) {
        await plant(broken);
        expect((await scanWithCache()).packages.map((item) => item.version)).toEqual(['4.17.21']);
        const [mended] = await rowsOf(store)
          .selectFrom('lockfile_extractions')
          .select('extraction')
          .execute();
        expect(mended?.extraction).toBe(row.extraction);
      }
    });

    it('stores no extraction that holds a credential, and prunes rows past the horizon', async () => {
      store = await openStore(await backend.createLocation());
      repository = createTestRepository({ git: false });
      repository.write({ 'package.json': packageJson });
      const token = ['ghp', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'].join('_');
      const cache = storeExtractionCache(store, now);
      const extraction = (version: string) => ({
        packages: [
          {
            name: 'lib',
            version,
            purl: 'pkg:npm/lib',
            ecosystem: 'npm' as const,
            direct: true,
            scope: 'prod' as const,
            location: { path: 'package-lock.json', line: 3 },
          },
        ],
        warnings: [],
      });
      await cache.put(
        'with-credential',
        extraction(`git+https://x-access-token:${token}@example.invalid/lib.git`),
      );
      await cache.put('without', extraction('1.0.0'));
      const stored = await rowsOf(store).selectFrom('lockfile_extractions').selectAll().execute();
      expect(stored.map((row) => row.input_digest)).toEqual(['without']);
      expect(await cache.get('with-credential')).toBeUndefined();
      expect(await cache.get('without')).toEqual(extraction('1.0.0'));
      await rowsOf(store).deleteFrom('lockfile_extractions').execute();

      repository.write({ 'yarn.lock': yarnLock('4.17.21') });
      await scanWithCache(new Date('2026-10-01T00:00:00Z'));
      expect(
        await rowsOf(store).selectFrom('lockfile_extractions').select('input_digest').execute(),
      ).toHaveLength(1);
      repository.write({ 'yarn.lock': yarnLock('4.17.19') });
      await scanWithCache(now);
      // The October row is older than the horizon: only today's remains.
      const remaining = await rowsOf(store)
        .selectFrom('lockfile_extractions')
        .select('extracted_at')
        .execute();
      expect(remaining.map((row) => row.extracted_at)).toEqual([now.toISOString()]);
    });
  });
});

describe('extractionDigest', () => {
  const input = {
    extractor: 'npm',
    path: 'package-lock.json',
    text: '{}',
    siblings: new Map([['package.json', '{}']]),
  };
  it('changes with each thing the extractor read', () => {
    const base = extractionDigest(input);
    expect(extractionDigest({ ...input })).toBe(base);
    expect(extractionDigest({ ...input, extractor: 'pnpm' })).not.toBe(base);
    expect(extractionDigest({ ...input, path: 'web/package-lock.json' })).not.toBe(base);
    expect(extractionDigest({ ...input, text: '{ }' })).not.toBe(base);
    expect(extractionDigest({ ...input, siblings: new Map() })).not.toBe(base);
    expect(extractionDigest({ ...input, siblings: new Map([['package.json', '{"a":1}']]) })).not.toBe(base);
    // Fields are length-prefixed: moving a byte from one to the next is another input.
    expect(extractionDigest({ ...input, path: 'package-lock.jso', text: 'n{}' })).not.toBe(base);
  });
});
