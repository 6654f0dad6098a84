import type { Command } from 'commander';
import { startQueue, startScheduler, startWorker } from '../../fleet/index.js';
import { describeError } from '../../kernel/index.js';
import { action, globalOptions } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { fleetJobContext, parseNumber } from '../fleet-access.js';
import { writeDiagnostic } from '../output.js';
import { commandStoreAccess, commandStoreLocation } from '../store-access.js';

interface WorkerOptions {
  db?: string;
  queueSchema: string;
  concurrency: string;
  cache?: string;
  heartbeatSeconds: string;
  monitorSeconds: string;
  retryLimit: string;
  retryDelaySeconds: string;
  pollingSeconds: string;
  tickSeconds: string;
  inFlight: string;
  intervalHours: string;
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'take fleet jobs from PostgreSQL (pg-boss): mirror, assess, store; run as many as you like, on many machines',
    )
    .option(
      '--db <location>',
      'the PostgreSQL database: store and queue (postgres:// URL; default $SHIPGUARD_DB)',
    )
    .option('--queue-schema <name>', 'pg-boss schema', 'shipguard_queue')
    .option('-j, --concurrency <n>', 'jobs at once in this worker', '2')
    .option('--cache <dir>', 'where mirrors are kept (default: ~/.cache/shipguard/fleet)')
    .option('--heartbeat-seconds <n>', 'a worker silent this long is dead; its job is retried (>= 10)', '30')
    .option('--monitor-seconds <n>', 'how often dead workers and expired jobs are looked for', '10')
    .option('--retry-limit <n>', 'retries before a job goes to the dead-letter queue', '3')
    .option('--retry-delay-seconds <n>', 'first retry delay, doubled each retry', '10')
    .option('--polling-seconds <n>', 'how often an idle worker asks for a job', '2')
    .option(
      '--tick-seconds <n>',
      'how often the scheduler queues due repositories (0: this worker does not schedule)',
      '60',
    )
    .option('--in-flight <n>', 'scheduled runs queued or running at once, at most', '20')
    .option('--interval-hours <n>', 'how long after a run a repository is due again', '24')
    .addHelpText(
      'after',
      `
Runs until SIGINT or SIGTERM, then finishes its jobs. A worker killed mid-job loses nothing: after
--heartbeat-seconds the job is retried on another worker, and the result is recorded exactly once.`,
    )
    .action(
      action(async (options: WorkerOptions, command: Command) => {
        const quiet = globalOptions(command).quiet;
        const location = commandStoreLocation(undefined, options.db);
        if (location.kind !== 'postgres') {
          throw new UsageError(
            'USAGE_INVALID_OPTION',
            'a worker needs PostgreSQL (--db postgres://…); without it, run `shipguard fleet assess` (embedded)',
          );
        }
        const concurrency = parseNumber(options.concurrency, '--concurrency', 1, 64, true);
        const tickSeconds = parseNumber(options.tickSeconds, '--tick-seconds', 0, 86_400);
        const inFlightLimit = parseNumber(options.inFlight, '--in-flight', 1, 100_000, true);
        const pollingIntervalSeconds = parseNumber(options.pollingSeconds, '--polling-seconds', 0.5, 600);
        const access = commandStoreAccess(undefined, options.db);
        const store = await access.open();
        const log = (message: string) => {
          if (!quiet) writeDiagnostic(message);
        };
        const queue = await startQueue(
          {
            url: location.url,
            schema: options.queueSchema,
            heartbeatSeconds: parseNumber(options.heartbeatSeconds, '--heartbeat-seconds', 10, 3600, true),
            monitorIntervalSeconds: parseNumber(options.monitorSeconds, '--monitor-seconds', 1, 3600, true),
            retryLimit: parseNumber(options.retryLimit, '--retry-limit', 0, 100, true),
            retryDelaySeconds: parseNumber(
              options.retryDelaySeconds,
              '--retry-delay-seconds',
              0,
              86_400,
              true,
            ),
            pollingIntervalSeconds,
          },
          (error) => writeDiagnostic(`worker: database: ${describeError(error)}`),
        ).catch(async (error: unknown) => {
          await access.close();
          throw error;
        });
        const context = fleetJobContext(store, options);
        await startWorker(queue, context, {
          concurrency,
          pollingIntervalSeconds,
          events: {
            started: (job, attempt) =>
              log(
                `worker ${context.worker}: started ${job.repository} run ${job.runId} attempt ${attempt + 1}`,
              ),
            finished: (outcome, ms) =>
              log(
                `worker ${context.worker}: ${outcome.status} ${outcome.repository} run ${outcome.runId} in ${Math.round(ms)} ms`,
              ),
            failed: (job, error) =>
              log(`worker ${context.worker}: ${job.repository} run ${job.runId} failed: ${error}`),
            deadLettered: (job, error) =>
              log(`worker ${context.worker}: ${job.repository} run ${job.runId} dead-lettered: ${error}`),
          },
        });
        const stopScheduler =
          tickSeconds > 0
            ? await startScheduler(queue, store, {
                tickSeconds,
                inFlightLimit,
                onTick: (queued) => {
                  if (queued > 0) log(`worker ${context.worker}: scheduled ${queued} repositories`);
                },
                onError: (error) => log(`worker: tick: ${describeError(error)}`),
              })
            : undefined;
        log(`worker ${context.worker}: taking jobs from ${store.location}`);
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        stopScheduler?.();
        log(`worker ${context.worker}: stopping, finishing running jobs`);
        await queue.stop();
        await access.close();
        return exitCodes.ok;
      }),
    );
}
