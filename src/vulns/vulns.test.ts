import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  lodashAdvisory,
  lodashCveAdvisory,
  osvRecord,
  requestsAdvisory,
} from '../advisories/__fixtures__/records.js';
import { importAdvisories } from '../advisories/index.js';
import { defaultPolicy } from '../policy/index.js';
import { openStore } from '../store/index.js';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { lodashLockfile } from '../testing/lockfiles.js';
import { storeAccesses } from '../testing/store-accesses.js';
import { renderVulnsSarif, renderVulnsTable } from './render.js';
import { runVulns } from './run.js';
import { parseVex } from './vex.js';

const settings = defaultPolicy().supplyChain;

const now = new Date('2026-06-01T00:00:00Z');

/** Writes `document` as JSON to a file of the test's folder; returns its path. */
function writeJson(name: string, document: unknown): string {
  const path = join(folder, name);
  writeFileSync(path, JSON.stringify(document));
  return path;
}

let repository: TestRepository;
let folder: string;
let db: string;

beforeEach(async () => {
  repository = createTestRepository();
  repository.write({
    'package-lock.json': lodashLockfile,
    'api/requirements.txt': 'requests==2.30.0\n',
  });
  repository.commit('deps');
  folder = mkdtempSync(join(tmpdir(), 'shipguard-vulns-'));
  db = join(folder, 'advisories.db');
  for (const [index, record] of [
    lodashAdvisory,
    lodashCveAdvisory,
    requestsAdvisory,
    osvRecord({
      id: 'GHSA-other',
      affected: [{ package: { ecosystem: 'npm', name: 'other' }, versions: ['1.0.0'] }],
    }),
  ].entries()) {
    // The data's age counts from the newest record's modified date.
    writeFileSync(
      join(folder, `r${index}.json`),
      JSON.stringify({ ...record, modified: '2026-05-30T00:00:00Z' }),
    );
  }
  const store = await openStore({ kind: 'sqlite', path: db });
  try {
    await importAdvisories(store, folder, { source: 'fixtures', now: new Date('2026-05-30T00:00:00Z') });
  } finally {
    await store.close();
  }
});

afterEach(() => {
  repository.remove();
  rmSync(folder, { recursive: true, force: true });
});
// Registered after the removal, so that (after-hooks run last-registered first) accesses close first.
const storeAccess = storeAccesses();

/** The store a command would hand down for `--db path`; closed after each test. */
const storeAt = (path: string) => storeAccess({ kind: 'sqlite', path });

