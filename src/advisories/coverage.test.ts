import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/index.js';
import { describeOnEveryStore, type StoreBackend } from '../testing/store-backends.js';
import { readAdvisoryData } from './coverage.js';
import { replaceSource } from './database.js';
import { parseOsvRecord } from './osv.js';

function advisory(id: string, ecosystem: string, name: string) {
  return parseOsvRecord(
    `${id}.json`,
    JSON.stringify({
      id,
      modified: '2026-01-01T00:00:00Z',
      published: '2026-01-01T00:00:00Z',
      affected: [
        {
          package: { ecosystem, name },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }],
        },
      ],
    }),
  );
}

function describeCoverage(name: string, backend: StoreBackend): void {
  describe(`readAdvisoryData (${name})`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openStore(await backend.createLocation());
    });
    afterEach(async () => {
      await store.close();
    });

    it('covers an ecosystem only when a source holds a record of it, with that source age', async () => {
      const source = (id: string, checkedAt: string) => ({
        source: id,
        origin: 'test',
        importedAt: checkedAt,
        checkedAt,
        errors: 0,
      });
      await replaceSource(store, source('osv:npm', '2026-06-01T00:00:00Z'), [
        advisory('GHSA-npm-0001', 'npm', 'left-pad'),
      ]);
      // A fresh source holding nothing of PyPI does not cover PyPI.
      await replaceSource(store, source('import:other', '2026-06-09T00:00:00Z'), [
        advisory('GHSA-go-0001', 'Go', 'example.com/mod'),
      ]);
      const data = await readAdvisoryData(
        store,
        [
          { ecosystem: 'npm', name: 'left-pad' },
          { ecosystem: 'npm', name: 'lodash' },
          { ecosystem: 'PyPI', name: 'requests' },
        ],
        new Date('2026-06-10T00:00:00Z'),
      );
      expect(data.coverage).toEqual({ npm: { sources: ['osv:npm'], ageDays: 9 }, PyPI: undefined });
      expect(data.sources.map((item) => item.source).sort()).toEqual(['import:other', 'osv:npm']);
      expect(data.index.match('npm', 'left-pad', '1.0.0').map((item) => item.advisory.id)).toEqual([
        'GHSA-npm-0001',
      ]);
      expect(data.index.match('npm', 'left-pad', '2.0.0')).toEqual([]);
    });
  });
}

await describeOnEveryStore('advisory coverage', describeCoverage);
