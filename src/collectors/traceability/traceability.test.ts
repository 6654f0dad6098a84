import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { saveDecisionRow } from '../../changes/index.js';
import { RepositorySnapshot } from '../../kernel/index.js';
import { defaultPolicy } from '../../policy/index.js';
import { isReleaseTag } from '../../source-control/index.js';
import { defaultStorePath, openStore } from '../../store/index.js';
import { testNow } from '../../testing/evaluate-collector.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { storeAccesses } from '../../testing/store-accesses.js';
import { traceabilityCollector } from './index.js';

let repository: TestRepository;
afterEach(() => repository.remove());
// Registered after the removal, so that (after-hooks run last-registered first) accesses close first.
const storeAccess = storeAccesses();

/** The store a command hands down by default: .shipguard/shipguard.db at the repository root. */
const defaultStore = () => storeAccess({ kind: 'sqlite', path: defaultStorePath(repository.path) });

async function evaluateDeployments() {
  const facts = await traceabilityCollector.collect(
    await RepositorySnapshot.open(repository.path),
    defaultPolicy(),
    { now: testNow, store: defaultStore() },
  );
  const check = traceabilityCollector.checks.find((item) => item.id === 'traceability/deployments-reachable');
  return check?.evaluate(facts, defaultPolicy(), { now: new Date() });
}

/** An allowed decision as the gate stores it: the source commit named by the source-reviewed rule. */
function allowed(id: string, environment: string, commit: string | undefined) {
  return {
    id,
    environment,
    artifact: `sha256:${'1'.repeat(64)}`,
    result: 'allow',
    decidedAt: '2026-05-01T10:00:00.000Z',
    ledgerIndex: 0,
    document: {
      result: 'allow',
      environment,
      deployer: 'frank',
      rules: commit
        ? [{ id: 'source-reviewed', outcome: 'pass', reason: `commit ${commit} is on main and reviewed` }]
        : [],
    },
  };
}

async function evaluate() {
  const facts = await traceabilityCollector.collect(
    await RepositorySnapshot.open(repository.path),
    defaultPolicy(),
    { now: testNow, store: defaultStore() },
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
    repository.merge('hotfix', 'merge hotfix');
    expect((await evaluate())?.status).toBe('pass');
  });

  it('knows release-like tag names', () => {
    expect(['v1.2.3', '1.2', 'v2.0.0-rc.1', 'release-1.4.0'].every(isReleaseTag)).toBe(true);
    expect(['latest', 'v1', 'nightly-2026'].some(isReleaseTag)).toBe(false);
  });

  it('fails a deployed commit that is not reachable from the default branch, from the gate decisions in the store', async () => {
    repository = createTestRepository();
    const onMain = repository.commit('one');
    repository.git('checkout', '--quiet', '-b', 'hotfix');
    const side = repository.commit('hotfix deployed from a side branch');
    repository.git('checkout', '--quiet', 'main');
    expect((await evaluateDeployments())?.status).toBe('unknown');

    const store = await openStore({
      kind: 'sqlite',
      path: join(repository.path, '.shipguard', 'shipguard.db'),
    });
    try {
      await saveDecisionRow(store, allowed('a', 'production', onMain));
      await saveDecisionRow(store, allowed('b', 'staging', side));
      await saveDecisionRow(store, allowed('c', 'production', 'f'.repeat(40)));
      await saveDecisionRow(store, allowed('d', 'production', undefined));
      await saveDecisionRow(store, { ...allowed('e', 'production', side), result: 'deny' });
    } finally {
      await store.close();
    }
    const result = await evaluateDeployments();
    expect(result?.status).toBe('fail');
    expect(result?.summary).toBe(
      '2 of 3 deployed commits are not reachable from main; 1 allowed decision(s) name no commit',
    );
    expect(result?.findings.map((finding) => finding.message).sort()).toEqual(
      [
        `commit ${'f'.repeat(12)}, deployed to production by decision c (2026-05-01T10:00:00.000Z), is not on main`,
        `commit ${side.slice(0, 12)}, deployed to staging by decision b (2026-05-01T10:00:00.000Z), is not on main`,
      ].sort(),
    );
    repository.merge('hotfix', 'merge hotfix');
    expect((await evaluateDeployments())?.findings).toHaveLength(1);
  });
});

describe('release branches', () => {
  async function evaluateAll(period = '2026-01-01..2026-12-31') {
    delete process.env['SHIPGUARD_DB'];
    const policy = { ...defaultPolicy(), auditPeriod: period };
    const facts = await traceabilityCollector.collect(
      await RepositorySnapshot.open(repository.path),
      policy,
      {
        now: testNow,
      },
    );
    return Object.fromEntries(
      traceabilityCollector.checks.map((check) => [
        check.id,
        check.evaluate(facts, policy, { now: testNow }),
      ]),
    );
  }

  it('counts a tag on a release branch as tracing to source', async () => {
    repository = createTestRepository();
    repository.commit('one');
    repository.git('checkout', '--quiet', '-b', 'release/1.x');
    repository.commit('backported fix');
    repository.git('tag', 'v1.0.1');
    repository.git('checkout', '--quiet', 'main');
    repository.commit('two');
    const results = await evaluateAll();
    expect(results['traceability/releases-reachable']?.status).toBe('pass');
  });
});
