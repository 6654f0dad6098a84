import type { Evidence, Finding } from '../../kernel/index.js';
import {
  activeHolidays,
  type CalendarOccurrence,
  freezesFor,
  GateEnvironment,
  gateEnvironmentSettings,
  inWeeklyWindow,
  isProductionEnvironment,
  type Policy,
  wallTime,
  weekdays,
} from '../../policy/index.js';
import { auditPeriodOf, failed, findingOf, inPeriod, passed, unknown } from '../results.js';
import type { Check } from '../types.js';
import type { FreezeFacts } from './collect.js';

/** One release or deployment, with when it happened and what could excuse it. */
interface Release {
  what: string;
  key: string;
  at: Date;
  environment: string;
  commit?: string;
  /** The approved emergency change that covers it, if any. */
  emergency?: string;
}

export const freezeRespected: Check<FreezeFacts> = {
  id: 'freeze/respected',
  title: 'Releases and deployments in the audit period respected the freeze calendar',
  severity: 'medium',
  remediation:
    'Release and deploy outside the freezes and public holidays of the policy (by default Friday 15:00 to Monday 08:00 in production), through `shipguard gate`, which refuses a deploy in a freeze unless an approved emergency change names it.',
  evaluate(facts, policy) {
    if (facts.holidays.state === 'unreadable') {
      return unknown(
        this.id,
        `the holiday calendar could not be read: ${facts.holidays.problem.slice(0, 200)}`,
        'Fix the iCalendar files named in gate.environments.<production>.holidayCalendars and assess again.',
      );
    }
    if (facts.tags.state === 'unreadable') {
      return unknown(
        this.id,
        `the release tags could not be read: ${facts.tags.message.slice(0, 200)}`,
        'Run the assessment on a git clone with its tags.',
      );
    }
    // A policy that lifts every weekly freeze judges nothing as "before a weekend": no pass from that.
    const production = productionEnvironment(policy);
    if (production.settings.freezes?.length === 0) {
      const setting = `gate.environments.${production.name}.freezes: []`;
      return failed(
        this.id,
        `the policy sets no weekly freeze for ${production.name} (${setting}), so no release can be judged against the weekend freeze the policy demands`,
        [{ kind: 'file', path: 'shipguard.yaml', note: setting }],
        [
          findingOf(this, `shipguard.yaml lifts every weekly freeze of ${production.name} (${setting}).`, {
            key: 'no-weekly-freeze',
            remediation:
              'Remove `freezes: []` to keep the default Friday 15:00 to Monday 08:00 freeze, or name the weekly freezes your team keeps.',
          }),
        ],
      );
    }
    const period = auditPeriodOf(policy);
    const releases = releasesOf(facts, policy).filter((release) =>
      inPeriod(period, release.at.toISOString()),
    );
    const sources = describeSources(facts);
    if (releases.length === 0) {
      if (facts.tags.state === 'not-git' && facts.store.status !== 'present') {
        return unknown(
          this.id,
          `no release to judge: not a git repository and no store (${sources})`,
          'Assess a git clone with its release tags, and deploy through `shipguard gate` against the store the assessment reads.',
        );
      }
      // Nothing shows when releases were made: that is missing evidence, not proof there were none.
      return unknown(
        this.id,
        `no release tag or gate deployment in the audit period (${period.text}; ${sources})`,
        'Tag each release (v1.2.3) or deploy through `shipguard gate` against the store the assessment reads; a repository that is never released can mark DEP-04 not applicable under `controls:` in shipguard.yaml, with its reason.',
      );
    }
    const judged = releases.map((release) => ({
      release,
      freeze: freezeOf(release, facts.holidays, policy),
    }));
    const frozen = judged.filter((item) => item.freeze !== undefined && item.release.emergency === undefined);
    const excused = judged.filter(
      (item) => item.freeze !== undefined && item.release.emergency !== undefined,
    );
    const evidence: Evidence[] = judged.slice(0, 50).map(({ release, freeze }) => ({
      ...(release.commit
        ? { kind: 'commit' as const, commit: release.commit }
        : { kind: 'record' as const, source: sources }),
      note: `${release.what} at ${release.at.toISOString()}${freeze ? `: inside ${freeze}${release.emergency ? `, covered by emergency change ${release.emergency}` : ''}` : ': outside every freeze'}`,
    }));
    const summary = `${releases.length} release(s) and deployment(s) in the audit period (${period.text}; ${sources})`;
    if (frozen.length === 0) {
      return passed(
        this.id,
        `${summary}: none inside a freeze${excused.length > 0 ? ` without an emergency change (${excused.length} covered by one)` : ''}`,
        evidence,
      );
    }
    const findings: Finding[] = frozen
      .slice(0, 100)
      .map(({ release, freeze }) =>
        findingOf(
          this,
          `${release.what} was made at ${release.at.toISOString()} (${localTime(release, policy)}), inside ${freeze}, with no approved emergency change.`,
          { key: release.key },
        ),
      );
    return failed(this.id, `${frozen.length} of ${summary} were made inside a freeze`, evidence, findings);
  },
};

