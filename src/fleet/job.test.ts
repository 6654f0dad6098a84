import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { readEntries } from '../ledger/index.js';
import { identifyRepository } from '../source-control/index.js';
import { openStore, type Store } from '../store/index.js';
import { describeOnEveryStore, type StoreBackend } from '../testing/store-backends.js';
import { type BareRemote, createBareRemote } from './__fixtures__/remote.js';
import { createAssessFolder } from './assess.js';
import { type FleetJob, type JobContext, recordRunFailure, runRepositoryJob } from './job.js';
import { addRepositories, countRuns, getRepository } from './registry.js';
import { type Enqueue, scheduleTick, triggeredPriority, triggerRun } from './scheduler.js';

/** Entries of type assessment.completed the ledger holds for a run id. */
async function ledgerEntriesOfRun(store: Store, runId: string): Promise<number> {
  const entries = await readEntries(store, 0, 10_000);
  return entries.filter((entry) => {
    const parsed = JSON.parse(entry.entry) as { type: string; data: { runId?: string } };
    return parsed.type === 'assessment.completed' && parsed.data.runId === runId;
  }).length;
}

await describeOnEveryStore('fleet jobs', (name: string, backend: StoreBackend) => {
  let store: Store;
  let remote: BareRemote;
  let cache: string;
  let context: JobContext;

  beforeEach(async () => {
    store = await openStore(await backend.createLocation());
    remote = createBareRemote();
    cache = mkdtempSync(join(tmpdir(), 'shipguard-cache-'));
    context = { store, cacheFolder: cache, worker: 'test', assessFolder: createAssessFolder(store) };
  });
  afterEach(async () => {
    await store.close();
    remote.remove();
    rmSync(cache, { recursive: true, force: true });
  });

  it(`${name}: a retried run writes its result once, to the store and to the ledger`, async () => {
    const identity = await identifyRepository(remote.path);
    await addRepositories(store, [identity]);
    const job: FleetJob = { runId: 'run-1', repository: identity.key, trigger: 'manual' };
    const first = await runRepositoryJob(job, context);
    expect(first.status).toBe('recorded');
    // The same run again (a retry after a lost acknowledgement), twice at once: nothing new.
    const again = await Promise.all([runRepositoryJob(job, context), runRepositoryJob(job, context)]);
    expect(again.map((outcome) => outcome.status)).toEqual(['already-recorded', 'already-recorded']);
    expect(again[0]?.assessmentId).toBe(first.assessmentId);
    expect(await store.listAssessments({ repository: identity.key })).toHaveLength(1);
    expect(await ledgerEntriesOfRun(store, 'run-1')).toBe(1);
    expect(await countRuns(store, identity.key)).toBe(1);
    const repository = await getRepository(store, identity.key);
    expect(repository?.last_status).toBe('done');
    expect(repository?.last_attempted_at).not.toBeNull();
  });

  it(`${name}: two attempts of one run racing past the first check still record it once`, async () => {
    const identity = await identifyRepository(remote.path);
    await addRepositories(store, [identity]);
    const job: FleetJob = { runId: 'run-race', repository: identity.key, trigger: 'manual' };
    // Both attempts (two workers, each with its own cache) assess before either writes: the check
    // inside the ledger's transaction decides.
    const otherCache = mkdtempSync(join(tmpdir(), 'shipguard-cache-'));
    const outcomes = await Promise.all([
      runRepositoryJob(job, context),
      runRepositoryJob(job, { ...context, cacheFolder: otherCache, worker: 'other' }),
    ]).finally(() => rmSync(otherCache, { recursive: true, force: true }));
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['already-recorded', 'recorded']);
    expect(await store.listAssessments({ repository: identity.key })).toHaveLength(1);
    expect(await ledgerEntriesOfRun(store, 'run-race')).toBe(1);
  });

  it(`${name}: a failed run keeps its error on the repository and frees its slot`, async () => {
    const identity = await identifyRepository(remote.path);
    await addRepositories(store, [identity]);
    remote.remove();
    const job: FleetJob = { runId: 'run-gone', repository: identity.key, trigger: 'manual' };
    await expect(runRepositoryJob(job, context)).rejects.toMatchObject({ code: 'FLEET_FETCH_FAILED' });
    await recordRunFailure(store, job, new Error('the remote is gone'));
    const repository = await getRepository(store, identity.key);
    expect(repository?.last_status).toBe('failed');
    expect(repository?.last_error).toContain('the remote is gone');
    expect(await store.listAssessments({ repository: identity.key })).toHaveLength(0);
  });

  it(`${name}: the tick queues the oldest due up to the limit; pushes go first and do not count`, async () => {
    const start = new Date('2026-06-01T00:00:00.000Z');
    const identities = await Promise.all(
      ['a', 'b', 'c', 'd'].map((repo) => identifyRepository(`https://git.example.org/team/${repo}.git`)),
    );
    const added = await addRepositories(store, identities, { now: start, staggerSeconds: 60 });
    expect(added.added).toHaveLength(4);
    const sent: { job: FleetJob; priority: number }[] = [];
    const enqueue: Enqueue = async (job, options) => {
      sent.push({ job, priority: options.priority });
      return true;
    };
    // Staggered: a minute after adding, only the first two are due.
    expect(
      (await scheduleTick(store, enqueue, { inFlightLimit: 3, now: new Date(start.getTime() + 60_000) })).map(
        (job) => job.repository,
      ),
    ).toEqual(['git.example.org/team/a', 'git.example.org/team/b']);
    const later = new Date(start.getTime() + 3600_000);
    expect(
      (await scheduleTick(store, enqueue, { inFlightLimit: 3, now: later })).map((job) => job.repository),
    ).toEqual(['git.example.org/team/c']);
    expect(await scheduleTick(store, enqueue, { inFlightLimit: 3, now: later })).toEqual([]);
    const pushed = await triggerRun(store, enqueue, 'git.example.org/team/d', 'push');
    expect(sent.at(-1)).toEqual({ job: pushed, priority: triggeredPriority });
    expect(sent.slice(0, 3).every((item) => item.priority < triggeredPriority)).toBe(true);
    // The push is outside the limit: a run finishing frees a slot, which the next tick fills.
    await recordRunFailure(store, sent[0]?.job as FleetJob, 'unreachable', { now: later });
    expect(await scheduleTick(store, enqueue, { inFlightLimit: 3, now: later })).toEqual([]); // d is queued (push), a is not due
    expect((await getRepository(store, 'git.example.org/team/a'))?.queued_run_id).toBeNull();
    await expect(scheduleTick(store, enqueue, { inFlightLimit: 0 })).rejects.toMatchObject({
      code: 'FLEET_INVALID_OPTION',
    });
  });
});
