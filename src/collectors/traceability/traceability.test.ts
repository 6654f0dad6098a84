import { afterEach, describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../../core/repository.js';
import { defaultPolicy } from '../../policy/schema.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { isReleaseTag } from './collect.js';
import { traceabilityCollector } from './index.js';

let repository: TestRepository;
afterEach(() => repository.remove());

async function evaluate() {
  const facts = await traceabilityCollector.collect(
    await RepositorySnapshot.open(repository.path),
    defaultPolicy(),
  );
  return traceabilityCollector.checks[0]?.evaluate(facts, defaultPolicy(), { now: new Date() });
}

describe('traceability collector', () => {
  it('fails a release tag that is not on the default branch, naming it', async () => {
    repository = createTestRepository();
    repository.commit('one');
    repository.git('tag', '-a', 'v1.0.0', '-m', 'release');
    repository.git('checkout', '--quiet', '-b', 'hotfix');
    const side = repository.commit('hotfix');
    repository.git('tag', 'v1.0.1');
    repository.git('tag', 'not-a-release');
    repository.git('checkout', '--quiet', 'main');
    const result = await evaluate();
    expect(result?.status).toBe('fail');
    expect(result?.summary).toBe('1 of 2 release tags are not reachable from main');
    expect(result?.evidence).toEqual([{ kind: 'commit', commit: side, note: 'tag v1.0.1' }]);
    repository.git('merge', '--quiet', '--no-ff', 'hotfix', '-m', 'merge hotfix');
    expect((await evaluate())?.status).toBe('pass');
  });

  it('knows release-like tag names', () => {
    expect(['v1.2.3', '1.2', 'v2.0.0-rc.1', 'release-1.4.0'].every(isReleaseTag)).toBe(true);
    expect(['latest', 'v1', 'nightly-2026'].some(isReleaseTag)).toBe(false);
  });
});
