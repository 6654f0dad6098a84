import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { compareSemver } from '../ecosystems/index.js';
import { openStore, type Store, type StoreLocation } from '../store/index.js';
import { describeOnPostgres, emptiedLocation } from '../testing/store-backends.js';
import {
  lodashAdvisory,
  lodashCveAdvisory,
  osvRecord,
  requestsAdvisory,
  zipRecords,
} from './__fixtures__/records.js';
import { defaultArchiveLimits, readZipEntries } from './archive.js';
import { listSources, loadAdvisoriesFor, replaceSource } from './database.js';
import { importAdvisories, parseOsvArchive } from './import.js';
import { AdvisoryIndex, groupByAliases, inRange } from './match.js';
import { parseOsvRecord } from './osv.js';
import { advisoryStatus, syncAdvisories } from './sync.js';

function parse(record: Record<string, unknown>) {
  return parseOsvRecord(`${String(record['id'])}.json`, JSON.stringify(record, null, 2));
}

describe('OSV records', () => {
  it('reads severity from a CVSS v3 vector, else the database rating', () => {
    expect(parse(lodashAdvisory).severity).toEqual({
      level: 'high',
      score: 7.2,
      vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H',
      source: 'cvss3',
    });
    expect(parse(requestsAdvisory).severity).toEqual({ level: 'medium', source: 'database' });
    expect(parse(osvRecord({ id: 'MAL-2024-1' })).kind).toBe('malicious');
  });

  it('computes the severity of a record with only a CVSS v4.0 vector, and takes the higher of v3 and v4', () => {
    const v4 = 'CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
    // A database rating is there too: the computed score wins over it.
    expect(
      parse(osvRecord({ severity: [{ type: 'CVSS_V4', score: v4 }], database_specific: { severity: 'LOW' } }))
        .severity,
    ).toEqual({ level: 'high', score: 8.5, vector: v4, source: 'cvss4' });
    const v3 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
    expect(
      parse(
        osvRecord({
          severity: [
            { type: 'CVSS_V4', score: v4 },
            { type: 'CVSS_V3', score: v3 },
          ],
        }),
      ).severity,
    ).toEqual({ level: 'critical', score: 9.8, vector: v3, source: 'cvss3' });
    // A malformed v4 vector is skipped: the database rating decides.
    expect(
      parse(
        osvRecord({
          severity: [{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L' }],
          database_specific: { severity: 'HIGH' },
        }),
      ).severity,
    ).toEqual({ level: 'high', source: 'database' });
  });

  it('rejects records that break the schema or the linter rules matching relies on', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ id: 'X-1' }, 'OSV_MALFORMED'],
      [
        osvRecord({
          affected: [
            {
              package: { ecosystem: 'npm', name: 'a' },
              ranges: [{ type: 'SEMVER', events: [{ fixed: '1.0.0' }] }],
            },
          ],
        }),
        'OSV_RANGE_NO_INTRODUCED',
      ],
    ];
    for (const [record, code] of cases) {
      expect(() => parse(record), code).toThrowError(expect.objectContaining({ code }));
    }
    expect(() => parseOsvRecord('x.json', '{')).toThrowError(
      expect.objectContaining({ code: 'OSV_MALFORMED', location: { path: 'x.json' } }),
    );
  });
});

