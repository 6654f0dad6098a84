import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { saveDecisionRow } from '../../changes/index.js';
import { RepositorySnapshot } from '../../kernel/index.js';
import { defaultPolicy } from '../../policy/index.js';
import { toDeployment } from '../../source-control/index.js';
import { defaultStorePath, openStore } from '../../store/index.js';
import { testNow } from '../../testing/evaluate-collector.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { storeAccesses } from '../../testing/store-accesses.js';
import { reviewCollector } from './index.js';

const context = { now: new Date('2026-06-01T00:00:00Z') };
let repository: TestRepository;
afterEach(() => repository.remove());
// Registered after the removal, so that (after-hooks run last-registered first) accesses close first.
const storeAccess = storeAccesses();

/** The store a command hands down by default: .shipguard/shipguard.db at the repository root. */
const defaultStore = () => storeAccess({ kind: 'sqlite', path: defaultStorePath(repository.path) });

/** A decision row as the gate writes it (src/gate/gather.ts): the source commit is named by a rule. */
function decision(
  id: string,
  environment: string,
  result: 'allow' | 'deny',
  deployer: string,
  commit?: string,
) {
  return {
    id,
    environment,
    artifact: `sha256:${'0'.repeat(64)}`,
    result,
    decidedAt: `2026-05-0${id.length % 9}T10:00:00.000Z`,
    ledgerIndex: 0,
    document: {
      result,
      environment,
      at: '2026-05-01T10:00:00.000Z',
      deployer,
      rules: commit
        ? [{ id: 'source-reviewed', outcome: 'pass', reason: `commit ${commit} is on main and reviewed (x)` }]
        : [{ id: 'provenance', outcome: 'fail', reason: 'no attestation' }],
      overrides: [],
      inputs: {},
    },
  };
}

async function separationOfDuties(policy = defaultPolicy()) {
  const snapshot = await RepositorySnapshot.open(repository.path);
  const facts = await reviewCollector.collect(snapshot, policy, {
    now: testNow,
    store: defaultStore(),
  });
  const check = reviewCollector.checks.find((item) => item.id === 'review/separation-of-duties');
  return { facts, result: check?.evaluate(facts, policy, context) };
}

