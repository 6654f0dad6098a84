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
import { noStoreAccess, type StoreAccess } from '../store/index.js';

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
 * Reads the advisory data from the command's store without creating one: no store means no
 * advisory data (`absent`). Loads only the advisories naming the given packages. No network.
 * The store is the caller's (opened once by the command) and is not closed here.
 */
export async function loadAdvisoryData(
  access: StoreAccess,
  packages: ReadonlyArray<{ ecosystem: string; name: string }>,
  options: { now: Date },
): Promise<LoadedAdvisories> {
  const empty = (status: AdvisoryDatabaseState['status'], problem?: string): LoadedAdvisories => ({
    state: {
      status,
      location: access.description,
      sources: [],
      coverage: {},
      ...(problem ? { problem } : {}),
    },
    index: new AdvisoryIndex(),
  });
  const existing = await access.existing();
  const store = existing.store;
  if (!store) return existing.absent ? empty('absent') : empty('unreadable', existing.note);
  try {
    const sources = await advisoryStatus(store, options.now);
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
  store: StoreAccess = noStoreAccess(),
): Promise<LoadedAdvisories> {
  let result = loaded.get(repository);
  if (!result) {
    result = scanRepositoryOnce(repository, { store, now }).then((scan) =>
      loadAdvisoryData(store, scan.packages, { now }),
    );
    loaded.set(repository, result);
  }
  return result;
}
