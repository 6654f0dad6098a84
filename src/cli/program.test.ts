import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Assessment } from '../kernel/index.js';
import { validateAssessmentDocument } from '../report/index.js';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { runCli } from '../testing/run-cli.js';

const run = runCli;

let repository: TestRepository;
let scratch: string;

beforeEach(() => {
  repository = createTestRepository();
  scratch = mkdtempSync(join(tmpdir(), 'shipguard-cli-'));
});

afterEach(() => {
  repository.remove();
  rmSync(scratch, { recursive: true, force: true });
});

function wellKeptRepository(): void {
  repository.write({
    'README.md': '# demo\n',
    'SECURITY.md': '# Security\n\nReport to security@example.com\n',
    '.github/CODEOWNERS': '* @demo/owners\n',
    '.gitignore': 'node_modules/\n.env\n.env.*\n*.pem\n*.key\nid_*\n*.p12\n*.pfx\n',
  });
  repository.commit('initial');
}

describe('shipguard CLI', () => {
  it('explains itself with --help and lists its commands', async () => {
    const result = await run('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('assess');
    expect(result.stdout).toContain('init');
  });

  it('assesses a repository as JSON that carries every control', async () => {
    wellKeptRepository();
    const result = await run('assess', repository.path, '--format', 'json', '--no-save', '--fail-on', 'none');
    expect(result.code).toBe(0);
    const assessment = JSON.parse(result.stdout) as Assessment;
    expect(validateAssessmentDocument(assessment)).toEqual([]);
    expect(assessment.subject.isGitRepository).toBe(true);
    expect(assessment.controls.length).toBeGreaterThan(20);
    const statuses = new Set(assessment.controls.map((control) => control.status));
    expect(statuses.has('pass')).toBe(true);
    expect(statuses.has('unknown')).toBe(true);
    for (const control of assessment.controls) {
      if (control.status === 'pass' || control.status === 'fail')
        expect(control.evidence.length, control.controlId).toBeGreaterThan(0);
      if (control.status === 'unknown') expect(control.howToProvide, control.controlId).toBeTruthy();
    }
  });

  it('exits 1 when a control at or above --fail-on fails, and 0 with --fail-on none', async () => {
    repository.write({
      'README.md': '# bare\n',
      'package.json': '{"name":"bare","dependencies":{"a":"1"}}\n',
    });
    repository.commit('bare');
    expect((await run('assess', repository.path, '--no-save', '--fail-on', 'low', '--quiet')).code).toBe(1);
    expect((await run('assess', repository.path, '--no-save', '--fail-on', 'none', '--quiet')).code).toBe(0);
  });

  it('assesses a folder that is not a git repository, with git-based checks unknown', async () => {
    writeFileSync(join(scratch, 'README.md'), '# plain folder\n');
    const result = await run('assess', scratch, '--format', 'json', '--no-save', '--fail-on', 'none');
    expect(result.code).toBe(0);
    const assessment = JSON.parse(result.stdout) as Assessment;
    expect(assessment.subject.isGitRepository).toBe(false);
    const checks = assessment.controls.flatMap((control) => control.checks);
    expect(checks.find((check) => check.checkId === 'sensitive-files/not-committed')?.status).toBe('unknown');
  });

  it('exits 2 naming file, line and key for an invalid shipguard.yaml', async () => {
    wellKeptRepository();
    repository.write({ 'shipguard.yaml': 'version: 1\nfailOn: high\nthreshold: {}\n' });
    const result = await run('assess', repository.path, '--no-save');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('shipguard.yaml:3');
    expect(result.stderr).toContain('threshold');
    expect(result.stderr).not.toContain('    at ');
  });

  it('exits 2 for a folder that does not exist', async () => {
    const result = await run('assess', join(scratch, 'missing'), '--no-save');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no such folder');
  });

  it('writes reports to --out and records them for history', async () => {
    wellKeptRepository();
    const database = join(scratch, 'store.db');
    const out = join(scratch, 'report.sarif');
    const assessed = await run(
      'assess',
      repository.path,
      '--db',
      database,
      '--format',
      'sarif',
      '--out',
      out,
      '--fail-on',
      'none',
    );
    expect(assessed.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).version).toBe('2.1.0');
    const history = await run('history', repository.path, '--db', database, '--format', 'json');
    expect(history.code).toBe(0);
    expect(history.stdout).toContain(repository.git('rev-parse', 'HEAD'));
    const ledger = await run('ledger', 'show', '--db', database, '--format', 'json');
    expect(ledger.code).toBe(0);
    expect(ledger.stdout).toContain('assessment.completed');
    expect(ledger.stdout).toMatch(/sha256:[0-9a-f]{64}/);
  });

  it('init writes a policy that assess then accepts, and refuses to overwrite it', async () => {
    wellKeptRepository();
    expect((await run('init', repository.path)).code).toBe(0);
    expect((await run('init', repository.path)).code).toBe(2);
    const result = await run('assess', repository.path, '--no-save', '--format', 'json', '--fail-on', 'none');
    expect((JSON.parse(result.stdout) as Assessment).policyPath).toBe('shipguard.yaml');
  });
});
