import type { CheckResult } from '../../kernel/index.js';
import { failed, findingOf, notApplicable, passed, unknown } from '../results.js';
import type { Check } from '../types.js';
import type { TraceabilityFacts } from './collect.js';

/** In a shallow clone the ancestry past the cut is missing: "not reachable" would be a guess. */
function shallowUnknown(checkId: string) {
  return unknown(
    checkId,
    'the clone is shallow, so which commits the default branch reaches (and which tags exist) is not known',
    'Assess a full clone with its tags (git fetch --unshallow --tags, or fetch-depth: 0 in CI checkout).',
  );
}

/** The shared answers when ancestry cannot be known (no git, no default branch, a shallow clone). */
function untraceable(checkId: string, facts: TraceabilityFacts, outsideGit: string): CheckResult | undefined {
  if (facts.state === 'not-git') {
    return unknown(
      checkId,
      `not a git repository: ${outsideGit}`,
      'Run the assessment on a git clone with its tags.',
    );
  }
  if (facts.state === 'unreadable') {
    return unknown(
      checkId,
      `the default branch could not be read: ${facts.message}`,
      'Name the default branch in shipguard.yaml (review.defaultBranch).',
    );
  }
  return facts.shallow ? shallowUnknown(checkId) : undefined;
}

export const traceabilityReleasesReachable: Check<TraceabilityFacts> = {
  id: 'traceability/releases-reachable',
  title: 'Every release tag is reachable from the reviewed default branch',
  severity: 'high',
  remediation:
    'Tag releases only on commits merged to the default branch; merge or re-tag releases built from side branches.',
  evaluate(facts) {
    const early = untraceable(this.id, facts, 'no tags to trace');
    if (early || facts.state !== 'read') return early as CheckResult;
    const total = facts.reachable.length + facts.unreachable.length;
    if (total === 0) return notApplicable(this.id, 'no release tags (v1.2.3 and the like) in the repository');
    if (facts.unreachable.length === 0) {
      return passed(
        this.id,
        `all ${total} release tags are reachable from ${facts.branch}`,
        facts.reachable
          .slice(-20)
          .map((tag) => ({ kind: 'commit', commit: tag.commit, note: `tag ${tag.name}` })),
      );
    }
    return failed(
      this.id,
      `${facts.unreachable.length} of ${total} release tags are not reachable from ${facts.branch}`,
      facts.unreachable
        .slice(0, 50)
        .map((tag) => ({ kind: 'commit', commit: tag.commit, note: `tag ${tag.name}` })),
      facts.unreachable.slice(0, 50).map((tag) =>
        findingOf(this, `release tag ${tag.name} (${tag.commit.slice(0, 12)}) is not on ${facts.branch}`, {
          key: tag.name,
        }),
      ),
    );
  },
};

export const traceabilityDeploymentsReachable: Check<TraceabilityFacts> = {
  id: 'traceability/deployments-reachable',
  title: 'Every deployed commit is reachable from the reviewed default branch',
  severity: 'high',
  remediation:
    'Deploy only commits merged to the default branch; a deployed commit that is no longer on it (force-push, deleted branch) must be merged or its deployment investigated.',
  evaluate(facts) {
    const early = untraceable(this.id, facts, 'deployed commits cannot be traced');
    if (early || facts.state !== 'read') return early as CheckResult;
    const deployed = facts.deployed;
    if (deployed.state === 'unavailable') {
      return unknown(
        this.id,
        `deployments are not known: ${deployed.note}`,
        'Record deployments with `shipguard gate` in a shared store, and point SHIPGUARD_DB at it when assessing.',
      );
    }
    const total = deployed.reachable.length + deployed.unreachable.length;
    const without =
      deployed.withoutCommit > 0 ? `; ${deployed.withoutCommit} allowed decision(s) name no commit` : '';
    if (total === 0) {
      return notApplicable(this.id, `no allowed deployment in the store names a source commit${without}`);
    }
    const describe = (item: (typeof deployed.reachable)[number]) => ({
      kind: 'commit' as const,
      commit: item.commit,
      note: `deployment ${item.deployment} to ${item.environment} at ${item.decidedAt}`,
    });
    if (deployed.unreachable.length === 0) {
      return passed(
        this.id,
        `all ${total} deployed commits are reachable from ${facts.branch}${without}`,
        deployed.reachable.slice(0, 20).map(describe),
      );
    }
    return failed(
      this.id,
      `${deployed.unreachable.length} of ${total} deployed commits are not reachable from ${facts.branch}${without}`,
      deployed.unreachable.slice(0, 50).map(describe),
      deployed.unreachable
        .slice(0, 50)
        .map((item) =>
          findingOf(
            this,
            `commit ${item.commit.slice(0, 12)}, deployed to ${item.environment} by decision ${item.deployment} (${item.decidedAt}), is not on ${facts.branch}`,
            { key: item.commit },
          ),
        ),
    );
  },
};
