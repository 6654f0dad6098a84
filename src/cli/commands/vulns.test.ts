import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lodashAdvisory } from '../../advisories/__fixtures__/records.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { lodashLockfile } from '../../testing/lockfiles.js';
import { runCli } from '../../testing/run-cli.js';

const run = runCli;

let repository: TestRepository;
let scratch: string;

beforeEach(() => {
  repository = createTestRepository();
  repository.write({
    'package-lock.json': lodashLockfile,
  });
  repository.commit('deps');
  scratch = mkdtempSync(join(tmpdir(), 'shipguard-cli-supply-'));
});

afterEach(() => {
  repository.remove();
  rmSync(scratch, { recursive: true, force: true });
});

describe('shipguard sbom, advisories, vulns', () => {
  it('writes a CycloneDX SBOM, imports advisories, reports their age, and finds the vulnerable package', async () => {
    const bom = join(scratch, 'bom.json');
    const sbom = await run('sbom', repository.path, '-o', bom, '--timestamp', '2026-01-01T00:00:00Z');
    expect(sbom.code).toBe(0);
    expect(JSON.parse(readFileSync(bom, 'utf8'))).toMatchObject({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      metadata: { timestamp: '2026-01-01T00:00:00Z' },
    });

    const db = join(scratch, 'store.db');
    const record = join(scratch, 'lodash.json');
    writeFileSync(record, JSON.stringify(lodashAdvisory));
    expect((await run('advisories', 'import', record, '--db', db, '--source', 'test')).code).toBe(0);
    // An invalid record is reported and skipped: exit 0, unless --strict.
    const broken = join(scratch, 'broken.json');
    writeFileSync(broken, '{"id": "GHSA-broken", "modified": 1}');
    expect((await run('advisories', 'import', broken, '--db', `${db}.broken`)).code).toBe(0);
    expect((await run('advisories', 'import', broken, '--db', `${db}.broken`, '--strict')).code).toBe(1);
    const status = await run('advisories', 'status', '--db', db, '--format', 'json');
    // The data is as old as its newest record, whenever it was imported.
    const ageDays = Math.floor((Date.now() - Date.parse(String(lodashAdvisory['modified']))) / 86_400_000);
    expect(JSON.parse(status.stdout).sources).toMatchObject([{ source: 'test', records: 1, ageDays }]);

    const vulns = await run('vulns', repository.path, '--db', db, '--format', 'json');
    expect(vulns.code).toBe(1);
    expect(JSON.parse(vulns.stdout).findings).toMatchObject([
      {
        id: 'GHSA-lodash-0001',
        aliases: ['CVE-2021-23337'],
        smallestFix: '4.17.21',
        package: { name: 'lodash' },
      },
    ]);
    const fromSbom = await run('vulns', bom, '--db', db, '--format', 'sarif', '--fail-on', 'none');
    expect(fromSbom.code).toBe(0);
    expect(JSON.parse(fromSbom.stdout).runs[0].results[0].ruleId).toBe('GHSA-lodash-0001');
  });

  it('rejects a bad --timestamp as a usage error', async () => {
    expect((await run('sbom', repository.path, '--timestamp', 'yesterday')).code).toBe(2);
  });
});

describe('shipguard vulns --patch-latency', () => {
  it('reports remediations found in the lockfile history', async () => {
    const lock = (version: string) =>
      JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/lodash': { version } } }, null, 2);
    repository.remove();
    repository = createTestRepository();
    repository.write({ 'package-lock.json': lock('4.17.20') });
    repository.commit('pin', { date: '2021-03-01T00:00:00Z' });
    repository.write({ 'package-lock.json': lock('4.17.21') });
    repository.commit('fix', { date: '2021-03-11T00:00:00Z' });
    const db = join(scratch, 'store.db');
    const record = join(scratch, 'lodash.json');
    writeFileSync(record, JSON.stringify(lodashAdvisory));
    await run('advisories', 'import', record, '--db', db);
    const result = await run('vulns', repository.path, '--db', db, '--patch-latency', '--format', 'json');
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(report.findings).toEqual([]);
    expect(report.patchLatency).toMatchObject({ medianDays: 10, withinSlaShare: 1 });
    expect(report.patchLatency.remediations[0]).toMatchObject({
      name: 'lodash',
      vulnerableVersion: '4.17.20',
      days: 10,
    });
  });
});