describe('separation of duties with the deployer', () => {
  it('flags production deployments made by the change’s author or approver, from the gate’s rows', async () => {
    repository = createTestRepository();
    const initial = repository.commit('initial\n\nReviewed-by: Bob <bob@example.com>');
    repository.git('checkout', '--quiet', '-b', 'feature');
    const feature = repository.commit('feature work', { author: 'Carol <carol@example.com>' });
    repository.git('checkout', '--quiet', 'main');
    const head = repository.merge(
      'feature',
      'Merge pull request #2 from acme/feature\n\nReviewed-by: Dan <dan@example.com>',
    );
    repository.git('checkout', '--quiet', '-b', 'side');
    const offBranch = repository.commit('never merged', { author: 'Eve <eve@example.com>' });
    repository.git('checkout', '--quiet', 'main');

    const store = await openStore({
      kind: 'sqlite',
      path: join(repository.path, '.shipguard', 'shipguard.db'),
    });
    try {
      // Ada wrote the initial commit and deploys it: author.
      await saveDecisionRow(store, decision('d1', 'production', 'allow', 'ada@example.com', initial));
      // Dan approved the merge that brought Carol's commit in, and deploys that commit: approver.
      await saveDecisionRow(store, decision('d22', 'prod', 'allow', 'Dan', feature));
      // Frank neither wrote nor approved the head: fine.
      await saveDecisionRow(store, decision('d333', 'production', 'allow', 'frank', head));
      // Not production, or not deployed: not judged.
      await saveDecisionRow(store, decision('d4444', 'staging', 'allow', 'Ada Tester', initial));
      await saveDecisionRow(store, decision('d55555', 'production', 'deny', 'Ada Tester', initial));
      // Production decisions the history cannot judge: no commit named, a commit off the branch.
      await saveDecisionRow(store, decision('d666666', 'production', 'allow', 'frank'));
      await saveDecisionRow(store, decision('d7777777', 'production', 'allow', 'Eve', offBranch));
    } finally {
      await store.close();
    }

    const { facts, result } = await separationOfDuties();
    expect(facts.state === 'read' ? facts.analysis.deployments : undefined).toEqual({
      production: 5,
      compared: 3,
      issues: [
        {
          deployment: 'd1',
          environment: 'production',
          decidedAt: '2026-05-02T10:00:00.000Z',
          deployer: 'ada@example.com',
          commit: initial,
          change: initial,
          kind: 'deployer-is-author',
          other: 'Ada Tester <ada@example.com>',
        },
        {
          deployment: 'd22',
          environment: 'prod',
          decidedAt: '2026-05-03T10:00:00.000Z',
          deployer: 'Dan',
          commit: feature,
          change: head,
          kind: 'deployer-is-approver',
          other: 'Dan <dan@example.com>',
        },
      ].sort((a, b) => (a.decidedAt < b.decidedAt ? 1 : -1)),
      skipped: [
        { deployment: 'd7777777', reason: `commit ${offBranch.slice(0, 12)} is not on the default branch` },
        { deployment: 'd666666', reason: 'the decision names no source commit' },
      ],
      changes: expect.any(Array),
    });
    // Each compared deployment keeps the change it shipped and that change's review verdict.
    expect(
      (facts.state === 'read' ? (facts.analysis.deployments?.changes ?? []) : []).map((item) => [
        item.deployment,
        item.commit,
        item.change,
        item.verdict,
        item.inHistory,
      ]),
    ).toEqual([
      ['d333', head, head, 'reviewed', true],
      ['d22', feature, head, 'reviewed', true],
      ['d1', initial, initial, 'reviewed', true],
    ]);
    expect(result?.status).toBe('fail');
    expect(result?.summary).toContain(
      '3 of 5 production deployment(s) compared with the history, 2 deployed by their author or approver',
    );
    const deploymentFindings = (result?.findings ?? []).filter((finding) =>
      finding.message.includes('deployment'),
    );
    expect(deploymentFindings.map((finding) => finding.checkId)).toEqual([
      'review/separation-of-duties',
      'review/separation-of-duties',
    ]);
    expect(deploymentFindings.map((finding) => finding.message).join('\n')).toContain(
      `deployment d1 to production (2026-05-02T10:00:00.000Z) of ${initial.slice(0, 12)} was made by ada@example.com, who wrote the change`,
    );
  });

  it('fails review/releases-reviewed when production got a change nobody reviewed', async () => {
    repository = createTestRepository();
    repository.commit('initial\n\nReviewed-by: Bob <bob@example.com>');
    repository.write({ 'hotfix.txt': 'x\n' });
    const hotfix = repository.commit('hotfix pushed straight to main');
    const store = await openStore({
      kind: 'sqlite',
      path: join(repository.path, '.shipguard', 'shipguard.db'),
    });
    try {
      await saveDecisionRow(store, decision('d1', 'production', 'allow', 'Dan', hotfix));
    } finally {
      await store.close();
    }
    const { facts } = await separationOfDuties();
    const check = reviewCollector.checks.find((item) => item.id === 'review/releases-reviewed');
    const result = check?.evaluate(facts, defaultPolicy(), context);
    expect(result?.status).toBe('fail');
    expect(result?.findings[0]?.message).toContain(
      `deployment d1 to production shipped ${hotfix.slice(0, 12)}`,
    );
  });

  it('judges deployments to an environment the policy names production', async () => {
    repository = createTestRepository();
    const initial = repository.commit('initial\n\nReviewed-by: Bob <bob@example.com>');
    const store = await openStore({
      kind: 'sqlite',
      path: join(repository.path, '.shipguard', 'shipguard.db'),
    });
    try {
      await saveDecisionRow(store, decision('d1', 'customer-facing', 'allow', 'ada@example.com', initial));
    } finally {
      await store.close();
    }
    const byName = await separationOfDuties();
    expect(byName.facts.state === 'read' ? byName.facts.analysis.deployments?.production : undefined).toBe(0);
    const policy = defaultPolicy();
    const named = await separationOfDuties({
      ...policy,
      pipelines: { ...policy.pipelines, productionEnvironments: ['customer-facing'] },
    });
    const issues = named.facts.state === 'read' ? named.facts.analysis.deployments?.issues : undefined;
    expect(issues?.map((issue) => [issue.deployment, issue.kind])).toEqual([['d1', 'deployer-is-author']]);
    expect(named.result?.status).toBe('fail');
  });

  it('passes with no deployment issue, and says when there is no store to read', async () => {
    repository = createTestRepository();
    repository.commit('one\n\nReviewed-by: Bob <bob@example.com>');
    const { result } = await separationOfDuties();
    expect(result?.status).toBe('pass');
    expect(result?.summary).toContain('no store at');
    expect(result?.summary).toContain('deployments were not compared with the history');
  });

  it('reads a decision document defensively', () => {
    const row = { id: 'x', environment: 'production', result: 'allow', decided_at: '2026-01-01T00:00:00Z' };
    expect(toDeployment({ ...row, document: '{not json' })).toBeUndefined();
    expect(toDeployment({ ...row, document: '{"deployer":""}' })).toBeUndefined();
    expect(
      toDeployment({
        ...row,
        document: JSON.stringify({
          deployer: 'ada',
          rules: [{ id: 'source-reviewed', reason: 'commit abc is on main' }],
        }),
      }),
    ).toEqual({ id: 'x', environment: 'production', decidedAt: '2026-01-01T00:00:00Z', deployer: 'ada' });
  });
});
