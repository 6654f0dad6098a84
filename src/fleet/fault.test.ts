import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEntries } from '../ledger/index.js';
import { createTestSchema, probePostgres, type TestSchema, warnPostgresSkipped } from '../store/__fixtures__/postgres-server.js';
import { openStore, type Store } from '../store/index.js';
import { type DumbHttpServer, startDumbHttpServer } from './__fixtures__/dumb-http.js';
import { type BareRemote, createBareRemote } from './__fixtures__/remote.js';
import { fastWorkerOptions, startWorkerProcess, type WorkerProcess } from './__fixtures__/worker-process.js';
import { identifyRepository } from './identity.js';
import { assessQueue, type FleetQueue, startQueue } from './queue.js';
import { addRepositories } from './registry.js';
import { triggerRun } from './scheduler.js';

const postgres = await probePostgres();
warnPostgresSkipped('fleet fault tests', postgres);

/** Waits until `check` holds, polling; fails with `what` after `timeoutMs` (a bound, not a speed target). */
async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

async function ledgerRuns(store: Store): Promise<string[]> {
  return (await readEntries(store, 0, 10_000))
    .map((entry) => JSON.parse(entry.entry) as { type: string; data: { runId?: string } })
    .filter((entry) => entry.type === 'assessment.completed')
    .map((entry) => entry.data.runId ?? '');
}

async function runRows(store: Store): Promise<{ run_id: string; worker: string; repository: string }[]> {
  const { rows } = await sql(store, 'select run_id, worker, repository from fleet_runs order by run_id');
  return rows as { run_id: string; worker: string; repository: string }[];
}

async function sql(store: Store, text: string): Promise<{ rows: unknown[] }> {
  const { sql: raw } = await import('kysely');
  return raw.raw(text).execute(store.db) as Promise<{ rows: unknown[] }>;
}

describe.skipIf(!postgres.reachable)('a worker killed with SIGKILL mid-job', () => {
  let schema: TestSchema;
  let store: Store;
  let queue: FleetQueue;
  let remote: BareRemote;
  let http: DumbHttpServer;
  const caches: string[] = [];
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    schema = await createTestSchema();
    store = await openStore({ kind: 'postgres', url: schema.url });
    queue = await startQueue({ url: schema.url, schema: `${schema.name}_queue`, heartbeatSeconds: 10, monitorIntervalSeconds: 1, retryDelaySeconds: 1 }, () => {});
    remote = createBareRemote('service');
    http = await startDumbHttpServer(remote.folder);
  });
  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
    await http?.close();
    await queue?.stop();
    await store?.close();
    const client = new pg.Client({ connectionString: schema.url });
    await client.connect();
    await client.query(`drop schema if exists ${schema.name}_queue cascade`);
    await client.end();
    await schema?.drop();
    remote?.remove();
    for (const cache of caches) rmSync(cache, { recursive: true, force: true });
  });

  const worker = () => {
    const cache = mkdtempSync(join(tmpdir(), 'shipguard-worker-cache-'));
    caches.push(cache);
    const process = startWorkerProcess(['--db', schema.url, '--queue-schema', `${schema.name}_queue`, '--cache', cache, '-j', '1', ...fastWorkerOptions]);
    workers.push(process);
    return process;
  };

  it('finishes on another worker, and the store and the ledger hold the result exactly once', async () => {
    const identity = await identifyRepository(`${http.url}/service.git`);
    expect(identity.key).toMatch(/^127\.0\.0\.1:\d+\/service$/);
    await addRepositories(store, [identity]);
    const job = await triggerRun(store, queue.enqueue, identity.key, 'push');

    const first = worker();
    await first.waitFor(/taking jobs/);
    // The first worker is mid-job: cloning, its request held by the server.
    await http.firstHeld;
    await first.waitFor(new RegExp(`started ${identity.key} run ${job.runId} attempt 1`));
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(await runRows(store)).toEqual([]);
    http.release();

    const second = worker();
    const rows = await eventually('the run to be recorded', async () => {
      const found = await runRows(store);
      return found.length > 0 ? found : undefined;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.run_id).toBe(job.runId);
    expect(rows[0]?.worker).toBe(`${(await import('node:os')).hostname()}:${second.child.pid}`);
    expect(second.log).toMatch(new RegExp(`started ${identity.key} run ${job.runId} attempt 2`));
    // Counted: one assessment, one ledger entry, one run row; pg-boss saw the retry.
    expect(await store.listAssessments({ repository: identity.key })).toHaveLength(1);
    expect(await ledgerRuns(store)).toEqual([job.runId]);
    const stored = await eventually('the job to complete', async () => {
      const found = await queue.boss.getJobById(assessQueue, job.runId);
      return found?.state === 'completed' ? found : undefined;
    });
    expect(stored.retryCount).toBeGreaterThanOrEqual(1);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    // Nothing was written twice after the worker stopped either.
    expect(await runRows(store)).toHaveLength(1);
    expect(await ledgerRuns(store)).toEqual([job.runId]);
  }, 120_000);
});
