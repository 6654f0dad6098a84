import { afterEach, describe, expect, it } from 'vitest';
import { lodashAdvisory, requestsAdvisory } from '../advisories/__fixtures__/records.js';
import { AdvisoryIndex, parseOsvRecord } from '../advisories/index.js';
import { defaultPolicy } from '../policy/index.js';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { batchesBySize, computePatchLatency, readLockfileHistory } from './patch-latency.js';

const settings = defaultPolicy().supplyChain;
const index = new AdvisoryIndex(
  [lodashAdvisory, requestsAdvisory].map((record) => parseOsvRecord('r.json', JSON.stringify(record))),
);

function lock(version: string): string {
  return JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/lodash': { version } } }, null, 2);
}

let repository: TestRepository | undefined;
afterEach(() => repository?.remove());

describe('patch latency from lockfile history', () => {
  it('measures time to remediate from the later of publication and introduction to the fixing commit', async () => {
    repository = createTestRepository();
    repository.write({ 'package-lock.json': lock('4.17.15') });
    const introduced = repository.commit('add lodash', { date: '2021-01-01T00:00:00Z' });
    repository.write({ 'README.md': 'unrelated' });
    repository.commit('docs', { date: '2021-02-01T00:00:00Z' });
    repository.write({ 'package-lock.json': lock('4.17.21'), 'requirements.txt': 'requests==2.30.0\n' });
    const fixed = repository.commit('upgrade lodash, add requests', { date: '2021-04-16T00:00:00Z' });
    repository.write({ 'requirements.txt': 'requests==2.31.0\n' });
    const requestsFixed = repository.commit('upgrade requests', { date: '2023-06-05T00:00:00Z' });
    repository.write({ 'package-lock.json': '{ broken' });
    repository.commit('broken lockfile', { date: '2023-07-01T00:00:00Z' });

    const history = await readLockfileHistory(repository.path, ['package-lock.json', 'requirements.txt']);
    expect(history.map((entry) => [entry.path, entry.packages?.[0]?.version])).toEqual([
      ['package-lock.json', '4.17.15'],
      ['package-lock.json', '4.17.21'],
      ['requirements.txt', '2.30.0'],
      ['requirements.txt', '2.31.0'],
      ['package-lock.json', undefined],
    ]);
    const latency = computePatchLatency(history, index, settings);
    expect(
      latency.remediations.map((item) => [
        item.name,
        item.id,
        item.introduced.commit,
        item.remediated.commit,
        item.days,
        item.withinSla,
      ]),
    ).toEqual([
      // Published 2021-02-15, fixed 2021-04-16: 60 days against a 30-day SLA for high.
      ['lodash', 'GHSA-lodash-0001', introduced, fixed, 60, false],
      // Published 2023-05-26, but locked since 2021-04-16: from publication, 10 days (medium: 90).
      ['requests', 'PYSEC-test-1', fixed, requestsFixed, 10, true],
    ]);
    expect(latency.medianDays).toBe(35);
    expect(latency.withinSlaShare).toBe(0.5);
  });

  it('reads nothing when no lockfile is named', async () => {
    repository = createTestRepository();
    expect(await readLockfileHistory(repository.path, [])).toEqual([]);
  });
});

describe('reading lockfile versions within a bound', () => {
  it('refuses to read more than maxBytes of versions, saying so', async () => {
    repository = createTestRepository();
    for (const version of ['4.17.15', '4.17.20', '4.17.21']) {
      repository.write({ 'package-lock.json': lock(version) });
      repository.commit(`lodash ${version}`);
    }
    const total = 3 * lock('4.17.15').length;
    await expect(
      readLockfileHistory(repository.path, ['package-lock.json'], { maxBytes: total - 1 }),
    ).rejects.toMatchObject({ code: 'GIT_OUTPUT_TOO_LARGE' });
    const history = await readLockfileHistory(repository.path, ['package-lock.json'], { maxBytes: total });
    expect(history.map((entry) => entry.packages?.[0]?.version)).toEqual(['4.17.15', '4.17.20', '4.17.21']);
  });
});

describe('batchesBySize', () => {
  const key = (blobId: string) => ({ blobId, fileName: 'pnpm-lock.yaml' });
  const mb = 1024 * 1024;
  it('keeps each git read to 16 MB, a larger blob alone, and every key once in order', () => {
    const keys = ['a', 'b', 'c', 'd', 'e'].map(key);
    const sizes = new Map([
      ['a', 6 * mb],
      ['b', 6 * mb],
      ['c', 6 * mb],
      ['d', 40 * mb],
      ['e', 1],
    ]);
    const batches = batchesBySize(keys, sizes).map((batch) => batch.map((item) => item.blobId));
    expect(batches).toEqual([['a', 'b'], ['c'], ['d'], ['e']]);
  });
});