describe('shipguard vulns', () => {
  it('finds vulnerable lockfile packages with fixed versions, the smallest fix, aliases merged and SLA state', async () => {
    const { report } = await runVulns(repository.path, { store: storeAt(db), settings, now });
    expect(report.database).toMatchObject({ status: 'present', ageDays: 2 });
    expect(report.stale).toBe(false);
    expect(
      report.findings.map((finding) => [
        finding.package.name,
        finding.id,
        finding.aliases,
        finding.smallestFix,
        finding.severity,
      ]),
    ).toEqual([
      ['lodash', 'GHSA-lodash-0001', ['CVE-2021-23337'], '4.17.21', 'high'],
      ['requests', 'PYSEC-test-1', ['CVE-2023-32681'], '2.31.0', 'medium'],
    ]);
    const lodash = report.findings[0];
    expect(lodash).toMatchObject({
      slaDays: 30,
      overdue: true,
      package: { location: { path: 'package-lock.json' } },
    });
    expect(renderVulnsTable(report)).toContain('upgrade to: 4.17.21');
  });

  it('marks a finding not_affected from OpenVEX and CycloneDX VEX, shown with its justification', async () => {
    const openvex = writeJson('openvex.json', {
      '@context': 'https://openvex.dev/ns/v0.2.0',
      statements: [
        {
          vulnerability: { name: 'CVE-2021-23337' },
          products: [{ '@id': 'pkg:npm/lodash' }],
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
          impact_statement: 'template() is never called',
        },
      ],
    });
    const cdxVex = writeJson('vex.cdx.json', {
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      vulnerabilities: [
        {
          id: 'PYSEC-test-1',
          affects: [{ ref: 'pkg:pypi/requests@2.30.0' }],
          analysis: { state: 'not_affected', justification: 'code_not_reachable' },
        },
      ],
    });
    const { report } = await runVulns(repository.path, {
      store: storeAt(db),
      settings,
      now,
      vexFiles: [openvex, cdxVex],
    });
    expect(
      report.findings.map((finding) => [
        finding.id,
        finding.vex?.status,
        finding.vex?.justification,
        finding.overdue,
      ]),
    ).toEqual([
      ['GHSA-lodash-0001', 'not_affected', 'vulnerable_code_not_in_execute_path', false],
      ['PYSEC-test-1', 'not_affected', 'code_not_reachable', false],
    ]);
    const table = renderVulnsTable(report);
    expect(table).toContain(
      'VEX: not_affected (vulnerable_code_not_in_execute_path): template() is never called',
    );
    const sarif = JSON.parse(renderVulnsSarif(report));
    expect(sarif.runs[0].results[0].suppressions).toEqual([
      { kind: 'external', justification: 'vulnerable_code_not_in_execute_path: template() is never called' },
    ]);
  });

  it('reads OpenVEX products with subcomponents and CycloneDX bom-refs; reports statements that match nothing', async () => {
    const openvex = writeJson('image.openvex.json', {
      '@context': 'https://openvex.dev/ns/v0.2.0',
      statements: [
        {
          // The product is the application; the statement speaks of lodash inside it.
          vulnerability: { name: 'GHSA-lodash-0001', aliases: ['CVE-2021-23337'] },
          products: [
            { '@id': 'pkg:github/example/app@abc', subcomponents: [{ '@id': 'pkg:npm/lodash@4.17.20' }] },
          ],
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
        },
        {
          // A typo in the id: never silently ignored.
          vulnerability: { name: 'CVE-2021-2333' },
          products: [{ '@id': 'pkg:github/example/app', subcomponents: [{ '@id': 'pkg:npm/lodash' }] }],
          status: 'not_affected',
          justification: 'component_not_present',
        },
        {
          // The product itself, with no subcomponents, is not a package of the scan.
          vulnerability: { name: 'CVE-2021-23337' },
          products: [{ '@id': 'pkg:oci/app@sha256%3Aabc' }],
          status: 'affected',
        },
      ],
    });
    const cdxVex = writeJson('bom-ref.vex.cdx.json', {
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      components: [
        { 'bom-ref': 'requests-2', type: 'library', name: 'requests', purl: 'pkg:pypi/requests@2.30.0' },
      ],
      vulnerabilities: [
        {
          id: 'PYSEC-test-1',
          affects: [{ ref: 'urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#requests-2' }],
          analysis: { state: 'resolved' },
        },
      ],
    });
    const { report } = await runVulns(repository.path, {
      store: storeAt(db),
      settings,
      now,
      vexFiles: [openvex, cdxVex],
    });
    expect(report.findings.map((finding) => [finding.id, finding.vex?.status])).toEqual([
      ['GHSA-lodash-0001', 'not_affected'],
      ['PYSEC-test-1', 'fixed'],
    ]);
    expect(report.vexUnmatched).toEqual([
      {
        source: openvex,
        vulnerabilities: ['CVE-2021-2333'],
        products: ['pkg:npm/lodash'],
        status: 'not_affected',
      },
      {
        source: openvex,
        vulnerabilities: ['CVE-2021-23337'],
        products: ['pkg:oci/app@sha256%3Aabc'],
        status: 'affected',
      },
    ]);
    const table = renderVulnsTable(report);
    expect(table).toContain('warning: 2 VEX statement(s) matched no finding:');
    expect(table).toContain(`  CVE-2021-2333 not_affected for pkg:npm/lodash [${openvex}]`);
  });

  it('reads packages from an SBOM', async () => {
    const sbom = writeJson('bom.json', {
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      components: [{ type: 'library', name: 'lodash', version: '4.17.0', purl: 'pkg:npm/lodash@4.17.0' }],
    });
    const { report } = await runVulns(sbom, { store: storeAt(db), settings, now });
    expect(
      report.findings.map((finding) => [finding.package.name, finding.package.version, finding.id]),
    ).toEqual([['lodash', '4.17.0', 'GHSA-lodash-0001']]);
  });

  it('names SBOM components past end of life, with extended support apart', async () => {
    const sbom = writeJson('eol.cdx.json', {
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      components: [
        { type: 'library', name: 'django', version: '3.2.19', purl: 'pkg:pypi/django@3.2.19' },
        { type: 'library', name: 'django', version: '5.2.1', purl: 'pkg:pypi/django@5.2.1' },
        {
          type: 'framework',
          name: 'spring-boot',
          version: '2.7.18',
          purl: 'pkg:maven/org.springframework.boot/spring-boot@2.7.18',
        },
        { type: 'library', name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0' },
        // An image's base system, as image SBOM tools write it (no package URL).
        { type: 'operating-system', name: 'debian', version: '11.9' },
        // OS packages name their distribution: the same Debian is named once, Ubuntu 18.04 too.
        {
          type: 'library',
          name: 'libc6',
          version: '2.31-13+deb11u5',
          purl: 'pkg:deb/debian/libc6@2.31-13%2Bdeb11u5?arch=amd64&distro=debian-11',
        },
        {
          type: 'library',
          name: 'zlib1g',
          version: '1:1.2.11.dfsg-0ubuntu2',
          purl: 'pkg:deb/ubuntu/zlib1g@1%3A1.2.11.dfsg-0ubuntu2?arch=amd64&distro=ubuntu-18.04',
        },
      ],
    });
    const { report } = await runVulns(sbom, { store: storeAt(db), settings, now });
    expect(
      report.endOfLife?.map((item) => [item.purl ?? item.name, item.title, item.cycle, item.eol]),
    ).toEqual([
      ['pkg:pypi/django@3.2.19', 'Django', '3.2', '2024-04-01'],
      ['pkg:maven/org.springframework.boot/spring-boot@2.7.18', 'Spring Boot', '2.7', '2023-06-30'],
      ['debian', 'Debian', '11', '2024-08-14'],
      ['ubuntu', 'Ubuntu', '18.04', '2023-05-31'],
    ]);
    expect(renderVulnsTable(report)).toContain('  django@3.2.19: Django 3.2 ended 2024-04-01');
    expect(report.endOfLife?.find((item) => item.product === 'ubuntu')?.extendedUntil).toBe('2028-04-01');
  });

  it('says the data is stale when older than the policy allows, or absent', async () => {
    const later = new Date('2026-07-01T00:00:00Z');
    expect((await runVulns(repository.path, { store: storeAt(db), settings, now: later })).report.stale).toBe(
      true,
    );
    const missing = await runVulns(repository.path, {
      store: storeAt(join(folder, 'none.db')),
      settings,
      now,
    });
    expect(missing.report).toMatchObject({ stale: true, database: { status: 'absent' }, findings: [] });
  });

  it('rejects documents that are not VEX', () => {
    expect(() => parseVex('x.json', '{"a":1}')).toThrowError(
      expect.objectContaining({ code: 'VEX_UNSUPPORTED' }),
    );
    expect(() =>
      parseVex('x.json', '{"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"status":"bogus"}]}'),
    ).toThrowError(expect.objectContaining({ code: 'VEX_MALFORMED' }));
  });
});

describe('packages flagged by the advisory data', () => {
  it('reports malicious packages as critical and unmaintained ones as medium, each with its own kind', async () => {
    const flaggedFolder = mkdtempSync(join(tmpdir(), 'shipguard-flagged-'));
    try {
      const records = [
        // OpenSSF malicious-packages record: critical whatever else the record says.
        osvRecord({
          id: 'MAL-2026-0001',
          summary: 'Malicious code in evil-helper (npm)',
          severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N' }],
          affected: [{ package: { ecosystem: 'npm', name: 'evil-helper' }, versions: ['1.0.0'] }],
        }),
        // RustSec informational advisory, as its OSV export writes it.
        osvRecord({
          id: 'RUSTSEC-2026-0002',
          summary: 'old-crate is unmaintained',
          affected: [
            {
              package: { ecosystem: 'crates.io', name: 'old-crate' },
              ranges: [{ type: 'SEMVER', events: [{ introduced: '0.0.0-0' }] }],
              database_specific: { informational: 'unmaintained', categories: [], cvss: null },
            },
          ],
        }),
        // A GHSA malware advisory and the MAL record it aliases: one finding, still malicious.
        osvRecord({
          id: 'GHSA-mal-0003',
          aliases: ['MAL-2026-0003'],
          affected: [{ package: { ecosystem: 'npm', name: 'typo-squat' }, versions: ['2.0.0'] }],
        }),
        osvRecord({
          id: 'MAL-2026-0003',
          aliases: ['GHSA-mal-0003'],
          affected: [{ package: { ecosystem: 'npm', name: 'typo-squat' }, versions: ['2.0.0'] }],
        }),
        // Free text saying "unmaintained" is not a structured flag: an ordinary vulnerability.
        osvRecord({
          id: 'GHSA-text-0004',
          summary: 'left-pad is unmaintained and has a bug',
          database_specific: { severity: 'LOW' },
          affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, versions: ['1.3.0'] }],
        }),
      ];
      for (const record of records) {
        writeFileSync(join(flaggedFolder, `${String(record['id'])}.json`), JSON.stringify(record));
      }
      const flaggedDb = join(flaggedFolder, 'advisories.db');
      const store = await openStore({ kind: 'sqlite', path: flaggedDb });
      try {
        await importAdvisories(store, flaggedFolder, {
          source: 'fixtures',
          now: new Date('2026-05-30T00:00:00Z'),
        });
      } finally {
        await store.close();
      }
      const sbom = join(flaggedFolder, 'bom.json');
      const component = (purl: string) => {
        const [, path = '', version = ''] = /^pkg:[^/]+\/(.+)@(.+)$/.exec(purl) ?? [];
        return { type: 'library', name: path, version, purl };
      };
      writeFileSync(
        sbom,
        JSON.stringify({
          bomFormat: 'CycloneDX',
          specVersion: '1.6',
          components: [
            'pkg:npm/evil-helper@1.0.0',
            'pkg:cargo/old-crate@0.3.1',
            'pkg:npm/typo-squat@2.0.0',
            'pkg:npm/left-pad@1.3.0',
          ].map(component),
        }),
      );
      const { report } = await runVulns(sbom, { store: storeAt(flaggedDb), settings, now });
      expect(
        report.findings.map((finding) => [
          finding.package.name,
          finding.id,
          finding.kind,
          finding.severity,
          finding.score,
          finding.slaDays,
        ]),
      ).toEqual([
        ['evil-helper', 'MAL-2026-0001', 'malicious', 'critical', undefined, 7],
        ['typo-squat', 'GHSA-mal-0003', 'malicious', 'critical', undefined, 7],
        ['old-crate', 'RUSTSEC-2026-0002', 'unmaintained', 'medium', undefined, 90],
        ['left-pad', 'GHSA-text-0004', 'vulnerability', 'low', undefined, 180],
      ]);
      const table = renderVulnsTable(report);
      expect(table).toContain('4 packages checked in');
      expect(table).toContain('1 vulnerable, 2 malicious, 1 unmaintained, 0 not affected per VEX.');
      expect(table).toContain('CRITICAL MALICIOUS PACKAGE evil-helper@1.0.0 MAL-2026-0001');
      expect(table).toContain('remove evil-helper now');
      expect(table).toContain('MEDIUM   UNMAINTAINED old-crate@0.3.1 RUSTSEC-2026-0002');
      expect(table).toContain('replace old-crate with a maintained alternative');
      const sarif = JSON.parse(renderVulnsSarif(report));
      const evil = sarif.runs[0].results.find(
        (result: { ruleId: string }) => result.ruleId === 'MAL-2026-0001',
      );
      expect(evil).toMatchObject({
        level: 'error',
        message: { text: expect.stringContaining('flagged malicious') },
      });
      expect(
        sarif.runs[0].tool.driver.rules.find((rule: { id: string }) => rule.id === 'MAL-2026-0001')
          .properties,
      ).toEqual({ tags: ['security', 'malicious'], 'security-severity': '9.5' });
    } finally {
      rmSync(flaggedFolder, { recursive: true, force: true });
    }
  });
});
