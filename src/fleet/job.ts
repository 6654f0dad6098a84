import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { type Assessment, describeError } from '../kernel/index.js';
import { appendEvents, assessmentCompletedEvent } from '../ledger/index.js';
import { type Store, writeAssessmentRows } from '../store/index.js';
import { FleetError } from './errors.js';
import { prepareMirror } from './mirror.js';
import { type FleetRepository, fleetDb, getRepository } from './registry.js';
import type { FleetTables } from './tables.js';

export const triggers = ['schedule', 'push', 'upload', 'manual'] as const;
export type Trigger = (typeof triggers)[number];

/** What a queued job carries: the run's id (also the pg-boss job id) and the repository's key. */
export interface FleetJob {
  runId: string;
  repository: string;
  trigger: Trigger;
}

/** Assesses the work tree in `folder` (the repository root, or a monorepo package in it). */
export type AssessFolder = (input: {
  folder: string;
  root: string;
  repository: FleetRepository;
}) => Promise<Assessment>;

export interface JobContext {
  store: Store;
  /** Where mirrors of remote repositories are kept, one folder per repository. */
  cacheFolder: string;
  /** Who ran the job, recorded with its result (host and process of the worker). */
  worker: string;
  assessFolder: AssessFolder;
  /** How long after a run the repository is due again; default a day. */
  intervalSeconds?: number;
  now?: () => Date;
}

export interface JobOutcome {
  runId: string;
  repository: string;
  /** `recorded`: this attempt wrote the result; `already-recorded`: an earlier attempt had. */
  status: 'recorded' | 'already-recorded';
  assessmentId?: string;
  ledgerIndex?: number;
}

const defaultIntervalSeconds = 24 * 60 * 60;

/**
 * One repository's run, the same on a pg-boss worker and in the embedded pool: fetch or update its
 * mirror, assess it (the assessment's collectors build the SBOM and scan for secrets), then record
 * the assessment, the run and the ledger entry in ONE transaction. The run id is the primary key
 * of `fleet_runs` and is checked once the ledger is locked, so a retried job (a worker killed
 * after writing, a lost acknowledgement) writes nothing twice, to the store or to the ledger.
 */
export async function runRepositoryJob(job: FleetJob, context: JobContext): Promise<JobOutcome> {
  const now = context.now ?? (() => new Date());
  const db = fleetDb(context.store);
  const done = await findRun(db, job.runId);
  if (done) return { runId: job.runId, repository: job.repository, status: 'already-recorded', ...done };
  const repository = await getRepository(context.store, job.repository);
  if (!repository) {
    throw new FleetError('FLEET_UNKNOWN_REPOSITORY', `the fleet holds no repository ${job.repository}`);
  }
  await db
    .updateTable('fleet_repositories')
    .set({ last_attempted_at: now().toISOString() })
    .where('key', '=', repository.key)
    .execute();
  const root =
    repository.source === 'path'
      ? repository.url
      : // One mirror per key, packages of a monorepo included: one job per key runs at a time, so
        // no two jobs ever check out the same mirror at once.
        await prepareMirror(context.cacheFolder, repository.key, repository.url);
  const folder = repository.subfolder === null ? root : join(root, repository.subfolder);
  const assessment = await context.assessFolder({ folder, root, repository });
  const finishedAt = now();
  const completed = assessmentCompletedEvent(assessment, repository.key);
  let recorded: { ledgerIndex: number } | undefined;
  const appended = await appendEvents(
    context.store,
    [
      // As `shipguard assess` records it, and which run of the fleet made it.
      { ...completed, data: { ...completed.data, runId: job.runId } },
    ],
    {
      alongside: async (transaction) => {
        const trx = transaction as unknown as Kysely<
          FleetTables & { ledger_head: { id: number; size: number } }
        >;
        const existing = await trx
          .selectFrom('fleet_runs')
          .select('run_id')
          .where('run_id', '=', job.runId)
          .executeTakeFirst();
        if (existing) return false;
        const head = await trx
          .selectFrom('ledger_head')
          .select('size')
          .where('id', '=', 1)
          .executeTakeFirstOrThrow();
        recorded = { ledgerIndex: Number(head.size) };
        await writeAssessmentRows(transaction, assessment, { repository: repository.key });
        await trx
          .insertInto('fleet_runs')
          .values({
            run_id: job.runId,
            repository: repository.key,
            assessment_id: assessment.id,
            ledger_index: recorded.ledgerIndex,
            worker: context.worker,
            trigger: job.trigger,
            finished_at: finishedAt.toISOString(),
          })
          .execute();
        await trx
          .updateTable('fleet_repositories')
          .set({
            last_finished_at: finishedAt.toISOString(),
            last_status: 'done',
            last_error: null,
            last_run_id: job.runId,
            due_at: nextDue(finishedAt, context.intervalSeconds),
          })
          .where('key', '=', repository.key)
          .execute();
        await clearQueued(trx, repository.key, job.runId);
        return true;
      },
    },
  );
  if (appended.skipped || recorded === undefined) {
    const earlier = await findRun(db, job.runId);
    return { runId: job.runId, repository: job.repository, status: 'already-recorded', ...earlier };
  }
  return {
    runId: job.runId,
    repository: repository.key,
    status: 'recorded',
    assessmentId: assessment.id,
    ledgerIndex: recorded.ledgerIndex,
  };
}

/** Records a run whose retries are spent, due again after the context's interval. */
export async function recordFailedJob(context: JobContext, job: FleetJob, error: unknown): Promise<void> {
  await recordRunFailure(
    context.store,
    job,
    error,
    context.intervalSeconds === undefined ? {} : { intervalSeconds: context.intervalSeconds },
  );
}

/**
 * A run whose retries are exhausted: the repository keeps the error and is due again after the
 * interval (the dead-letter queue keeps the job and its error too).
 */
export async function recordRunFailure(
  store: Store,
  job: FleetJob,
  error: unknown,
  options: { intervalSeconds?: number; now?: Date } = {},
): Promise<void> {
  const now = options.now ?? new Date();
  const db = fleetDb(store);
  await db
    .updateTable('fleet_repositories')
    .set({
      last_finished_at: now.toISOString(),
      last_status: 'failed',
      last_error: (typeof error === 'string' ? error : describeError(error)).slice(0, 4000),
      last_run_id: job.runId,
      due_at: nextDue(now, options.intervalSeconds),
    })
    .where('key', '=', job.repository)
    .execute();
  await clearQueued(db, job.repository, job.runId);
}

async function clearQueued(db: Kysely<FleetTables>, key: string, runId: string): Promise<void> {
  await db
    .updateTable('fleet_repositories')
    .set({ queued_run_id: null, queued_trigger: null })
    .where('key', '=', key)
    .where('queued_run_id', '=', runId)
    .execute();
}

async function findRun(
  db: Kysely<FleetTables>,
  runId: string,
): Promise<{ assessmentId: string; ledgerIndex: number } | undefined> {
  const row = await db
    .selectFrom('fleet_runs')
    .select(['assessment_id', 'ledger_index'])
    .where('run_id', '=', runId)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : { assessmentId: row.assessment_id, ledgerIndex: Number(row.ledger_index) };
}

function nextDue(from: Date, intervalSeconds = defaultIntervalSeconds): string {
  return new Date(from.getTime() + intervalSeconds * 1000).toISOString();
}
