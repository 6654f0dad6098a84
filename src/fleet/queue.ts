import type { JobWithMetadata, PgBoss } from 'pg-boss';
import { describeError } from '../kernel/index.js';
import type { Store } from '../store/index.js';
import { FleetError } from './errors.js';
import { type FleetJob, type JobContext, type JobOutcome, recordFailedJob, runRepositoryJob } from './job.js';
import { type Enqueue, scheduleTick } from './scheduler.js';

export const assessQueue = 'shipguard-fleet-assess';
export const deadLetterQueue = 'shipguard-fleet-dead';
export const tickQueue = 'shipguard-fleet-tick';

export interface QueueSettings {
  /** postgres:// URL of the database pg-boss keeps its jobs in (the store's, usually). */
  url: string;
  /** pg-boss's schema; default `shipguard_queue`. Tests give each run its own. */
  schema?: string;
  /** A worker that sends no heartbeat for this long is dead and its job is retried (>= 10). */
  heartbeatSeconds?: number;
  /** How often pg-boss looks for dead workers and expired jobs; default 10 s. */
  monitorIntervalSeconds?: number;
  /** Retries after the first attempt; default 3. */
  retryLimit?: number;
  /** First retry delay, doubled each time (with jitter) up to `retryDelayMaxSeconds`. */
  retryDelaySeconds?: number;
  retryDelayMaxSeconds?: number;
  /** How long one job may run at all; default 30 minutes. */
  expireInSeconds?: number;
  pollingIntervalSeconds?: number;
}

export const defaultQueueSettings = {
  schema: 'shipguard_queue',
  heartbeatSeconds: 30,
  monitorIntervalSeconds: 10,
  retryLimit: 3,
  retryDelaySeconds: 10,
  retryDelayMaxSeconds: 600,
  expireInSeconds: 30 * 60,
  pollingIntervalSeconds: 2,
} as const;

export interface FleetQueue {
  readonly boss: PgBoss;
  /** Sends a run: one job per repository at a time (its key is the singleton key). */
  enqueue: Enqueue;
  stop(): Promise<void>;
}

/**
 * Starts pg-boss on the database and creates the fleet's queues: the assessment queue with the
 * `singleton` policy (one active job per singleton key, the repository's key), heartbeats,
 * retries with exponential backoff and a dead-letter queue that keeps failed jobs forever.
 * Connection errors (the database restarting) are reported to `onError` and pg-boss reconnects.
 */
export async function startQueue(
  settings: QueueSettings,
  onError: (error: Error) => void,
): Promise<FleetQueue> {
  const resolved = { ...defaultQueueSettings, ...withoutUndefined(settings) };
  if (resolved.heartbeatSeconds < 10) {
    throw new FleetError(
      'FLEET_INVALID_OPTION',
      `heartbeats must be at least 10 seconds apart (pg-boss), not ${resolved.heartbeatSeconds}`,
    );
  }
  // Loaded here, not at start-up: pg-boss and its PostgreSQL client are a hundred modules that
  // only workers and schedulers need, and every other command would pay for loading them.
  const { PgBoss: Boss } = await import('pg-boss');
  const boss = new Boss({
    connectionString: settings.url,
    schema: resolved.schema,
    // Supervision is what fails a job whose worker stopped sending heartbeats; pg-boss's default
    // (60 s) would let a dead worker's job wait a minute and more before it is retried.
    monitorIntervalSeconds: resolved.monitorIntervalSeconds,
    superviseIntervalSeconds: resolved.monitorIntervalSeconds,
    max: 4,
    connectionTimeoutMillis: 10_000,
  });
  boss.on('error', onError);
  try {
    await boss.start();
    await boss.createQueue(deadLetterQueue, {
      policy: 'standard',
      deleteAfterSeconds: 0,
      retentionSeconds: 365 * 24 * 3600,
    });
    await boss.createQueue(assessQueue, {
      policy: 'singleton',
      deadLetter: deadLetterQueue,
      heartbeatSeconds: resolved.heartbeatSeconds,
      retryLimit: resolved.retryLimit,
      retryDelay: resolved.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: resolved.retryDelayMaxSeconds,
      expireInSeconds: resolved.expireInSeconds,
    });
    // stately: one tick queued and one running at most, however many workers send them.
    await boss.createQueue(tickQueue, { policy: 'stately', retryLimit: 0, expireInSeconds: 300 });
  } catch (error) {
    await boss.stop({ graceful: false, close: true }).catch(() => {});
    throw new FleetError('FLEET_QUEUE_FAILED', `starting the queue failed: ${describeError(error)}`, {
      cause: error,
    });
  }
  return {
    boss,
    async enqueue(job, options) {
      const id = await boss.send(
        assessQueue,
        { ...job },
        { id: job.runId, singletonKey: job.repository, priority: options.priority },
      );
      return id !== null;
    },
    async stop() {
      await boss.stop({ graceful: true, close: true, timeout: 30_000 });
    },
  };
}

