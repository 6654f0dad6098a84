import { approvalState, listChanges } from '../../changes/index.js';
import { describeError, type RepositorySnapshot } from '../../kernel/index.js';
import { type CalendarOccurrence, type Policy, parseCalendar } from '../../policy/index.js';
import {
  type Deployment,
  listReleaseTags,
  type ReleaseTag,
  readDeployments,
} from '../../source-control/index.js';
import { noStoreAccess, type StoreAccess } from '../../store/index.js';
import { auditPeriodOf, type StoreAbsence } from '../results.js';
import type { CollectContext } from '../types.js';
import { productionEnvironment } from './checks.js';

export type FreezeFacts = {
  tags:
    | { state: 'read'; tags: ReleaseTag[] }
    | { state: 'not-git' }
    | { state: 'unreadable'; message: string };
  /** Deployments the gate allowed, and the commits of emergency changes, from the store. */
  store:
    | StoreAbsence
    | {
        status: 'present';
        location: string;
        deployments: Deployment[];
        emergencyCommits: Record<string, string>;
      };
  /** Public holidays from the production environment's calendars, over the audit period. */
  holidays:
    | { state: 'read'; files: string[]; occurrences: CalendarOccurrence[] }
    | { state: 'unreadable'; problem: string };
};

const maxCalendarBytes = 4 * 1024 * 1024;
const dayMs = 86_400_000;

/**
 * Reads what was released and deployed (release tags from git; the gate's allowed decisions and
 * emergency changes from the command's store) and the holiday calendars the policy names, so
 * that the check can judge each against the freeze calendar.
 */
export async function collectFreeze(
  repository: RepositorySnapshot,
  policy: Policy,
  context: CollectContext,
): Promise<FreezeFacts> {
  const [tags, store, holidays] = await Promise.all([
    readTags(repository),
    readStore(context.store ?? noStoreAccess(), policy),
    readHolidays(repository, policy, context.now),
  ]);
  return { tags, store, holidays };
}

async function readTags(repository: RepositorySnapshot): Promise<FreezeFacts['tags']> {
  if (!repository.isGitRepository) return { state: 'not-git' };
  try {
    return { state: 'read', tags: await listReleaseTags((args) => repository.gitText(args)) };
  } catch (error) {
    return { state: 'unreadable', message: describeError(error) };
  }
}

async function readStore(access: StoreAccess, policy: Policy): Promise<FreezeFacts['store']> {
  const existing = await access.existing();
  if (!existing.store) return { status: 'no-store', location: access.description };
  try {
    const { deployments } = await readDeployments(existing.store);
    const emergencyCommits: Record<string, string> = {};
    for (const change of await listChanges(existing.store, { limit: 10_000 })) {
      // Only an emergency change approved as its class requires (separation of duties re-checked) excuses a freeze.
      if (change.class !== 'emergency' || !approvalState(change, policy.gate.changes).approved) continue;
      for (const commit of change.commits.slice(0, 1000)) emergencyCommits[commit] = change.id;
    }
    return { status: 'present', location: existing.store.location, deployments, emergencyCommits };
  } catch (error) {
    return { status: 'unreadable', location: access.description, problem: describeError(error) };
  }
}

async function readHolidays(
  repository: RepositorySnapshot,
  policy: Policy,
  now: Date,
): Promise<FreezeFacts['holidays']> {
  const { settings } = productionEnvironment(policy);
  const period = auditPeriodOf(policy);
  const window = {
    since: new Date(Number.isFinite(period.from) ? period.from : now.getTime() - 366 * dayMs),
    until: new Date(Number.isFinite(period.to) ? Math.min(period.to, now.getTime()) : now.getTime()),
    defaultZone: settings.timeZone,
  };
  const occurrences: CalendarOccurrence[] = [];
  for (const path of settings.holidayCalendars) {
    const file = await repository.readText(path, maxCalendarBytes);
    if (!file || file.truncated) return { state: 'unreadable', problem: `${path} could not be read` };
    try {
      occurrences.push(...parseCalendar(file.text, path, window));
    } catch (error) {
      return { state: 'unreadable', problem: describeError(error) };
    }
  }
  return { state: 'read', files: [...settings.holidayCalendars], occurrences };
}
