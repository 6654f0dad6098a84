import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { codeqlSarif } from '../../evidence-import/__fixtures__/reports.js';
import { registerSigner } from '../../records/index.js';
import { openStore } from '../../store/index.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { runCli } from '../../testing/run-cli.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function setUp(): { repository: TestRepository; folder: string; db: string; head: string } {
  const repository = createTestRepository();
  repository.write({ 'README.md': '# app\n' });
  const head = repository.commit('first');
  const folder = mkdtempSync(join(tmpdir(), 'shipguard-evidence-cli-'));
  cleanups.push(
    () => repository.remove(),
    () => rmSync(folder, { recursive: true, force: true }),
  );
  return { repository, folder, db: join(folder, 'store.db'), head };
}

function junit(failures: number): string {
  const failing = Array.from(
    { length: failures },
    (_, index) => `<testcase classname="b" name="fails ${index}"><failure message="no"/></testcase>`,
  ).join('');
  return `<testsuites name="vitest tests" timestamp="${new Date().toISOString()}"><testsuite name="a"><testcase classname="a" name="works"/>${failing}</testsuite></testsuites>`;
}

interface AssessedControl {
  controlId: string;
  status: string;
  checks: { checkId: string; status: string; summary: string }[];
}

async function assessed(path: string, db: string, ...extra: string[]) {
  const run = await runCli('assess', path, '--db', db, '--no-save', '--format', 'json', ...extra);
  const controls = (JSON.parse(run.stdout) as { controls: AssessedControl[] }).controls;
  const check = (controlId: string, checkId: string) =>
    controls
      .find((control) => control.controlId === controlId)
      ?.checks.find((item) => item.checkId === checkId);
  return { run, controls, check };
}

/** `shipguard evidence import …`, as a user types it. */
const importEvidence = (...args: string[]) => runCli('evidence', 'import', ...args);

