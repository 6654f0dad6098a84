import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lodashAdvisory } from '../advisories/__fixtures__/records.js';
import { recordChange } from '../changes/index.js';
import { ChangeSettings } from '../policy/index.js';
import { defaultStorePath, openStore } from '../store/index.js';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { runCli } from '../testing/run-cli.js';
import { implementedChange } from '../testing/signed-change.js';

/** Every command resolves its store by one rule, once, and everything below it uses that store. */
describe('one store per command', () => {
  let repository: TestRepository;
  let folder: string;
  const savedDb = process.env['SHIPGUARD_DB'];
  const savedCwd = process.cwd();

  /** `assess --db <db>` of the test repository, as JSON, never failing on a control. */
  const assessInto = (db: string) =>
    runCli('assess', repository.path, '--db', db, '--format', 'json', '--fail-on', 'none');

  beforeEach(() => {
    delete process.env['SHIPGUARD_DB'];
    repository = createTestRepository();
    repository.write({
      'package-lock.json': JSON.stringify(
        { lockfileVersion: 3, packages: { 'node_modules/lodash': { version: '4.17.20' } } },
        null,
        2,
      ),
      'docs/readme.md': '# docs\n',
    });
    repository.commit('deps');
    folder = realpathSync(mkdtempSync(join(tmpdir(), 'shipguard-one-store-')));
  });

  afterEach(() => {
    process.chdir(savedCwd);
    if (savedDb === undefined) delete process.env['SHIPGUARD_DB'];
    else process.env['SHIPGUARD_DB'] = savedDb;
    repository.remove();
    rmSync(folder, { recursive: true, force: true });
  });

  it('assess --db X reads the changes in X and records the assessment in X, nowhere else', async () => {
    const db = join(folder, 'changes.db');
    const settings = ChangeSettings.parse({});
    const implementedAt = new Date('2026-01-09T09:00:00Z');
    const implemented = implementedChange(
      { id: 'EMG-42', class: 'emergency', title: 'Hotfix', author: 'alice' },
      settings,
      implementedAt,
    );
    const store = await openStore({ kind: 'sqlite', path: db });
    await recordChange(store, implemented, 'created', 'alice');
    await store.close();

    const withDb = await assessInto(db);
    expect(withDb.code).toBe(0);
    // The change collector read X: the overdue emergency change is named in the report.
    expect(withDb.stdout).toContain('EMG-42');
    expect(existsSync(defaultStorePath(repository.path))).toBe(false);
    const reopened = await openStore({ kind: 'sqlite', path: db });
    try {
      expect(await reopened.listAssessments({ repository: repository.path, limit: 5 })).toHaveLength(1);
    } finally {
      await reopened.close();
    }

    // Without --db the default store (at the repository root) is used: it has no such change.
    const withoutDb = await runCli('assess', repository.path, '--format', 'json', '--fail-on', 'none');
    expect(withoutDb.code).toBe(0);
    expect(withoutDb.stdout).not.toContain('EMG-42');
    expect(existsSync(defaultStorePath(repository.path))).toBe(true);
  });

  it('the first assess leaves its caches in the store it writes; --no-save creates no store', async () => {
    const db = join(folder, 'caches.db');
    const first = await assessInto(db);
    expect(first.code).toBe(0);
    const store = await openStore({ kind: 'sqlite', path: db });
    try {
      // Every blob of the two-file history is clean: the next run reads none of them again.
      const rows = await sql<{ blobs: number }>`select count(*) as blobs from secret_clean_blobs`.execute(
        store.db,
      );
      expect(Number(rows.rows[0]?.blobs)).toBeGreaterThanOrEqual(2);
    } finally {
      await store.close();
    }
    const unsaved = join(folder, 'unsaved.db');
    const run = await runCli('assess', repository.path, '--db', unsaved, '--no-save', '--fail-on', 'none');
    expect(run.code).toBe(0);
    expect(existsSync(unsaved)).toBe(false);
  });

  it('SHIPGUARD_DB is the store of every collector when --db is not given', async () => {
    const db = join(folder, 'from-environment.db');
    process.env['SHIPGUARD_DB'] = db;
    const run = await runCli('assess', repository.path, '--format', 'json', '--fail-on', 'none');
    expect(run.code).toBe(0);
    expect(existsSync(db)).toBe(true);
    expect(existsSync(defaultStorePath(repository.path))).toBe(false);
  });

  it('advisories import, then vulns <repo>, with no flags, use the same database', async () => {
    const record = join(folder, 'lodash.json');
    writeFileSync(record, JSON.stringify(lodashAdvisory));
    // Run from a folder inside the repository, as a developer would.
    mkdirSync(join(repository.path, 'docs'), { recursive: true });
    process.chdir(join(repository.path, 'docs'));
    const imported = await runCli('advisories', 'import', record);
    expect(imported.code).toBe(0);
    expect(existsSync(defaultStorePath(repository.path))).toBe(true);
    expect(existsSync(join(repository.path, 'docs', '.shipguard'))).toBe(false);

    process.chdir(folder);
    const vulns = await runCli('vulns', repository.path, '--format', 'json', '--fail-on', 'none');
    expect(vulns.code).toBe(0);
    const report = JSON.parse(vulns.stdout) as { database: { status: string; location: string } };
    expect(report.database.status).toBe('present');
    expect(report.database.location).toBe(defaultStorePath(repository.path));
    expect(vulns.stdout).toContain('GHSA-lodash-0001');
  });
});
