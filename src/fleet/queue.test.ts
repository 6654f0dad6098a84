import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { identifyRepository } from '../source-control/index.js';
import type { Store } from '../store/index.js';
import { openTestFleet, type TestFleet } from '../testing/fleet-queue.js';
import { describeOnPostgres } from '../testing/store-backends.js';
import { createBareRemote } from './__fixtures__/remote.js';
import { createAssessFolder } from './assess.js';
import { assessQueue, deadLetterQueue, type FleetQueue, startScheduler, startWorker } from './queue.js';
import { addRepositories, countRuns, fleetDb, getRepository } from './registry.js';
import { triggerRun } from './scheduler.js';

await describeOnPostgres('fleet queue tests', 'the fleet queue on pg-boss', (schema) => {
  let fleet: TestFleet | undefined;
  let store: Store;
  let queue: FleetQueue;
  let cache: string;

  beforeAll(async () => {
    fleet = await openTestFleet(schema(), { retryLimit: 1, retryDelaySeconds: 1, monitorIntervalSeconds: 1 });
    ({ store, queue } = fleet);
    cache = mkdtempSync(join(tmpdir(), 'shipguard-queue-cache-'));
    await startWorker(
      queue,
      { store, cacheFolder: cache, worker: 'in-test', assessFolder: createAssessFolder(store) },
      { pollingIntervalSeconds: 0.5 },
    );
  });
  afterAll(async () => {
    await fleet?.close();
    rmSync(cache, { recursive: true, force: true });
  });

  it('retries a failing job, then dead-letters it keeping the error, and records it on the repository', async () => {
    const missing = join(tmpdir(), 'shipguard-no-such-remote', 'gone.git');
    const identity = await identifyRepository(`file://${missing}`);
    await addRepositories(store, [identity]);
    const job = await triggerRun(store, queue.enqueue, identity.key, 'push');
    let repository = await getRepository(store, identity.key);
    for (let waited = 0; repository?.last_status !== 'failed' && waited < 240; waited++) {
      await sleep(250);
      repository = await getRepository(store, identity.key);
    }
    expect(repository?.last_status).toBe('failed');
    expect(repository?.last_error).toContain('gone.git');
    expect(repository?.queued_run_id).toBeNull();
    const failed = await queue.boss.getJobById(assessQueue, job.runId);
    expect(failed?.state).toBe('failed');
    expect(failed?.retryCount).toBe(1);
    const dead = await queue.boss.findJobs(deadLetterQueue, {});
    expect(dead).toHaveLength(1);
    expect(dead[0]?.data).toMatchObject({ runId: job.runId, repository: identity.key });
    expect(JSON.stringify(dead[0]?.output)).toContain('gone.git');
  });

  it('ticks on its own: queues due repositories up to the in-flight limit, and the worker runs them', async () => {
    const remotes = ['a', 'b', 'c'].map((name) => createBareRemote(name));
    try {
      const identities = await Promise.all(remotes.map((remote) => identifyRepository(remote.path)));
      await addRepositories(store, identities, { staggerSeconds: 0 });
      let ticks = 0;
      const stop = await startScheduler(queue, store, {
        tickSeconds: 1,
        inFlightLimit: 2,
        onTick: () => ticks++,
      });
      try {
        for (let waited = 0; waited < 400; waited++) {
          const runs = await Promise.all(identities.map((identity) => countRuns(store, identity.key)));
          if (runs.every((count) => count === 1)) break;
          await sleep(250);
        }
      } finally {
        stop();
      }
      for (const identity of identities) expect(await countRuns(store, identity.key)).toBe(1);
      expect(ticks).toBeGreaterThanOrEqual(2); // the limit of two made a second tick necessary
      const triggers = await fleetDb(store)
        .selectFrom('fleet_runs')
        .select('trigger')
        .where(
          'repository',
          'in',
          identities.map((identity) => identity.key),
        )
        .execute();
      expect(triggers.map((row) => row.trigger)).toEqual(['schedule', 'schedule', 'schedule']);
    } finally {
      for (const remote of remotes) remote.remove();
    }
  }, 120_000);

  it('keeps one job per repository active at a time (the singleton key)', async () => {
    const queueInfo = await queue.boss.getQueue(assessQueue);
    expect(queueInfo?.policy).toBe('singleton');
    expect(queueInfo?.heartbeatSeconds).toBe(30);
    expect(queueInfo?.deadLetter).toBe(deadLetterQueue);
  });
});
