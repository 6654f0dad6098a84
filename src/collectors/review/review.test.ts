import { afterEach, describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../../kernel/index.js';
import { defaultPolicy } from '../../policy/index.js';
import { testNow } from '../../testing/evaluate-collector.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { reviewCollector } from './index.js';

const context = { now: new Date('2026-06-01T00:00:00Z') };
let repository: TestRepository;
afterEach(() => repository.remove());

async function runChecks(path: string) {
  const snapshot = await RepositorySnapshot.open(path);
  const facts = await reviewCollector.collect(snapshot, defaultPolicy(), { now: testNow });
  return Object.fromEntries(
    reviewCollector.checks.map((check) => [check.id, check.evaluate(facts, defaultPolicy(), context)]),
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
    expect(results['review/coverage']?.summary).toContain('1 of 3 changes reviewed (33.3%)');
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
    repository.git('merge', '--quiet', '--no-ff', 'feature', '-m', 'Merge pull request #2 from acme/feature');
    const results = await runChecks(repository.path);
    expect(results['review/coverage']?.status).toBe('unknown');
    expect(results['review/coverage']?.howToProvide).toContain('review.forge');
    expect(results['review/no-direct-pushes']?.status).toBe('pass');
    expect(results['review/sensitive-paths-owned']?.status).toBe('not-applicable');
  });

  it('passes when every change was reviewed by someone else', async () => {
    repository = createTestRepository();
    repository.commit('one\n\nReviewed-by: Bob <bob@example.com>');
    repository.commit('two\n\nAcked-by: Carol <carol@example.com>');
    const results = await runChecks(repository.path);
    expect(results['review/coverage']?.status).toBe('pass');
    expect(results['review/separation-of-duties']?.status).toBe('pass');
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
      expect(results['review/coverage']?.status).toBe('unknown');
      expect(results['review/coverage']?.summary).toContain('shallow');
    } finally {
      clone.remove();
    }
  });
});
