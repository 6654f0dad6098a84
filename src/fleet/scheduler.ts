import { randomUUID } from 'node:crypto';
import type { Store } from '../store/index.js';
import { FleetError } from './errors.js';
import type { FleetJob, Trigger } from './job.js';
import { fleetDb, getRepository } from './registry.js';

/** Puts a job on a queue; returns false when the queue refused it (the run is then not queued). */
export type Enqueue = (job: FleetJob, options: { priority: number }) => Promise<boolean>;

/** Runs triggered by a push or an upload go before scheduled ones. */
export const triggeredPriority = 10;
export const scheduledPriority = 0;

export interface TickOptions {
  /** Scheduled runs queued or running at once, at most (triggered runs do not count). */
  inFlightLimit: number;
  now?: Date;
}

/**
 * One scheduler tick: queues the repositories that are due, oldest due first, until `inFlightLimit`
 * scheduled runs are queued or running. A repository already queued is skipped. Each repository is
 * claimed by a conditional update before its job is sent, so two ticks never queue it twice.
 */
export async function scheduleTick(
  store: Store,
  enqueue: Enqueue,
  options: TickOptions,
): Promise<FleetJob[]> {
  if (!Number.isSafeInteger(options.inFlightLimit) || options.inFlightLimit < 1) {
    throw new FleetError(
      'FLEET_INVALID_OPTION',
      `the in-flight limit must be a whole number of at least 1, not ${options.inFlightLimit}`,
    );
  }
  const now = (options.now ?? new Date()).toISOString();
  const db = fleetDb(store);
  const inFlight = await db
    .selectFrom('fleet_repositories')
    .select((builder) => builder.fn.countAll().as('count'))
    .where('queued_run_id', 'is not', null)
    .where('queued_trigger', '=', 'schedule')
    .executeTakeFirst();
  const slots = options.inFlightLimit - Number(inFlight?.count ?? 0);
  if (slots <= 0) return [];
  const due = await db
    .selectFrom('fleet_repositories')
    .select('key')
    .where('queued_run_id', 'is', null)
    .where('due_at', '<=', now)
    .orderBy('due_at')
    .orderBy('key')
    .limit(slots)
    .execute();
  const queued: FleetJob[] = [];
  for (const { key } of due) {
    const job = await claimAndSend(store, enqueue, key, 'schedule');
    if (job) queued.push(job);
  }
  return queued;
}

/**
 * Queues a run now, ahead of scheduled ones and outside the in-flight limit: a push to the
 * repository or an upload for it.
 */
export async function triggerRun(
  store: Store,
  enqueue: Enqueue,
  key: string,
  trigger: Exclude<Trigger, 'schedule'>,
): Promise<FleetJob> {
  if (!(await getRepository(store, key))) {
    throw new FleetError('FLEET_UNKNOWN_REPOSITORY', `the fleet holds no repository ${key}`);
  }
  const job: FleetJob = { runId: randomUUID(), repository: key, trigger };
  await fleetDb(store)
    .updateTable('fleet_repositories')
    .set({ queued_run_id: job.runId, queued_trigger: trigger })
    .where('key', '=', key)
    .execute();
  if (!(await enqueue(job, { priority: triggeredPriority }))) {
    throw new FleetError('FLEET_QUEUE_FAILED', `the queue refused the run of ${key}`);
  }
  return job;
}

async function claimAndSend(
  store: Store,
  enqueue: Enqueue,
  key: string,
  trigger: Trigger,
): Promise<FleetJob | undefined> {
  const db = fleetDb(store);
  const job: FleetJob = { runId: randomUUID(), repository: key, trigger };
  const claimed = await db
    .updateTable('fleet_repositories')
    .set({ queued_run_id: job.runId, queued_trigger: trigger })
    .where('key', '=', key)
    .where('queued_run_id', 'is', null)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) return undefined;
  let sent = false;
  try {
    sent = await enqueue(job, { priority: trigger === 'schedule' ? scheduledPriority : triggeredPriority });
  } finally {
    if (!sent) {
      await db
        .updateTable('fleet_repositories')
        .set({ queued_run_id: null, queued_trigger: null })
        .where('key', '=', key)
        .where('queued_run_id', '=', job.runId)
        .execute();
    }
  }
  return sent ? job : undefined;
}
