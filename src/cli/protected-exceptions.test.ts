/**
 * A branch cannot excuse its own failures: `assess` applies only the exceptions the protected
 * default branch's policy holds. Real git repository, the CLI in-process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { assessJson } from '../testing/run-cli.js';

interface Report {
  controls: Array<{ controlId: string; status: string; exception?: { owner: string } }>;
  problems: Array<{ code: string; message: string }>;
}

const exception = (control: string) =>
  `  - control: ${control}\n    reason: Accepted while the design review is scheduled.\n    owner: alice\n    approver: bob\n    expires: 2027-01-31\n`;

describe('exceptions count only from the protected branch', () => {
  let repository: TestRepository;

  async function assessReport(): Promise<Report> {
    const run = await assessJson(repository.path);
    return JSON.parse(run.stdout) as Report;
  }

  beforeAll(() => {
    repository = createTestRepository();
    repository.write({
      'package.json': '{"name":"x","version":"1.0.0"}\n',
      'shipguard.yaml': `exceptions:\n${exception('DES-02')}`,
    });
    repository.commit('Initial commit, with an exception reviewed onto main');
  });
  afterAll(() => repository.remove());

  it('applies an exception held by main', async () => {
    const report = await assessReport();
    expect(report.controls.find((control) => control.controlId === 'DES-02')?.exception?.owner).toBe('alice');
    expect(report.problems.filter((problem) => problem.code === 'EXCEPTION_NOT_PROTECTED')).toEqual([]);
  });

  it('ignores, and reports, the exception a branch adds for itself (committed or not)', async () => {
    repository.git('checkout', '--quiet', '-b', 'feature');
    repository.write({ 'shipguard.yaml': `exceptions:\n${exception('DES-02')}${exception('DEV-02')}` });
    const uncommitted = await assessReport();
    repository.commit('Excuse DEV-02 on the branch');
    const committed = await assessReport();
    for (const report of [uncommitted, committed]) {
      expect(report.controls.find((control) => control.controlId === 'DEV-02')?.exception).toBeUndefined();
      expect(report.controls.find((control) => control.controlId === 'DES-02')?.exception?.owner).toBe(
        'alice',
      );
      const problem = report.problems.find((item) => item.code === 'EXCEPTION_NOT_PROTECTED');
      expect(problem?.message).toContain('DEV-02');
      expect(problem?.message).toContain('refs/heads/main');
    }
    repository.git('checkout', '--quiet', 'main');
  });

  it('ignores an exception whose terms the branch changed (a later expiry)', async () => {
    repository.git('checkout', '--quiet', '-b', 'extend');
    repository.write({
      'shipguard.yaml': `exceptions:\n${exception('DES-02').replace('2027-01-31', '2027-02-28')}`,
    });
    repository.commit('Extend the exception on the branch');
    const report = await assessReport();
    expect(report.controls.find((control) => control.controlId === 'DES-02')?.exception).toBeUndefined();
    expect(report.problems.map((problem) => problem.code)).toContain('EXCEPTION_NOT_PROTECTED');
    repository.git('checkout', '--quiet', 'main');
  });
});

describe('a branch cannot lower the exit thresholds', () => {
  let repository: TestRepository;
  beforeAll(() => {
    repository = createTestRepository();
    repository.write({
      'package.json': '{"name":"x","version":"1.0.0"}\n',
      'shipguard.yaml': 'failOn: info\n',
    });
    repository.commit('main fails on anything');
  });
  afterAll(() => repository.remove());

  it("keeps the default branch's failOn when the branch's policy lowers it, and says so", async () => {
    const onMain = await assessJson(repository.path);
    expect(onMain.code).toBe(1);
    repository.git('checkout', '--quiet', '-b', 'lower');
    repository.write({ 'shipguard.yaml': 'failOn: none\nfailOnUnknown: none\n' });
    repository.commit('Never fail');
    const run = await assessJson(repository.path);
    const report = JSON.parse(run.stdout) as Report;
    expect(run.code).toBe(1);
    expect(report.problems.find((problem) => problem.code === 'THRESHOLD_NOT_PROTECTED')?.message).toContain(
      'failOn: none',
    );
    // The command line is the caller's explicit choice, and is recorded as such by the CI that runs it.
    const explicit = await assessJson(repository.path, '--fail-on', 'none');
    expect(explicit.code).toBe(0);
    repository.git('checkout', '--quiet', 'main');
  });
});
