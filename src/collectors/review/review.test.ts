import { afterEach, describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../../kernel/index.js';
import { defaultPolicy } from '../../policy/index.js';
import { testNow } from '../../testing/evaluate-collector.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { reviewCollector } from './index.js';

const context = { now: new Date('2026-06-01T00:00:00Z') };
let repository: TestRepository;
afterEach(() => repository.remove());

async function runChecks(path: string, policy = defaultPolicy()) {
  const snapshot = await RepositorySnapshot.open(path);
  const facts = await reviewCollector.collect(snapshot, policy, { now: testNow });
  return Object.fromEntries(
    reviewCollector.checks.map((check) => [check.id, check.evaluate(facts, policy, context)]),
  );
}

describe('review collector', () => {
  it('fails direct pushes and self-approval, with one finding per change', async () => {
    repository = createTestRepository();
    repository.write({ CODEOWNERS: '.github/ bob@example.com\n' });
    const first = repository.commit('initial\n\nReviewed-by: Bob <bob@example.com>');
    repository.write({ '.github/workflows/ci.yml': 'on: push\n' });
    const direct = repository.commit('ci');
    repository.write({ 'x.txt': 'x\n' });
    const self = repository.commit('x\n\nApproved-by: Ada Tester <ada@example.com>');
    const results = await runChecks(repository.path);
    expect(results['review/coverage']).toMatchObject({ status: 'fail' });
    expect(results['review/coverage']?.summary).toContain('1 of 3 changes reviewed (33.3%; 0 on verified');
    expect(results['review/no-direct-pushes']?.status).toBe('fail');
    expect(
      results['review/no-direct-pushes']?.evidence.map((item) => (item.kind === 'commit' ? item.commit : '')),
    ).toEqual([self, direct]);
    expect(results['review/separation-of-duties']?.status).toBe('fail');
    expect(results['review/separation-of-duties']?.findings).toHaveLength(1);
    expect(results['review/sensitive-paths-owned']?.status).toBe('fail');
    expect(results['review/sensitive-paths-owned']?.findings[0]?.location?.path).toBe(
      '.github/workflows/ci.yml',
    );
    void first;
  });

  it('is unknown, not passed, when merged changes lack offline evidence', async () => {
    repository = createTestRepository();
    repository.commit('initial\n\nReviewed-by: Bob <bob@example.com>');
    repository.git('checkout', '--quiet', '-b', 'feature');
    repository.commit('feature work', { author: 'Carol <carol@example.com>' });
    repository.git('checkout', '--quiet', 'main');
    repository.merge('feature', 'Merge pull request #2 from acme/feature');
    const results = await runChecks(repository.path);
    expect(results['review/coverage']?.status).toBe('unknown');
    expect(results['review/coverage']?.howToProvide).toContain('review.forge');
    expect(results['review/no-direct-pushes']?.status).toBe('pass');
    expect(results['review/sensitive-paths-owned']?.status).toBe('not-applicable');
  });

  it('passes when every change was reviewed by someone else, on declared evidence only', async () => {
    repository = createTestRepository();
    repository.commit('one\n\nReviewed-by: Bob <bob@example.com>');
    repository.commit('two (#7)\n\nAcked-by: Carol <carol@example.com>');
    const results = await runChecks(repository.path);
    for (const id of ['review/coverage', 'review/separation-of-duties', 'review/no-direct-pushes']) {
      expect(results[id]?.status).toBe('pass');
      // The author typed the trailers and the request number: an auditor cannot rely on them.
      expect(results[id]?.evidence.map((item) => item.level)).toEqual(['declared']);
      expect(results[id]?.howToProvide).toContain('review.forge');
    }
  });

  it('does not pass review coverage on a threshold of 0 when no change was reviewed', async () => {
    repository = createTestRepository();
    repository.commit('one');
    repository.commit('two');
    const policy = defaultPolicy();
    policy.review.coverageThreshold = 0;
    const results = await runChecks(repository.path, policy);
    expect(results['review/coverage']?.status).toBe('fail');
    expect(results['review/coverage']?.summary).toContain('0 of 2 changes reviewed');
    expect(results['review/coverage']?.summary).toContain('no change was reviewed');
  });

  it('rates a pass on a low threshold verified only when a verified review is among it', async () => {
    repository = createTestRepository();
    repository.commit('one\n\nReviewed-by: Bob <bob@example.com>');
    repository.commit('two');
    const policy = defaultPolicy();
    policy.review.coverageThreshold = 0;
    const results = await runChecks(repository.path, policy);
    expect(results['review/coverage']?.status).toBe('pass');
    expect(results['review/coverage']?.evidence.map((item) => item.level)).toEqual(['declared']);
  });

  it('judges only the changes of the audit period, and is unknown when a cap cuts the period', async () => {
    repository = createTestRepository();
    repository.commit('old direct push', { date: '2024-03-01T10:00:00Z', committed: '2024-03-01T10:00:00Z' });
    repository.commit('reviewed\n\nReviewed-by: Bob <bob@example.com>', {
      date: '2026-02-01T10:00:00Z',
      committed: '2026-02-01T10:00:00Z',
    });
    repository.commit('later direct push', {
      date: '2026-08-01T10:00:00Z',
      committed: '2026-08-01T10:00:00Z',
    });
    const policy = { ...defaultPolicy(), auditPeriod: '2026-01-01..2026-06-30' };
    const snapshot = await RepositorySnapshot.open(repository.path);
    const facts = await reviewCollector.collect(snapshot, policy, { now: testNow });
    const coverage = reviewCollector.checks[0]?.evaluate(facts, policy, context);
    expect(coverage?.status).toBe('pass');
    expect(coverage?.summary).toContain('1 of 1 changes reviewed');

    const capped = {
      ...policy,
      auditPeriod: '2024-01-01..2026-12-31',
      review: { ...policy.review, last: 2 },
    };
    const cappedFacts = await reviewCollector.collect(
      await RepositorySnapshot.open(repository.path),
      capped,
      {
        now: testNow,
      },
    );
    const result = reviewCollector.checks[1]?.evaluate(cappedFacts, capped, context);
    expect(result?.status).toBe('unknown');
    expect(result?.summary).toContain('only the newest 2 changes were read');
  });

  it('is unknown for a partial clone', async () => {
    repository = createTestRepository();
    for (const name of ['a', 'b']) repository.commit(`${name}\n\nReviewed-by: Bob <bob@example.com>`);
    repository.git('config', 'uploadpack.allowFilter', 'true');
    const clone = createTestRepository({ git: false });
    try {
      clone.git('clone', '--quiet', '--filter=blob:none', `file://${repository.path}`, '.');
      const results = await runChecks(clone.path);
      expect(results['review/coverage']?.status).toBe('unknown');
      expect(results['review/coverage']?.summary).toContain('partial (filter blob:none)');
    } finally {
      clone.remove();
    }
  });

  it('is unknown outside git and for a shallow clone', async () => {
    repository = createTestRepository({ git: false });
    repository.write({ 'a.txt': 'a\n' });
    expect((await runChecks(repository.path))['review/coverage']?.status).toBe('unknown');
    repository.remove();
    repository = createTestRepository();
    for (const name of ['a', 'b', 'c']) repository.commit(`${name}\n\nReviewed-by: Bob <bob@example.com>`);
    const clone = createTestRepository({ git: false });
    try {
      clone.git('clone', '--quiet', '--depth', '1', `file://${repository.path}`, '.');
      const results = await runChecks(clone.path);
      for (const check of reviewCollector.checks) {
        expect(results[check.id]?.status).toBe('unknown');
        expect(results[check.id]?.summary).toContain('shallow');
        expect(results[check.id]?.howToProvide).toContain('full clone');
      }
    } finally {
      clone.remove();
    }
  });

  describe('review/releases-reviewed', () => {
    const reviewed = (subject: string) => `${subject}\n\nReviewed-by: Bob <bob@example.com>`;

    it('fails a release that shipped a direct push, naming the release and the change', async () => {
      repository = createTestRepository();
      repository.commit(reviewed('initial'));
      repository.git('tag', 'v1.0.0');
      repository.write({ 'a.txt': 'a\n' });
      const direct = repository.commit('hotfix straight to main');
      repository.write({ 'b.txt': 'b\n' });
      repository.commit(reviewed('feature b'));
      repository.git('tag', '-a', 'v1.1.0', '-m', 'release 1.1.0');
      const result = (await runChecks(repository.path))['review/releases-reviewed'];
      expect(result?.status).toBe('fail');
      expect(result?.summary).toContain('2 release(s)');
      expect(result?.findings).toHaveLength(1);
      expect(result?.findings[0]?.message).toContain(`release v1.1.0 shipped ${direct.slice(0, 12)}`);
    });

    it('passes when every change of every release was reviewed, on declared evidence only', async () => {
      repository = createTestRepository();
      repository.commit(reviewed('initial'));
      repository.git('tag', 'v1.0.0');
      repository.write({ 'a.txt': 'a\n' });
      repository.commit(reviewed('feature a'));
      repository.git('tag', 'v1.1.0');
      repository.write({ 'b.txt': 'b\n' });
      // Not yet released: a direct push after the last release is no release's.
      repository.commit('unreleased work');
      const result = (await runChecks(repository.path))['review/releases-reviewed'];
      expect(result?.status).toBe('pass');
      expect(result?.evidence.map((item) => item.level)).toEqual(['declared', 'declared']);
      expect(result?.howToProvide).toContain('review.forge');
    });

    it('locates a tag made on a merged branch at the merge that brought it', async () => {
      repository = createTestRepository();
      repository.commit(reviewed('initial'));
      repository.git('checkout', '--quiet', '-b', 'feature');
      repository.write({ 'f.txt': 'f\n' });
      repository.commit('feature work', { author: 'Carol <carol@example.com>' });
      repository.git('tag', 'v2.0.0');
      repository.git('checkout', '--quiet', 'main');
      repository.merge('feature', 'Merge branch feature');
      const result = (await runChecks(repository.path))['review/releases-reviewed'];
      // The merge carries no review evidence: an unreviewed change shipped in v2.0.0.
      expect(result?.status).toBe('fail');
      expect(result?.findings[0]?.message).toContain('release v2.0.0 shipped');
      expect(result?.findings[0]?.message).toContain('Merge branch feature');
    });

    it('is not applicable with no release and no deployment, and unknown for a request without evidence', async () => {
      repository = createTestRepository();
      repository.commit(reviewed('initial'));
      expect((await runChecks(repository.path))['review/releases-reviewed']?.status).toBe('not-applicable');
      repository.git('checkout', '--quiet', '-b', 'feature');
      repository.commit('feature work', { author: 'Carol <carol@example.com>' });
      repository.git('checkout', '--quiet', 'main');
      repository.merge('feature', 'Merge pull request #2 from acme/feature');
      repository.git('tag', 'v1.0.0');
      const result = (await runChecks(repository.path))['review/releases-reviewed'];
      // The release holds the reviewed first commit and a merged request with no evidence offline.
      expect(result?.status).toBe('unknown');
      expect(result?.summary).toContain('1 released or deployed change(s) came through a request');
      expect(result?.howToProvide).toContain('review.forge');
    });
  });
});
