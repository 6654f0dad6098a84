import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../policy/index.js';
import { openStore, type Store } from '../store/index.js';
import { findVulnerabilities } from '../vulns/index.js';
import { computeCvss, ratingOfScore } from './cvss.js';
import { loadAdvisoriesFor } from './database.js';
import { parseOsvArchive } from './import.js';
import { AdvisoryIndex } from './match.js';
import { parseOsvRecord } from './osv.js';
import { syncAdvisories } from './sync.js';

const corpus = fileURLToPath(new URL('../../../shared/corpora/osv/', import.meta.url));
const present = existsSync(corpus);
if (!present) console.warn(`OSV conformance skipped: ${corpus} is absent`);

describe.skipIf(!present)('real OSV records (../shared/corpora/osv)', () => {
  let server: Server;
  let store: Store;
  let source: string;
  let files: Record<string, Uint8Array>;

  beforeAll(async () => {
    files = {};
    for (const name of readdirSync(`${corpus}records`))
      files[name] = readFileSync(`${corpus}records/${name}`);
    const archive = zipSync(files);
    server = createServer((request, response) => {
      if (request.url === '/mixed/all.zip') response.writeHead(200, { etag: '"corpus"' }).end(archive);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    source = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    store = await openStore({ kind: 'sqlite', path: ':memory:' });
  });

  afterAll(async () => {
    await store?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('syncs the records over HTTP: valid ones imported, structurally malformed ones typed errors', async () => {
    const [outcome] = await syncAdvisories(store, { source, ecosystems: ['mixed'] });
    expect(outcome).toMatchObject({ status: 'updated', records: 10, invalidRecords: 2 });
    const parsed = parseOsvArchive(zipSync(files));
    expect(parsed.errors.map((error) => [error.code, error.location?.path]).sort()).toEqual([
      ['OSV_EVENTS_NOT_DISTINCT', 'nondistinct-CVE-2018-5407.json'],
      ['OSV_RANGE_NO_INTRODUCED', 'nointroduced-CVE-2023-41045.json'],
    ]);
    // nopackage-…: a package name that does not exist on PyPI; telling needs the registry, so it imports.
    expect(parsed.advisories.map((advisory) => advisory.id)).toContain('GHSA-9v2f-6vcg-3hgv');
  });

  it('matches real advisories with their published fixed versions', async () => {
    const index = new AdvisoryIndex(
      await loadAdvisoriesFor(store, [
        { ecosystem: 'Go', name: 'github.com/gin-gonic/gin' },
        { ecosystem: 'PyPI', name: 'requests' },
        { ecosystem: 'Go', name: 'stdlib' },
        { ecosystem: 'PyPI', name: 'gradio' },
      ]),
    );
    expect(index.match('Go', 'github.com/gin-gonic/gin', 'v1.5.0')[0]).toMatchObject({
      advisory: { id: 'GO-2020-0001' },
      smallestFix: '1.6.0',
    });
    expect(index.match('Go', 'github.com/gin-gonic/gin', 'v1.6.0')).toEqual([]);
    expect(index.match('PyPI', 'requests', '2.30.0')[0]).toMatchObject({
      advisory: { id: 'PYSEC-2023-74' },
      smallestFix: '2.31.0',
    });
    expect(index.match('PyPI', 'requests', '2.2.1')).toEqual([]);
    expect(index.match('Go', 'stdlib', 'v1.22.4')[0]?.smallestFix).toBe('1.22.5');
    expect(index.match('Go', 'stdlib', 'v1.21.12')).toEqual([]);
  });

  it('reads every GitHub-advisory conversion; a withdrawn one never matches', () => {
    const folder = `${corpus}ghsa-to-osv/`;
    const converted = readdirSync(folder).filter((name) => name.endsWith('.osv.json'));
    expect(converted.length).toBeGreaterThan(5);
    for (const name of converted) {
      const advisory = parseOsvRecord(name, readFileSync(`${folder}${name}`, 'utf8'));
      expect(advisory.id).toMatch(/^GHSA-/);
    }
    const withdrawn = parseOsvRecord(
      'withdrawn.osv.json',
      readFileSync(`${folder}withdrawn.osv.json`, 'utf8'),
    );
    expect(withdrawn.withdrawn).toBeDefined();
    expect(new AdvisoryIndex([withdrawn]).match('RubyGems', 'activesupport', '3.2.1')).toEqual([]);
    expect(
      new AdvisoryIndex([{ ...withdrawn, withdrawn: undefined } as never]).match(
        'RubyGems',
        'activesupport',
        '3.2.1',
      ),
    ).toHaveLength(1);
  });

  it('flags the OpenSSF malicious-packages record as malicious, a critical finding', () => {
    const name = 'MAL-2024-10238.json';
    const advisory = parseOsvRecord(name, readFileSync(`${corpus}records/${name}`, 'utf8'));
    expect(advisory).toMatchObject({ id: 'MAL-2024-10238', kind: 'malicious' });
    const findings = findVulnerabilities(
      [{ ecosystem: 'PyPI', name: '123bla', version: '0.0.1', purl: 'pkg:pypi/123bla@0.0.1' }],
      new AdvisoryIndex([advisory]),
      { now: new Date('2026-01-01T00:00:00Z'), settings: defaultPolicy().supplyChain },
    );
    expect(findings.map((finding) => [finding.id, finding.kind, finding.severity])).toEqual([
      ['MAL-2024-10238', 'malicious', 'critical'],
    ]);
  });

  it('scores every CVSS vector the real records carry, agreeing with their published rating (no v4.0 vector among them yet)', () => {
    let scored = 0;
    let rated = 0;
    for (const name of readdirSync(`${corpus}records`)) {
      const record = JSON.parse(readFileSync(`${corpus}records/${name}`, 'utf8')) as {
        severity?: Array<{ type: string; score: string }>;
        database_specific?: { severity?: unknown };
      };
      for (const entry of record.severity ?? []) {
        if (!entry.type.startsWith('CVSS_')) continue;
        const { score } = computeCvss(entry.score);
        expect(score, entry.score).toBeGreaterThan(0);
        expect(score, entry.score).toBeLessThanOrEqual(10);
        scored++;
        const rating = record.database_specific?.severity;
        if (typeof rating !== 'string') continue;
        expect(ratingOfScore(score).toUpperCase(), name).toBe(rating === 'MODERATE' ? 'MEDIUM' : rating);
        rated++;
      }
    }
    expect(scored).toBeGreaterThan(0);
    expect(rated).toBeGreaterThan(0);
  });
});
