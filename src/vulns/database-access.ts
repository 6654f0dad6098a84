import { existsSync } from 'node:fs';
import {
  AdvisoryIndex,
  advisoryStatus,
  loadAdvisoriesFor,
  osvSourceName,
  type SourceAge,
} from '../advisories/index.js';
import { scanRepositoryOnce } from '../ecosystems/index.js';
import type { RepositorySnapshot } from '../kernel/index.js';
import { describeError } from '../kernel/index.js';
import { openStore, resolveStoreLocation, type Store } from '../store/index.js';

/** How current the advisory data is for the ecosystems a project uses. */
export interface AdvisoryDatabaseState {
  status: 'absent' | 'present' | 'unreadable';
  /** Where the store is, safe to print. */
  location: string;
  sources: SourceAge[];
  /** Per ecosystem in use: the age in days of the data covering it, or undefined when none does. */
  coverage: Record<string, number | undefined>;
  /** The oldest data among the ecosystems in use (undefined when one has none). */
  ageDays?: number;
  problem?: string;
}

export interface LoadedAdvisories {
  state: AdvisoryDatabaseState;
  index: AdvisoryIndex;
}

/**
 * Opens the store the way every command does (--db, $SHIPGUARD_DB, the repository's
 * .shipguard/shipguard.db) without creating one: no store means no advisory data (`absent`).
 * Loads only the advisories naming the given packages. No network.
 */
export async function loadAdvisoryData(
  repositoryRoot: string,
  packages: ReadonlyArray<{ ecosystem: string; name: string }>,
  options: { db?: string; now?: Date; env?: NodeJS.ProcessEnv } = {},
): Promise<LoadedAdvisories> {
  const env = options.env ?? process.env;
  const location = resolveStoreLocation({
    ...(options.db === undefined ? {} : { db: options.db }),
    env,
    repositoryRoot,
    cwd: process.cwd(),
  });
  const display = location.kind === 'sqlite' ? location.path : 'postgres';
  const empty = (status: AdvisoryDatabaseState['status'], problem?: string): LoadedAdvisories => ({
    state: { status, location: display, sources: [], coverage: {}, ...(problem ? { problem } : {}) },
    index: new AdvisoryIndex(),
  });
  if (location.kind === 'sqlite' && location.path !== ':memory:' && !existsSync(location.path))
    return empty('absent');
  let store: Store | undefined;
  try {
    store = await openStore(location, { busyTimeoutMs: 2_000, connectTimeoutMs: 3_000 });
    const sources = await advisoryStatus(store, options.now ?? new Date());
    if (sources.length === 0) return empty('absent');
    const advisories = await loadAdvisoriesFor(store, packages);
    const coverage: Record<string, number | undefined> = {};
    const imported = sources.filter((source) => !source.source.startsWith('osv:'));
    for (const ecosystem of new Set(packages.map((item) => item.ecosystem))) {
      const own = sources.find((source) => source.source === osvSourceName(ecosystem));
      const candidates = own ? [own] : imported;
      coverage[ecosystem] =
        candidates.length === 0 ? undefined : Math.max(...candidates.map((source) => source.ageDays));
    }
    const ages = Object.values(coverage);
    const state: AdvisoryDatabaseState = { status: 'present', location: store.location, sources, coverage };
    if (ages.length > 0 && ages.every((age) => age !== undefined))
      state.ageDays = Math.max(...(ages as number[]));
    if (ages.length === 0) state.ageDays = Math.max(...sources.map((source) => source.ageDays));
    return { state, index: new AdvisoryIndex(advisories) };
  } catch (error) {
    return empty('unreadable', describeError(error));
  } finally {
    await store?.close();
  }
}

const loaded = new WeakMap<RepositorySnapshot, Promise<LoadedAdvisories>>();

/**
 * The advisories for a snapshot's locked packages, loaded once per assessment (the database's age
 * measured at `now`, the assessment's clock). No network.
 */
export function loadRepositoryAdvisoriesOnce(
  repository: RepositorySnapshot,
  now: Date,
): Promise<LoadedAdvisories> {
  let result = loaded.get(repository);
  if (!result) {
    result = scanRepositoryOnce(repository).then((scan) =>
      loadAdvisoryData(repository.root, scan.packages, { now }),
    );
    loaded.set(repository, result);
  }
  return result;
}
