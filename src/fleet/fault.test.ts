import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEntries } from '../ledger/index.js';
import { identifyRepository } from '../source-control/index.js';
import { openStore, type Store } from '../store/index.js';
import { openTestFleet, type TestFleet } from '../testing/fleet-queue.js';
import { describeOnPostgres } from '../testing/store-backends.js';
import { type DumbHttpServer, startDumbHttpServer } from './__fixtures__/dumb-http.js';
import { postgresBinFolder, startTestCluster, type TestCluster } from './__fixtures__/postgres-cluster.js';
import { type BareRemote, createBareRemote } from './__fixtures__/remote.js';
import { fastWorkerOptions, startWorkerProcess, type WorkerProcess } from './__fixtures__/worker-process.js';
import { assessQueue, type FleetQueue, startQueue } from './queue.js';
import { addRepositories } from './registry.js';
import { triggerRun } from './scheduler.js';

/** Waits until `check` holds, polling; fails with `what` after `timeoutMs` (a bound, not a speed target). */
async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
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

await describeOnPostgres('fleet fault tests', 'a worker killed with SIGKILL mid-job', (testSchema) => {
  let fleet: TestFleet | undefined;
  let store: Store;
  let queue: FleetQueue;
  let remote: BareRemote;
  let http: DumbHttpServer;
  const caches: string[] = [];
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    fleet = await openTestFleet(testSchema(), {
      heartbeatSeconds: 10,
      monitorIntervalSeconds: 1,
      retryDelaySeconds: 1,
    });
    ({ store, queue } = fleet);
    remote = createBareRemote('service');
    http = await startDumbHttpServer(remote.folder);
  });
  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
    await http?.close();
    await fleet?.close();
    remote?.remove();
    for (const cache of caches) rmSync(cache, { recursive: true, force: true });
  });

  const worker = () => {
    const cache = mkdtempSync(join(tmpdir(), 'shipguard-worker-cache-'));
    caches.push(cache);
    const process = startWorkerProcess([
      '--db',
      testSchema().url,
      '--queue-schema',
      fleet?.queueSchema ?? '',
      '--cache',
      cache,
      '-j',
      '1',
      ...fastWorkerOptions,
    ]);
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

const clusterBin = postgresBinFolder();
if (!clusterBin)
  console.warn(
    'fleet fault tests: the database-restart test is skipped: no initdb/pg_ctl found (set SHIPGUARD_TEST_PG_BIN)',
  );

describe.skipIf(!clusterBin)('the database restarted mid-run', () => {
  let cluster: TestCluster;
  let store: Store;
  let queue: FleetQueue;
  let http: DumbHttpServer;
  let folder: string;
  let cache: string;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    cluster = await startTestCluster(clusterBin as string);
    store = await openStore({ kind: 'postgres', url: cluster.url });
    queue = await startQueue(
      {
        url: cluster.url,
        schema: 'fleet_queue_restart',
        heartbeatSeconds: 10,
        monitorIntervalSeconds: 1,
        retryDelaySeconds: 1,
      },
      () => {},
    );
    folder = mkdtempSync(join(tmpdir(), 'shipguard-remotes-'));
    cache = mkdtempSync(join(tmpdir(), 'shipguard-worker-cache-'));
    for (const name of ['one', 'two', 'three'])
      createBareRemote(name, { 'package.json': `{"name":"${name}","version":"1.0.0"}\n` }, { folder });
    http = await startDumbHttpServer(folder);
  }, 120_000);
  afterAll(async () => {
    worker?.child.kill('SIGKILL');
    await worker?.exited;
    await http?.close();
    await queue?.stop().catch(() => {});
    await store?.close().catch(() => {});
    cluster?.remove();
    rmSync(folder, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });

  it('workers reconnect and no run is lost or recorded twice', async () => {
    const identities = await Promise.all(
      ['one', 'two', 'three'].map((name) => identifyRepository(`${http.url}/${name}.git`)),
    );
    await addRepositories(store, identities);
    const jobs = [];
    for (const identity of identities)
      jobs.push(await triggerRun(store, queue.enqueue, identity.key, 'push'));
    worker = startWorkerProcess([
      '--db',
      cluster.url,
      '--queue-schema',
      'fleet_queue_restart',
      '--cache',
      cache,
      '-j',
      '2',
      ...fastWorkerOptions,
    ]);
    await worker.waitFor(/taking jobs/);
    await http.firstHeld; // jobs are running: clones are held
    cluster.restart(); // every connection is cut
    http.release();
    // The queue works after the restart: one more run, sent through a reconnected pool.
    jobs.push(
      await eventually('a run to be queued after the restart', async () =>
        triggerRun(store, queue.enqueue, identities[0]?.key ?? '', 'upload'),
      ),
    );
    const expected = jobs.map((job) => job.runId).sort();
    const rows = await eventually('every run to be recorded', async () => {
      const found = await runRows(store);
      return found.length >= expected.length ? found : undefined;
    });
    expect(rows.map((row) => row.run_id).sort()).toEqual(expected);
    expect((await ledgerRuns(store)).sort()).toEqual(expected);
    for (const identity of identities) {
      const runs = jobs.filter((job) => job.repository === identity.key).length;
      expect(await store.listAssessments({ repository: identity.key })).toHaveLength(runs);
    }
    // The worker saw its connections cut, and lived on.
    expect(worker.log).toMatch(/database: .*terminating connection/);
    expect(worker.child.exitCode).toBeNull();
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
  }, 150_000);
});
