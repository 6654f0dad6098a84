import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createCompany, daysAgo, rosterCsv } from '../../records/__fixtures__/company.js';
import { openStore, type StoreLocation } from '../../store/index.js';
import { runCli } from '../../testing/run-cli.js';
import { describeOnEveryStore, type StoreBackend } from '../../testing/store-backends.js';

function dbOf(location: StoreLocation): string {
  return location.kind === 'sqlite' ? location.path : location.url;
}

function recordsCliSuite(name: string, backend: StoreBackend): void {
  describe(`shipguard people and records on ${name}`, () => {
    const folders: string[] = [];
    afterEach(() => {
      for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
    });

    async function setUp() {
      const folder = mkdtempSync(join(tmpdir(), 'shipguard-records-cli-'));
      folders.push(folder);
      const location = await backend.createLocation();
      const db = dbOf(location);
      const file = (fileName: string, content: string) => {
        const path = join(folder, fileName);
        writeFileSync(path, content);
        return path;
      };
      const company = createCompany();
      const key = file(
        'hr.key',
        company.keys.hr.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      );
      expect((await runCli('people', 'import', file('roster.csv', rosterCsv), '--db', db)).code).toBe(0);
      const signer = await runCli(
        'records',
        'signer',
        'add',
        '--person',
        'hr',
        '--public-key',
        file('hr.pub', company.keys.hr.publicKey),
        '--db',
        db,
      );
      expect(signer.code, signer.stderr).toBe(0);
      return { folder, location, db, file, key, company };
    }

    it('imports an LMS export all or nothing, reports bad rows by line, and covers people by role', async () => {
      const { db, file, key, location } = await setUp();
      const bad = file(
        'lms-bad.csv',
        [
          'Employee,Course,Type,Done',
          `ada,Awareness,annual awareness,${daysAgo(10)}`,
          'alan,Awareness,annual awareness,yesterday',
          `nobody!,Awareness,annual awareness,${daysAgo(3)}`,
        ].join('\n'),
      );
      const mapping = ['person=Employee', 'course=Course', 'trainingKind=Type', 'completed=Done'];
      const importTraining = (csv: string) =>
        runCli(
          'records',
          'import',
          'training',
          csv,
          ...mapping.flatMap((map) => ['--map', map]),
          '--key',
          key,
          '--db',
          db,
        );
      const refused = await importTraining(bad);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('2 bad row(s); nothing was imported');
      expect(refused.stderr).toMatch(/line 3: .*completed/);
      expect(refused.stderr).toMatch(/line 4: .*person/);
      expect((await runCli('records', 'list', '--db', db)).stdout.trim()).toBe('no records');

      const rows = ['Employee,Course,Type,Done'];
      // Everyone on the roster but the CTO, HR and Zoe, who has not done the course.
      const trained = rosterCsv
        .split('\n')
        .slice(1)
        .map((row) => row.split(',')[0]?.replaceAll('"', ''))
        .filter((person) => person !== undefined && !['cto', 'hr', 'zoe'].includes(person));
      expect(trained).toHaveLength(12);
      for (const person of trained) rows.push(`${person},Awareness,annual awareness,${daysAgo(10)}`);
      const imported = await importTraining(file('lms.csv', rows.join('\n')));
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stdout).toContain('imported 12 training records (12 new, 0 already recorded)');

      const coverage = await runCli('people', 'coverage', '--format', 'json', '--db', db);
      expect(coverage.code).toBe(1);
      const report = JSON.parse(coverage.stdout) as {
        byRole: Record<string, { person: string; lacking: string[] }[]>;
      };
      expect(report.byRole['application-developer']?.find((gap) => gap.person === 'zoe')?.lacking).toContain(
        'annual awareness training',
      );
      expect(report.byRole['system-tester']?.[0]?.lacking).toEqual([
        'secure coding training',
        'acknowledgement (no policy version recorded)',
      ]);

      const verified = await runCli('records', 'verify', '--db', db);
      expect(verified.code, verified.stdout).toBe(0);
      const store = await openStore(location);
      try {
        await sql`update records set envelope = replace(envelope, ${'"keyid":"'}, ${'"keyid":"0'}) where kind = ${'training'}`.execute(
          store.db,
        );
      } finally {
        await store.close();
      }
      const rejected = await runCli('records', 'verify', '--db', db);
      expect(rejected.code).toBe(1);
      expect(rejected.stdout).toContain('rejected  12 problem(s)');
    });

    it('adds a record from YAML with its evidence, lists what is due and overdue, and exports a bundle', async () => {
      const { db, file, key, folder } = await setUp();
      const certificate = file('cert.pdf', '%PDF external course certificate');
      const yaml = file(
        'record.yaml',
        [
          `effective: ${daysAgo(400)}`,
          'performedBy: zoe',
          'data:',
          '  person: zoe',
          '  course: OSWE',
          '  trainingKind: external',
          `  completed: ${daysAgo(400)}`,
          `  expires: ${daysAgo(35)}`,
          '  certificate: cert.pdf',
        ].join('\n'),
      );
      const addTraining = () =>
        runCli(
          'records',
          'add',
          'training',
          '--file',
          yaml,
          '--evidence',
          certificate,
          '--key',
          key,
          '--db',
          db,
        );
      const added = await addTraining();
      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout).toMatch(/^added training:.* \(sha256:[0-9a-f]{64}\)\n$/);
      expect((await addTraining()).stdout).toContain('already recorded');

      const overdue = await runCli('records', 'overdue', '--db', db);
      expect(overdue.code).toBe(1);
      expect(overdue.stdout).toContain(`overdue since ${daysAgo(35)}  external training of zoe expires`);

      const wrongKind = await runCli('records', 'add', 'holiday', '--file', yaml, '--key', key, '--db', db);
      expect(wrongKind.code).toBe(2);
      const badYaml = file('bad.yaml', 'effective: 2026-02-30\nperformedBy: zoe\ndata: {}\n');
      const invalid = await runCli('records', 'add', 'training', '--file', badYaml, '--key', key, '--db', db);
      expect(invalid.code).toBe(2);
      expect(invalid.stderr).toContain('effective');

      const out = join(folder, 'bundle.json');
      const exported = await runCli('records', 'export', '--out', out, '--db', db);
      expect(exported.code).toBe(0);
      expect(exported.stderr).toMatch(/^sha256:[0-9a-f]{64}\n$/);
      const shown = await runCli('records', 'list', '--format', 'json', '--db', db);
      expect(JSON.parse(shown.stdout)[0]).toMatchObject({
        kind: 'training',
        performedBy: 'zoe',
        signer: 'hr',
        evidence: [{ name: 'cert.pdf', mediaType: 'application/pdf' }],
      });
    });
  });
}

await describeOnEveryStore('records command line', recordsCliSuite);