export interface WorkerEvents {
  started?(job: FleetJob, attempt: number): void;
  finished?(outcome: JobOutcome, durationMs: number): void;
  failed?(job: FleetJob, error: string): void;
  deadLettered?(job: FleetJob, error: string): void;
}

/**
 * Takes jobs from the queue and runs them with the shared handler, `concurrency` at a time. A job
 * that throws is retried by pg-boss; one past its retries lands on the dead-letter queue, whose
 * handler records the error on the repository (and leaves the dead job, with its error, on that
 * queue). pg-boss sends the heartbeats while a handler runs.
 */
export async function startWorker(
  queue: FleetQueue,
  context: JobContext,
  options: { concurrency?: number; pollingIntervalSeconds?: number; events?: WorkerEvents } = {},
): Promise<void> {
  const polling = options.pollingIntervalSeconds ?? defaultQueueSettings.pollingIntervalSeconds;
  await queue.boss.work<FleetJob>(
    assessQueue,
    { localConcurrency: options.concurrency ?? 1, pollingIntervalSeconds: polling, batchSize: 1 },
    async ([job]) => {
      if (!job) return;
      options.events?.started?.(job.data, job.retryCount);
      const started = performance.now();
      try {
        const outcome = await runRepositoryJob(checkJob(job.data), context);
        options.events?.finished?.(outcome, performance.now() - started);
        return { ...outcome };
      } catch (error) {
        options.events?.failed?.(job.data, describeError(error));
        throw error;
      }
    },
  );
  await queue.boss.work<FleetJob>(
    deadLetterQueue,
    { pollingIntervalSeconds: Math.max(polling, 1), batchSize: 1, includeMetadata: true },
    async ([received]) => {
      if (!received) return;
      const job = received as JobWithMetadata<FleetJob>;
      const original = job.sourceId === null ? null : await queue.boss.getJobById(assessQueue, job.sourceId);
      const error = describeOutput(original?.output);
      await recordFailedJob(context, checkJob(job.data), error);
      options.events?.deadLettered?.(job.data, error);
      return { error };
    },
  );
}

function checkJob(data: FleetJob): FleetJob {
  if (
    typeof data?.runId !== 'string' ||
    typeof data.repository !== 'string' ||
    typeof data.trigger !== 'string'
  ) {
    throw new FleetError('FLEET_INVALID_OPTION', 'a job on the fleet queue is not a fleet job');
  }
  return { runId: data.runId, repository: data.repository, trigger: data.trigger };
}

function describeOutput(output: unknown): string {
  if (output === null || output === undefined) return 'the job failed (pg-boss kept no error)';
  if (typeof output === 'object' && 'message' in output && typeof output.message === 'string')
    return output.message;
  return JSON.stringify(output).slice(0, 4000);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

/**
 * The recurring scheduler, run by every worker: every `tickSeconds` it sends a tick to the
 * `stately` tick queue (at most one queued and one running, whoever sent it) and works that queue,
 * so exactly one tick at a time queues the due repositories up to `inFlightLimit`.
 * Returns a function that stops sending ticks.
 */
export async function startScheduler(
  queue: FleetQueue,
  store: Store,
  options: {
    tickSeconds: number;
    inFlightLimit: number;
    onTick?: (queued: number) => void;
    onError?: (error: unknown) => void;
  },
): Promise<() => void> {
  await queue.boss.work(
    tickQueue,
    { pollingIntervalSeconds: Math.max(0.5, Math.min(options.tickSeconds, 10)) },
    async () => {
      const queued = await scheduleTick(store, queue.enqueue, { inFlightLimit: options.inFlightLimit });
      options.onTick?.(queued.length);
    },
  );
  const send = () => {
    queue.boss
      .send(tickQueue, {}, { singletonKey: 'tick' })
      .catch((error: unknown) => options.onError?.(error));
  };
  send();
  const timer = setInterval(send, options.tickSeconds * 1000);
  return () => clearInterval(timer);
}
