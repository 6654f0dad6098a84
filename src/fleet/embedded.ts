import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeError } from '../kernel/index.js';
import { FleetError } from './errors.js';
import { type FleetJob, type JobContext, type JobOutcome, recordFailedJob, runRepositoryJob } from './job.js';
import { fleetDb } from './registry.js';

export interface EmbeddedOptions {
  /** Jobs run at once in this process; default 2. */
  concurrency?: number;
  /** Only these keys; default every repository that is due. */
  keys?: readonly string[];
  /** Every repository, due or not. */
  all?: boolean;
  /** Attempts after the first; default 2, with exponential backoff from `retryDelayMs`. */
  retryLimit?: number;
  retryDelayMs?: number;
  now?: Date;
  onEvent?: (event: EmbeddedEvent) => void;
}

export type EmbeddedEvent =
  | { type: 'started'; job: FleetJob; attempt: number }
  | { type: 'finished'; job: FleetJob; outcome: JobOutcome; durationMs: number }
  | { type: 'retrying'; job: FleetJob; attempt: number; error: string }
  | { type: 'failed'; job: FleetJob; error: string };

export interface EmbeddedResult {
  finished: JobOutcome[];
  failed: { job: FleetJob; error: string }[];
}

/**
 * The embedded mode: the same job handler as the PostgreSQL workers, run in this process by a
 * small pool over the command's store (SQLite by default), so a small team needs no server and
 * no queue. Retries back off; a run whose retries are exhausted is recorded on the repository
 * (its error kept), like the dead-letter queue does on PostgreSQL.
 */
export async function runEmbedded(
  context: JobContext,
  options: EmbeddedOptions = {},
): Promise<EmbeddedResult> {
  const concurrency = options.concurrency ?? 2;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new FleetError(
      'FLEET_INVALID_OPTION',
      `the concurrency must be a whole number from 1 to 64, not ${concurrency}`,
    );
  }
  const retryLimit = options.retryLimit ?? 2;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const db = fleetDb(context.store);
  let select = db.selectFrom('fleet_repositories').select('key').orderBy('due_at').orderBy('key');
  if (options.keys !== undefined)
    select = select.where('key', 'in', options.keys.length === 0 ? [''] : [...options.keys]);
  else if (!options.all) select = select.where('due_at', '<=', (options.now ?? new Date()).toISOString());
  const keys = (await select.execute()).map((row) => row.key);
  const jobs: FleetJob[] = keys.map((key) => ({ runId: randomUUID(), repository: key, trigger: 'manual' }));
  const result: EmbeddedResult = { finished: [], failed: [] };
  let next = 0;
  const lane = async () => {
    for (let job = jobs[next++]; job !== undefined; job = jobs[next++]) {
      // Marked queued only while it runs: a process that dies leaves no repository queued for ever.
      await db
        .updateTable('fleet_repositories')
        .set({ queued_run_id: job.runId, queued_trigger: 'manual' })
        .where('key', '=', job.repository)
        .where('queued_run_id', 'is', null)
        .execute();
      for (let attempt = 0; ; attempt++) {
        options.onEvent?.({ type: 'started', job, attempt });
        const started = performance.now();
        try {
          const outcome = await runRepositoryJob(job, context);
          result.finished.push(outcome);
          options.onEvent?.({ type: 'finished', job, outcome, durationMs: performance.now() - started });
          break;
        } catch (error) {
          const message = describeError(error);
          if (attempt >= retryLimit) {
            await recordFailedJob(context, job, message);
            result.failed.push({ job, error: message });
            options.onEvent?.({ type: 'failed', job, error: message });
            break;
          }
          options.onEvent?.({ type: 'retrying', job, attempt, error: message });
          await sleep(retryDelayMs * 2 ** attempt);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(jobs.length, 1)) }, lane));
  return result;
}