describe('matching', () => {
  const range = (events: Array<Record<string, string>>) => ({ type: 'ECOSYSTEM' as const, events });

  it('evaluates introduced, fixed, last_affected and limit events', () => {
    const multi = range([
      { introduced: '1.0.0' },
      { fixed: '1.2.0' },
      { introduced: '2.0.0' },
      { last_affected: '2.1.0' },
    ]);
    expect(inRange('0.9.0', multi, compareSemver)).toBe(false);
    expect(inRange('1.1.9', multi, compareSemver)).toBe(true);
    expect(inRange('1.2.0', multi, compareSemver)).toBe(false);
    expect(inRange('2.1.0', multi, compareSemver)).toBe(true);
    expect(inRange('2.1.1', multi, compareSemver)).toBe(false);
    const limited = range([{ introduced: '0' }, { limit: '3.0.0' }]);
    expect(inRange('2.9.9', limited, compareSemver)).toBe(true);
    expect(inRange('3.0.0', limited, compareSemver)).toBe(false);
    // osv.dev: with several limits, below any one of them is enough.
    const twoLimits = range([{ introduced: '0' }, { limit: '2.0.0' }, { limit: '3.0.0' }]);
    expect(inRange('2.5.0', twoLimits, compareSemver)).toBe(true);
    expect(inRange('3.0.0', twoLimits, compareSemver)).toBe(false);
  });

  it('accepts events naming the same version twice, applying them in version order as osv.dev does', () => {
    const advisory = parse({
      id: 'PYSEC-TWICE',
      modified: '2025-01-01T00:00:00Z',
      affected: [
        {
          package: { ecosystem: 'PyPI', name: 'demo' },
          ranges: [
            {
              type: 'ECOSYSTEM',
              events: [
                { introduced: '1.0' },
                { fixed: '1.0' },
                { introduced: '2.0' },
                { fixed: '2.1' },
                { fixed: '2.1' },
              ],
            },
          ],
          database_specific: { source: 'https://example.test/advisory' },
        },
      ],
      database_specific: { severity: 'HIGH' },
    });
    const [demo] = advisory.affected;
    expect(demo?.ranges).toHaveLength(1);
    const [twice] = demo?.ranges ?? [];
    if (!twice) throw new Error('range expected');
    // introduced 1.0 and fixed 1.0: nothing of 1.x is affected.
    expect(inRange('1.0', twice, compareSemver)).toBe(false);
    expect(inRange('1.5', twice, compareSemver)).toBe(false);
    expect(inRange('2.0', twice, compareSemver)).toBe(true);
    expect(inRange('2.1', twice, compareSemver)).toBe(false);
  });

  it('finds affected packages with fixed versions and the smallest fix, by normalised name', () => {
    const index = new AdvisoryIndex([parse(lodashAdvisory), parse(requestsAdvisory)]);
    const [lodash] = index.match('npm', 'lodash', '4.17.20');
    expect(lodash).toMatchObject({
      fixedVersions: ['4.17.21'],
      smallestFix: '4.17.21',
      affectedRanges: ['<4.17.21'],
    });
    expect(index.match('npm', 'lodash', '4.17.21')).toEqual([]);
    expect(index.match('PyPI', 'requests', '2.30.0')[0]?.smallestFix).toBe('2.31.0');
    expect(index.match('PyPI', 'requests', '2.2.0')).toEqual([]);
  });

  it('picks the smallest fix that leaves every range, across several fixed versions', () => {
    const advisory = parse(
      osvRecord({
        affected: [
          {
            package: { ecosystem: 'npm', name: 'x' },
            ranges: [
              range([
                { introduced: '1.0.0' },
                { fixed: '1.0.5' },
                { introduced: '1.1.0' },
                { fixed: '1.1.3' },
              ]),
            ],
          },
        ],
      }),
    );
    const [match] = new AdvisoryIndex([advisory]).match('npm', 'x', '1.0.1');
    expect(match?.fixedVersions).toEqual(['1.0.5', '1.1.3']);
    expect(match?.smallestFix).toBe('1.0.5');
    expect(new AdvisoryIndex([advisory]).match('npm', 'x', '1.1.0')[0]?.smallestFix).toBe('1.1.3');
  });

  it('matches enumerated versions and skips withdrawn advisories', () => {
    const listed = parse(
      osvRecord({ affected: [{ package: { ecosystem: 'RubyGems', name: 'rack' }, versions: ['2.2.8'] }] }),
    );
    expect(new AdvisoryIndex([listed]).match('RubyGems', 'rack', '2.2.8')).toHaveLength(1);
    const withdrawn = parse({ ...lodashAdvisory, withdrawn: '2021-03-01T00:00:00Z' });
    expect(new AdvisoryIndex([withdrawn]).match('npm', 'lodash', '4.17.20')).toEqual([]);
  });

  it('merges an advisory with its aliases into one group, GHSA first', () => {
    const index = new AdvisoryIndex([parse(lodashCveAdvisory), parse(lodashAdvisory)]);
    const groups = groupByAliases(index.match('npm', 'lodash', '4.17.0'));
    expect(groups).toHaveLength(1);
    expect(groups[0]?.map((match) => match.advisory.id)).toEqual(['GHSA-lodash-0001', 'CVE-2021-23337']);
  });
});

