import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { analyseReview } from './analysis.js';
import { SourceControlError } from './errors.js';

let repository: TestRepository;
afterEach(() => repository.remove());

const ada = 'Ada Tester <ada@example.com>';
const carol = 'Carol Dev <carol@example.com>';

/** A history with every kind of change, newest last; returns the commit ids by name. */
/** Commits one file on a new branch, by `author`, and merges the branch into main; returns the merge. */
function mergeBranch(branch: string, file: string, subject: string, author: string, message: string): string {
  repository.git('checkout', '--quiet', '-b', branch);
  repository.write({ [file]: '1\n' });
  repository.commit(subject, { author });
  repository.git('checkout', '--quiet', 'main');
  return repository.merge(branch, message);
}

function buildHistory(): Record<string, string> {
  repository = createTestRepository();
  const ids: Record<string, string> = {};
  repository.write({
    'README.md': '# demo\n',
    CODEOWNERS: '.github/ bob@example.com\n*.tf @platform/infra\n',
  });
  ids['initial'] = repository.commit('initial');
  repository.write({ 'a.txt': '1\n' });
  ids['peer'] = repository.commit(
    'Add a\n\nReviewed-by: Bob Reviewer <bob@example.com>\nSigned-off-by: Ada Tester <ada@example.com>',
  );
  repository.write({ 'b.txt': '1\n' });
  ids['self'] = repository.commit('Add b\n\nReviewed-by: Ada Tester <ada@example.com>');
  repository.write({ 'c.txt': '1\n' });
  ids['signoff'] = repository.commit('Add c\n\nSigned-off-by: Bob Reviewer <bob@example.com>');
  ids['pull'] = mergeBranch(
    'feature',
    'd.txt',
    'Add d',
    carol,
    'Merge pull request #7 from org/feature\n\nAdd d',
  );
  repository.write({ 'e.txt': '1\n' });
  ids['squash'] = repository.commit('Add e (#12)', { author: carol });
  ids['gitlab'] = mergeBranch(
    'topic',
    'f.txt',
    'Add f',
    carol,
    "Merge branch 'topic' into 'main'\n\nAdd f\n\nSee merge request group/project!5",
  );
  ids['localMerge'] = mergeBranch('local', 'g.txt', 'Add g', ada, "Merge branch 'local'");
  repository.write({ 'h.txt': '1\n' });
  ids['gerrit'] = repository.commit(
    'Add h\n\nChange-Id: I0123456789abcdef\nReviewed-on: https://review.example.com/c/demo/+/42\nReviewed-by: Bob Reviewer <bob@example.com>',
    { author: carol },
  );
  repository.write({ '.github/workflows/ci.yml': 'on: push\n' });
  ids['workflowReviewed'] = repository.commit('CI\n\nReviewed-by: Bob Reviewer <bob@example.com>');
  repository.write({ '.github/workflows/ci.yml': 'on: [push]\n' });
  ids['workflowPeer'] = repository.commit('CI again\n\nReviewed-by: Carol Dev <carol@example.com>');
  repository.write({ 'main.tf': 'resource {}\n' });
  ids['terraform'] = repository.commit('infra\n\nReviewed-by: Carol Dev <carol@example.com>');
  repository.write({ 'src/auth/login.ts': 'x\n' });
  ids['auth'] = repository.commit('auth\n\nAcked-by: Carol Dev <carol@example.com>');
  return ids;
}

