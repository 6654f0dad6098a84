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

export const traceabilityReleasesReachable: Check<TraceabilityFacts> = {
  id: 'traceability/releases-reachable',
  title: 'Every release tag is reachable from the reviewed default branch',
  severity: 'high',
  remediation:
    'Tag releases only on commits merged to the default branch; merge or re-tag releases built from side branches.',
  evaluate(facts) {
    if (facts.state === 'not-git') {
      return unknown(
        this.id,
        'not a git repository: no tags to trace',
        'Run the assessment on a git clone with its tags.',
      );
    }
    if (facts.state === 'unreadable') {
      return unknown(
        this.id,
        `the default branch could not be read: ${facts.message}`,
        'Name the default branch in shipguard.yaml (review.defaultBranch).',
      );
    }
    if (facts.shallow) return shallowUnknown(this.id);
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
    if (facts.state === 'not-git') {
      return unknown(
        this.id,
        'not a git repository: deployed commits cannot be traced',
        'Run the assessment on a git clone.',
      );
    }
    if (facts.state === 'unreadable') {
      return unknown(
        this.id,
        `the default branch could not be read: ${facts.message}`,
        'Name the default branch in shipguard.yaml (review.defaultBranch).',
      );
    }
    if (facts.shallow) return shallowUnknown(this.id);
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

const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
/** The freeze the gate applies to production when the policy names none (docs/gate.md). */
const defaultFreezes = [{ name: 'weekend', from: 'friday 15:00', to: 'monday 08:00' }];

/** Minutes since Sunday 00:00 of a moment, in a time zone. */
function minuteOfWeek(seconds: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(seconds * 1000));
  const part = (type: string) => parts.find((item) => item.type === type)?.value ?? '';
  return (
    weekdays.indexOf(part('weekday').toLowerCase()) * 1440 +
    Number(part('hour')) * 60 +
    Number(part('minute'))
  );
}

function momentOfWeek(text: string): number {
  const [day = '', time = '00:00'] = text.trim().toLowerCase().split(' ');
  const [hours = '0', minutes = '0'] = time.split(':');
  return weekdays.indexOf(day) * 1440 + Number(hours) * 60 + Number(minutes);
}

/** The weekly freeze a moment falls in, or undefined. Windows may wrap over Sunday midnight. */
export function freezeAt(
  seconds: number,
  freezes: readonly { name: string; from: string; to: string }[],
  timeZone: string,
): string | undefined {
  const minute = minuteOfWeek(seconds, timeZone);
  for (const freeze of freezes) {
    const from = momentOfWeek(freeze.from);
    const to = momentOfWeek(freeze.to);
    const inside = from <= to ? minute >= from && minute < to : minute >= from || minute < to;
    if (inside) return freeze.name;
  }
  return undefined;
}

export const traceabilityReleasesOutsideFreezes: Check<TraceabilityFacts> = {
  id: 'traceability/releases-outside-freezes',
  title: 'Releases in the audit period were not made inside a deployment freeze',
  severity: 'medium',
  remediation:
    'Release and deploy inside working hours and outside the freezes (by default Friday 15:00 to Monday 08:00); let `shipguard gate` refuse deploys in a freeze unless an emergency change is approved.',
  evaluate(facts, policy) {
    if (facts.state !== 'read') {
      return unknown(
        this.id,
        facts.state === 'not-git'
          ? 'not a git repository: no tags to date'
          : `the tags could not be read: ${facts.message}`,
        'Run the assessment on a git clone with its tags.',
      );
    }
    const environments = policy.gate.environments;
    const name = ['production', 'prod'].find((candidate) => environments[candidate] !== undefined);
    const environment = name === undefined ? undefined : environments[name];
    const freezes = environment?.freezes ?? defaultFreezes;
    const timeZone = environment?.timeZone ?? 'UTC';
    const [from, to] = (policy.auditPeriod ?? '').split('..');
    const start = from ? Date.parse(`${from}T00:00:00Z`) / 1000 : Number.NEGATIVE_INFINITY;
    const end = to ? Date.parse(`${to}T23:59:59Z`) / 1000 : Number.POSITIVE_INFINITY;
    const tags = [...facts.reachable, ...facts.unreachable].filter(
      (tag) => tag.createdAt !== undefined && tag.createdAt >= start && tag.createdAt <= end,
    );
    if (tags.length === 0) {
      return notApplicable(this.id, 'no release tag was made in the audit period');
    }
    const frozen = tags
      .map((tag) => ({ tag, freeze: freezeAt(tag.createdAt as number, freezes, timeZone) }))
      .filter((item): item is { tag: (typeof tags)[number]; freeze: string } => item.freeze !== undefined);
    const describe = `${tags.length} release tag(s) in the audit period, judged against ${freezes.map((freeze) => `${freeze.name} (${freeze.from} to ${freeze.to})`).join(', ')} in ${timeZone}`;
    if (frozen.length === 0) {
      return passed(
        this.id,
        `${describe}: none inside a freeze`,
        tags.slice(0, 20).map((tag) => ({ kind: 'commit', commit: tag.commit, note: `tag ${tag.name}` })),
      );
    }
    return failed(
      this.id,
      `${frozen.length} of ${describe} were made inside a freeze`,
      frozen.slice(0, 50).map(({ tag, freeze }) => ({
        kind: 'commit',
        commit: tag.commit,
        note: `tag ${tag.name}: ${freeze}`,
      })),
      frozen
        .slice(0, 50)
        .map(({ tag, freeze }) =>
          findingOf(
            this,
            `release tag ${tag.name} was made ${new Date((tag.createdAt as number) * 1000).toISOString()}, inside the ${freeze} freeze`,
            { key: tag.name },
          ),
        ),
    );
  },
};
