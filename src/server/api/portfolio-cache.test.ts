/**
 * The portfolio cache over a real SQLite store: an answer is reused while fresh, served while it
 * is refreshed once it is merely stale (no request queues behind a refresh), and waited for once
 * it is older than the stale bound; a store change (the ledger grows) is seen by the refresh.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendToLedger } from '../../ledger/index.js';
import { openStore, type Store } from '../../store/index.js';
import { assessmentsOf } from '../pages/__fixtures__/seed.js';
import { createPortfolioCache, type PortfolioAnswer } from './portfolio.js';

const at = (ms: number) => new Date(Date.UTC(2026, 11, 1) + ms);
const repositoriesOf = (answer: PortfolioAnswer) =>
  (JSON.parse(answer.json.toString('utf8')) as { repositories: { repository: string }[] }).repositories.map(
    (entry) => entry.repository.split('/').at(-1),
  );

describe('portfolio cache', () => {
  let store: Store | undefined;
  let folder: string | undefined;
  afterEach(async () => {
    await store?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
    store = undefined;
  });

  async function storeWith(names: string[]): Promise<Store> {
    folder = await mkdtemp(join(tmpdir(), 'shipguard-portfolio-cache-'));
    store = await openStore({ kind: 'sqlite', path: join(folder, 'store.db') });
    for (const name of names) await addRepository(store, name);
    return store;
  }

  async function addRepository(target: Store, name: string): Promise<void> {
    const [assessment] = assessmentsOf(name, 0.7, 1, 1);
    if (!assessment) throw new Error('no assessment');
    await target.saveAssessment(assessment);
    await appendToLedger(target, { type: 'assessment.completed', data: { assessmentId: assessment.id } });
  }

  it('serves a stale answer at once while one refresh runs, then the refreshed one', async () => {
    const opened = await storeWith(['payments-api']);
    const cache = createPortfolioCache({ maxAgeMs: 60_000, freshMs: 1_000, staleMs: 5_000 });
    const first = await cache.read(opened, undefined, at(0));
    expect(repositoriesOf(first)).toEqual(['payments-api']);
    await addRepository(opened, 'web-checkout');
    // Fresh: the store is not asked.
    expect(await cache.read(opened, undefined, at(500))).toBe(first);
    // Stale but within the bound: the old answer now, the new one once the refresh has run.
    expect(await cache.read(opened, undefined, at(2_000))).toBe(first);
    let refreshed = first;
    for (let attempt = 0; attempt < 100 && refreshed === first; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      refreshed = await cache.read(opened, undefined, at(2_100));
    }
    expect(repositoriesOf(refreshed).sort()).toEqual(['payments-api', 'web-checkout']);
  });

  it('waits for the refresh once an answer is older than the stale bound', async () => {
    const opened = await storeWith(['payments-api']);
    const cache = createPortfolioCache({ maxAgeMs: 60_000, freshMs: 1_000, staleMs: 5_000 });
    await cache.read(opened, undefined, at(0));
    await addRepository(opened, 'identity-service');
    const late = await cache.read(opened, undefined, at(6_000));
    expect(repositoriesOf(late).sort()).toEqual(['identity-service', 'payments-api']);
  });

  it('shares a failed refresh with the requests that wait for it, and serves nothing stale past the bound', async () => {
    const opened = await storeWith(['payments-api']);
    const cache = createPortfolioCache({ maxAgeMs: 60_000, freshMs: 1_000, staleMs: 5_000 });
    await cache.read(opened, undefined, at(0));
    await opened.close();
    store = undefined;
    await expect(cache.read(opened, undefined, at(10_000))).rejects.toThrow();
  });
});