describe('advisory archives', () => {
  it('reads every record of a zip, malformed ones as typed errors', () => {
    const archive = zipSync({
      'a.json': Buffer.from(JSON.stringify(lodashAdvisory)),
      'b.json': Buffer.from('{"id": 1}'),
      'README.txt': Buffer.from('ignored'),
    });
    const parsed = parseOsvArchive(archive);
    expect(parsed.advisories.map((advisory) => advisory.id)).toEqual(['GHSA-lodash-0001']);
    expect(parsed.errors.map((error) => error.code)).toEqual(['OSV_MALFORMED']);
  });

  it('rejects zip bombs by real expanded size and ratio, too many entries, and path traversal', () => {
    const bomb = zipSync({ 'big.json': new Uint8Array(4 * 1024 * 1024) }, { level: 9 });
    expect(() =>
      readZipEntries(bomb, () => {}, { ...defaultArchiveLimits, maxEntryBytes: 1024 * 1024 }),
    ).toThrowError(expect.objectContaining({ code: 'ARCHIVE_TOO_LARGE' }));
    expect(() =>
      readZipEntries(bomb, () => {}, {
        ...defaultArchiveLimits,
        ratioFloorBytes: 1024 * 1024,
        maxRatio: 100,
      }),
    ).toThrowError(expect.objectContaining({ code: 'ARCHIVE_RATIO' }));
    const many = zipSync({
      'a.json': new Uint8Array(1),
      'b.json': new Uint8Array(1),
      'c.json': new Uint8Array(1),
    });
    expect(() => readZipEntries(many, () => {}, { ...defaultArchiveLimits, maxEntries: 2 })).toThrowError(
      expect.objectContaining({ code: 'ARCHIVE_TOO_MANY_ENTRIES' }),
    );
    const traversal = zipSync({ '../../etc/evil.json': Buffer.from('{}') });
    expect(() => readZipEntries(traversal, () => {})).toThrowError(
      expect.objectContaining({ code: 'ARCHIVE_PATH_TRAVERSAL' }),
    );
    expect(() => readZipEntries(Buffer.from('not a zip'), () => {})).toThrowError(
      expect.objectContaining({ code: 'ARCHIVE_MALFORMED' }),
    );
  });
});