function releasesOf(facts: FreezeFacts, policy: Policy): Release[] {
  const production = productionEnvironment(policy).name;
  const emergencyCommits = facts.store.status === 'present' ? facts.store.emergencyCommits : {};
  const releases: Release[] = [];
  if (facts.tags.state === 'read') {
    for (const tag of facts.tags.tags) {
      if (tag.createdAt === undefined) continue;
      const emergency = emergencyCommits[tag.commit];
      releases.push({
        what: `release tag ${tag.name}`,
        key: `tag\0${tag.name}`,
        at: new Date(tag.createdAt * 1000),
        environment: production,
        commit: tag.commit,
        ...(emergency ? { emergency } : {}),
      });
    }
  }
  if (facts.store.status === 'present') {
    for (const deployment of facts.store.deployments) {
      const at = new Date(deployment.decidedAt);
      if (Number.isNaN(at.getTime())) continue;
      const emergency =
        deployment.freezeOverride ?? (deployment.commit ? emergencyCommits[deployment.commit] : undefined);
      releases.push({
        what: `deployment ${deployment.id} to ${deployment.environment}`,
        key: `deployment\0${deployment.id}`,
        at,
        environment: deployment.environment,
        ...(deployment.commit ? { commit: deployment.commit } : {}),
        ...(emergency ? { emergency } : {}),
      });
    }
  }
  return releases;
}

function settingsOf(environment: string, policy: Policy): GateEnvironment {
  return gateEnvironmentSettings(policy, environment);
}

/** The freeze or holiday a release fell in, as the gate would name it, or undefined. */
function freezeOf(release: Release, holidays: FreezeFacts['holidays'], policy: Policy): string | undefined {
  const settings = settingsOf(release.environment, policy);
  const zone = settings.timeZone;
  const production = isProductionEnvironment(release.environment, policy.pipelines.productionEnvironments);
  for (const window of freezesFor(settings, production)) {
    if (inWeeklyWindow(release.at, window, zone)) {
      return `the ${/freeze/i.test(window.name) ? window.name : `${window.name} freeze`} (${zone})`;
    }
  }
  const occurrences: CalendarOccurrence[] = holidays.state === 'read' ? holidays.occurrences : [];
  const [holiday] = activeHolidays(release.at, occurrences, zone);
  return holiday ? `the public holiday ${holiday.summary} (${zone})` : undefined;
}

function localTime(release: Release, policy: Policy): string {
  const zone = settingsOf(release.environment, policy).timeZone;
  const wall = wallTime(release.at, zone);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${weekdays[wall.weekday]} ${pad(wall.hour)}:${pad(wall.minute)} ${zone}`;
}

function describeSources(facts: FreezeFacts): string {
  const tags =
    facts.tags.state === 'read'
      ? `${facts.tags.tags.length} release tag(s) read`
      : 'no git tags (not a git repository)';
  const store =
    facts.store.status === 'present'
      ? `gate decisions from ${facts.store.location}`
      : `no gate decisions (${facts.store.status === 'no-store' ? `no store at ${facts.store.location}` : 'store unreadable'})`;
  return `${tags}; ${store}`;
}

/** The environment releases are judged against: the policy's production one, else production's defaults. */
export function productionEnvironment(policy: Policy): { name: string; settings: GateEnvironment } {
  for (const [name, settings] of Object.entries(policy.gate.environments)) {
    if (isProductionEnvironment(name, policy.pipelines.productionEnvironments)) return { name, settings };
  }
  return { name: 'production', settings: GateEnvironment.parse({}) };
}