describe('analyseReview on a real history', () => {
  it('classifies every first-parent change and computes exact figures', async () => {
    const ids = buildHistory();
    const analysis = await analyseReview(repository.path, { window: { last: 1000 } });
    const byCommit = new Map(analysis.changes.map((item) => [item.change.commit, item]));
    const verdict = (name: string) => {
      const item = byCommit.get(ids[name] ?? '');
      return item && `${item.class}:${item.verdict}`;
    };
    expect(analysis.history.branch).toMatchObject({ name: 'main', source: 'conventional-name' });
    expect(analysis.changes).toHaveLength(13);
    expect(verdict('initial')).toBe('direct:unreviewed');
    expect(verdict('peer')).toBe('direct:reviewed');
    expect(verdict('self')).toBe('direct:unreviewed');
    expect(verdict('signoff')).toBe('direct:unreviewed');
    expect(verdict('pull')).toBe('request:unverified');
    expect(verdict('squash')).toBe('request:unverified');
    expect(verdict('gitlab')).toBe('request:unverified');
    expect(verdict('localMerge')).toBe('direct:unreviewed');
    expect(verdict('gerrit')).toBe('request:reviewed');
    expect(byCommit.get(ids['pull'] ?? '')?.change.request).toEqual({
      system: 'github',
      via: 'merge-commit',
      number: 7,
    });
    expect(byCommit.get(ids['gitlab'] ?? '')?.change.request).toMatchObject({
      system: 'gitlab',
      project: 'group/project',
      number: 5,
    });
    // The merged branch's author wrote the change, not the merger.
    expect(byCommit.get(ids['pull'] ?? '')?.authors[0]).toEqual({
      name: 'Carol Dev',
      email: 'carol@example.com',
    });

    expect(analysis.figures).toMatchObject({
      changes: 13,
      throughRequest: 4,
      direct: 9,
      reviewed: 6,
      unverified: 3,
      unreviewed: 4,
    });
    expect(analysis.figures.coverage).toBeCloseTo(6 / 13);
    expect(analysis.figures.directPushes.map((push) => push.commit).sort()).toEqual(
      [ids['initial'], ids['self'], ids['signoff'], ids['localMerge']].sort(),
    );
    expect(analysis.figures.directPushes[0]).toMatchObject({ author: { email: 'ada@example.com' } });
    expect(analysis.figures.separationIssues).toEqual([
      {
        commit: ids['self'],
        kind: 'self-approval',
        author: { name: 'Ada Tester', email: 'ada@example.com' },
        other: { name: 'Ada Tester', email: 'ada@example.com' },
      },
    ]);

    const sensitive = new Map(analysis.sensitive.map((item) => [item.commit, item]));
    expect(sensitive.size).toBe(5);
    expect(sensitive.get(ids['initial'] ?? '')?.verdict).toBe('no-owner');
    expect(sensitive.get(ids['workflowReviewed'] ?? '')?.verdict).toBe('owner-reviewed');
    expect(sensitive.get(ids['workflowPeer'] ?? '')?.verdict).toBe('no-owner-review');
    expect(sensitive.get(ids['terraform'] ?? '')?.verdict).toBe('unknown');
    expect(sensitive.get(ids['auth'] ?? '')?.verdict).toBe('no-owner');
    expect(analysis.signatures).toMatchObject({ changes: 13, signed: 0 });
    expect(analysis.signatures.unsignedMerges).toHaveLength(3);
  });

  it('reads a window of the last N changes or since a date', async () => {
    buildHistory();
    const lastThree = await analyseReview(repository.path, { window: { last: 3 } });
    expect(lastThree.changes.map((item) => item.change.subject)).toEqual(['auth', 'infra', 'CI again']);
    const future = await analyseReview(repository.path, { window: { since: '2099-01-01' } });
    expect(future.changes).toHaveLength(0);
    // git cannot read dates past 2099; refuse them rather than read everything.
    await expect(analyseReview(repository.path, { window: { since: '2999-01-01' } })).rejects.toMatchObject({
      code: 'SOURCE_CONTROL_INVALID_WINDOW',
    });
    await expect(analyseReview(repository.path, { window: { since: 'yesterday' } })).rejects.toMatchObject({
      code: 'SOURCE_CONTROL_INVALID_WINDOW',
    });
  });

  it('fails with a typed error on a detached HEAD without a default branch', async () => {
    repository = createTestRepository();
    repository.git('checkout', '--quiet', '-b', 'work');
    repository.commit('one');
    repository.commit('two');
    repository.git('checkout', '--quiet', '--detach', 'HEAD~1');
    repository.git('branch', '--quiet', '-D', 'work');
    const error = await analyseReview(repository.path, { window: { last: 10 } }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SourceControlError);
    expect((error as SourceControlError).code).toBe('SOURCE_CONTROL_NO_DEFAULT_BRANCH');
  });

  it('uses the policy branch, and origin/HEAD when there is one', async () => {
    repository = createTestRepository();
    repository.commit('one');
    repository.git('branch', 'trunk');
    const analysis = await analyseReview(repository.path, { window: { last: 10 }, defaultBranch: 'trunk' });
    expect(analysis.history.branch).toMatchObject({
      name: 'trunk',
      ref: 'refs/heads/trunk',
      source: 'policy',
    });
    repository.git('update-ref', 'refs/remotes/origin/trunk', 'HEAD');
    repository.git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/trunk');
    const fromOrigin = await analyseReview(repository.path, { window: { last: 10 } });
    expect(fromOrigin.history.branch).toMatchObject({
      ref: 'refs/remotes/origin/trunk',
      source: 'origin-head',
    });
    await expect(
      analyseReview(repository.path, { window: { last: 10 }, defaultBranch: 'nope' }),
    ).rejects.toMatchObject({
      code: 'SOURCE_CONTROL_NO_DEFAULT_BRANCH',
    });
  });

  it('says a shallow clone is partial', async () => {
    buildHistory();
    const clone = createTestRepository({ git: false });
    try {
      clone.git('clone', '--quiet', '--depth', '3', '--no-single-branch', `file://${repository.path}`, '.');
      const analysis = await analyseReview(clone.path, { window: { last: 1000 } });
      expect(analysis.history.shallow).toBe(true);
      expect(analysis.history.partial).toBe(true);
      expect(analysis.changes).toHaveLength(3);
      expect(analysis.history.graftedCommits).toHaveLength(1);
    } finally {
      clone.remove();
    }
  });

  it('turns a missing commit object into a located typed error, not a crash', async () => {
    const ids = buildHistory();
    const id = ids['squash'] ?? '';
    rmSync(join(repository.path, '.git', 'objects', id.slice(0, 2), id.slice(2)));
    const error = await analyseReview(repository.path, { window: { last: 1000 } }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SourceControlError);
    expect((error as SourceControlError).code).toBe('SOURCE_CONTROL_HISTORY_UNREADABLE');
    expect((error as SourceControlError).message).toContain(id);
  });
});