/** The advisory database behaviour, run against each store implementation. */
function describeAdvisoryStore(name: string, createLocation: () => Promise<StoreLocation>) {
  describe(`advisory database: ${name}`, () => {
    let store: Store;
    let folder: string;
    let server: Server | undefined;

    afterEach(async () => {
      await store?.close();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = undefined;
      rmSync(folder, { recursive: true, force: true });
    });

    async function open() {
      folder = mkdtempSync(join(tmpdir(), 'shipguard-advisories-'));
      store = await openStore(await createLocation());
    }

    it('imports a folder of JSON and YAML records and finds them by package', async () => {
      await open();
      writeFileSync(join(folder, 'a.json'), JSON.stringify(lodashAdvisory));
      writeFileSync(
        join(folder, 'b.yaml'),
        `id: PYSEC-y\nmodified: 2026-01-01T00:00:00Z\naffected:\n  - package: {ecosystem: PyPI, name: Requests}\n    versions: ["2.30.0"]\n`,
      );
      writeFileSync(join(folder, 'broken.json'), '{"id": "X"');
      const result = await importAdvisories(store, folder, {
        source: 'test',
        now: new Date('2026-06-01T00:00:00Z'),
      });
      expect(result.imported).toBe(2);
      expect(result.errors.map((error) => [error.code, error.location?.path])).toEqual([
        ['OSV_MALFORMED', 'broken.json'],
      ]);
      const found = await loadAdvisoriesFor(store, [
        { ecosystem: 'PyPI', name: 'requests' },
        { ecosystem: 'npm', name: 'lodash' },
      ]);
      expect(found.map((advisory) => advisory.id)).toEqual(['GHSA-lodash-0001', 'PYSEC-y']);
      expect(await advisoryStatus(store, new Date('2026-06-11T00:00:00Z'))).toMatchObject([
        // From the newest record's modified date (lodash's, 2026-01-02), not the import (2026-06-01).
        {
          source: 'test',
          records: 2,
          invalidRecords: 1,
          newestModified: '2026-01-02T00:00:00Z',
          ageDays: 160,
        },
      ]);
    });

    it('syncs over HTTP with ETag, keeps data when a later sync fails, and swaps atomically', async () => {
      await open();
      let body: Uint8Array = zipRecords([lodashAdvisory, requestsAdvisory]);
      let status = 200;
      const seen: Array<string | undefined> = [];
      server = createServer((request, response) => {
        seen.push(request.headers['if-none-match']);
        if (request.url !== '/npm/all.zip') {
          response.writeHead(404).end();
          return;
        }
        if (status !== 200) {
          response.writeHead(status).end();
          return;
        }
        if (request.headers['if-none-match'] === '"v1"') {
          response.writeHead(304).end();
          return;
        }
        response.writeHead(200, { etag: '"v1"', 'content-type': 'application/zip' }).end(body);
      });
      await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
      const source = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const first = await syncAdvisories(store, { source, ecosystems: ['npm'] });
      expect(first).toMatchObject([{ ecosystem: 'npm', status: 'updated', records: 2 }]);
      const second = await syncAdvisories(store, { source, ecosystems: ['npm'] });
      expect(second).toMatchObject([{ status: 'unchanged' }]);
      expect(seen).toEqual([undefined, '"v1"']);
      status = 500;
      expect((await syncAdvisories(store, { source, ecosystems: ['npm'] }))[0]?.error?.code).toBe(
        'SYNC_HTTP',
      );
      status = 200;
      body = Buffer.from('PK garbage that is no zip');
      await replaceSource(
        store,
        {
          source: 'osv:npm',
          origin: 'x',
          etag: '"old"',
          importedAt: 'x',
          checkedAt: '2026-01-01T00:00:00Z',
          errors: 0,
        },
        [parse(lodashAdvisory)],
      );
      const broken = await syncAdvisories(store, { source, ecosystems: ['npm'] });
      expect(broken[0]?.status).toBe('failed');
      // Nothing was lost: the previous set is still there.
      expect(
        (await loadAdvisoriesFor(store, [{ ecosystem: 'npm', name: 'lodash' }])).map(
          (advisory) => advisory.id,
        ),
      ).toEqual(['GHSA-lodash-0001']);
      expect((await listSources(store))[0]).toMatchObject({ source: 'osv:npm', etag: '"old"', records: 1 });
      expect(
        (await syncAdvisories(store, { source: 'ftp://example.invalid', ecosystems: ['npm'] }))[0]?.error
          ?.code,
      ).toBe('SOURCE_INVALID');
    });
  });
}

describeAdvisoryStore('SQLite in memory', async () => ({ kind: 'sqlite', path: ':memory:' }));

await describeOnPostgres('advisory database on PostgreSQL', 'PostgreSQL', (schema) => {
  describeAdvisoryStore('PostgreSQL', () => emptiedLocation(schema()));
});