describe('shipguard evidence', () => {
  it('imports JUnit for HEAD, lists it, and assess judges TST-01 by it: a failed test fails the control', async () => {
    const { repository, folder, db, head } = setUp();
    writeFileSync(join(folder, 'junit.xml'), junit(0));
    const imported = await importEvidence(
      join(folder, 'junit.xml'),
      '--repository',
      repository.path,
      '--db',
      db,
      '--json',
    );
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({
      format: 'junit',
      commit: head,
      commitSource: 'head',
      tool: 'vitest tests',
    });

    const listed = await runCli(
      'evidence',
      'list',
      '--db',
      db,
      '--format',
      'json',
      '--commit',
      head.slice(0, 8),
    );
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).imports).toHaveLength(1);

    const passing = await assessed(repository.path, db);
    expect(passing.check('TST-01', 'evidence-import/tests-passed')?.status).toBe('pass');

    writeFileSync(join(folder, 'junit-failed.xml'), junit(2));
    expect(
      (await importEvidence(join(folder, 'junit-failed.xml'), '--repository', repository.path, '--db', db))
        .code,
    ).toBe(0);
    const failing = await assessed(repository.path, db);
    expect(failing.check('TST-01', 'evidence-import/tests-passed')?.status).toBe('fail');
    expect(failing.controls.find((control) => control.controlId === 'TST-01')?.status).toMatch(
      /fail|partial/,
    );
    expect(failing.run.code).toBe(1);
  });

  it('binds a SARIF log to the commit it names, and an import for another commit does not pass', async () => {
    const { repository, folder, db, head } = setUp();
    repository.write({ 'src/app.js': 'export {};\n' });
    const second = repository.commit('second');
    writeFileSync(
      join(folder, 'codeql.sarif'),
      JSON.stringify(codeqlSarif({ commit: head, startTime: new Date().toISOString() })),
    );
    const imported = await importEvidence(
      join(folder, 'codeql.sarif'),
      '--repository',
      repository.path,
      '--db',
      db,
      '--commit',
      second,
      '--json',
    );
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ commit: head, commitSource: 'file' });
    expect(imported.stderr).toContain(`says it ran on commit ${head.slice(0, 12)}`);
    const result = await assessed(repository.path, db);
    const sast = result.check('DES-03', 'evidence-import/sast-results');
    expect(sast?.status).toBe('unknown');
    expect(sast?.summary).toContain(`is for commit ${head.slice(0, 12)}`);
  });

  it('refuses unknown formats, unresolvable commits and files that are not what --format says, with exit 2', async () => {
    const { repository, folder, db } = setUp();
    writeFileSync(join(folder, 'notes.txt'), 'hello\n');
    const unknownFormat = await importEvidence(
      join(folder, 'notes.txt'),
      '--repository',
      repository.path,
      '--db',
      db,
    );
    expect(unknownFormat.code).toBe(2);
    expect(unknownFormat.stderr).toContain('--format');
    writeFileSync(join(folder, 'junit.xml'), junit(0));
    // A commit the repository does not have, a format the file is not, a commit that is not one.
    for (const refused of [
      ['--commit', 'abcdef1'],
      ['--format', 'sarif'],
      ['--commit', 'nothex!'],
    ]) {
      const run = await importEvidence(
        join(folder, 'junit.xml'),
        '--repository',
        repository.path,
        '--db',
        db,
        ...refused,
      );
      expect(run.code, refused.join(' ')).toBe(2);
    }
    const listed = await runCli('evidence', 'list', '--db', db);
    expect(listed.stdout).toContain('no imported evidence');
    // Imports are written by this command only, never appended to the ledger by hand.
    writeFileSync(
      join(folder, 'forged.json'),
      JSON.stringify({ type: 'evidence.imported', data: { id: 'x' } }),
    );
    expect((await runCli('ledger', 'append', join(folder, 'forged.json'), '--db', db)).code).toBe(2);
  });

  it('signs an import with --sign-with a registered key, and refuses an unregistered one', async () => {
    const { repository, folder, db } = setUp();
    const keys = generateKeyPairSync('ed25519');
    writeFileSync(
      join(folder, 'ci.key'),
      keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    );
    writeFileSync(join(folder, 'junit.xml'), junit(0));
    const args = [
      'evidence',
      'import',
      join(folder, 'junit.xml'),
      '--repository',
      repository.path,
      '--db',
      db,
    ];
    const refused = await runCli(...args, '--sign-with', join(folder, 'ci.key'));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('not registered');
    const store = await openStore({ kind: 'sqlite', path: db });
    try {
      await registerSigner(store, {
        person: 'ci-bot',
        publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      });
    } finally {
      await store.close();
    }
    const signed = await runCli(...args, '--sign-with', join(folder, 'ci.key'), '--json');
    expect(signed.code, signed.stderr).toBe(0);
    expect(JSON.parse(signed.stdout)).toMatchObject({ signedBy: 'ci-bot' });
    expect((await runCli('evidence', 'list', '--db', db)).stdout).toContain('signed by ci-bot');
  });

  it('lists a row edited in the database as not counted, and exits 1', async () => {
    const { repository, folder, db } = setUp();
    writeFileSync(join(folder, 'junit.xml'), junit(1));
    expect(
      (await importEvidence(join(folder, 'junit.xml'), '--repository', repository.path, '--db', db)).code,
    ).toBe(0);
    const store = await openStore({ kind: 'sqlite', path: db });
    try {
      await sql`UPDATE evidence_imports SET tool = 'edited'`.execute(store.db);
    } finally {
      await store.close();
    }
    const listed = await runCli('evidence', 'list', '--db', db, '--format', 'json');
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain('the row differs from ledger entry 0');
    expect(JSON.parse(listed.stdout).imports).toEqual([]);
  });

  it('assess has --fail-on-unknown and --framework iso27001|ssdf|ncsc (issue 16)', async () => {
    const { repository, db } = setUp();
    const assess = (...extra: string[]) =>
      runCli(
        'assess',
        repository.path,
        '--db',
        db,
        '--no-save',
        '--format',
        'json',
        '--fail-on',
        'none',
        ...extra,
      );
    const strict = await assess('--fail-on-unknown', 'high');
    expect(strict.code).toBe(1);
    const lax = await assess();
    expect(lax.code).toBe(0);
    for (const framework of ['iso27001', 'ssdf', 'ncsc']) {
      const view = await assess('--framework', framework);
      expect(view.code, view.stderr).toBe(0);
      expect(view.stdout).toContain('TST-01');
    }
  });
});
