import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../catalog/index.js';
import { collectors } from '../collectors/index.js';
import { assess } from '../engine/index.js';
import type { AssessFolder, JobContext } from '../fleet/index.js';
import { RepositorySnapshot } from '../kernel/index.js';
import { loadPolicy } from '../policy/index.js';
import { gatherRecords } from '../records/index.js';
import type { Store, StoreAccess } from '../store/index.js';
import { UsageError } from './errors.js';

/** The cache folder mirrors are kept in: --cache, else $XDG_CACHE_HOME/shipguard/fleet, else ~/.cache/…. */
export function fleetCacheFolder(cache: string | undefined): string {
  if (cache !== undefined && cache !== '') return cache;
  const base = process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(base, 'shipguard', 'fleet');
}

/** An already open store handed to the engine as the command's store (the job's one store). */
function openedStoreAccess(store: Store): StoreAccess {
  return {
    description: store.location,
    existing: async () => ({ store }),
    open: async () => store,
    close: async () => {},
  };
}

/**
 * How a fleet job assesses a work tree: exactly what `shipguard assess` does (the repository's
 * policy, signed records in the tree and the store, every collector: SBOM, secrets, ...).
 */
export function fleetAssessFolder(store: Store): AssessFolder {
  const catalog = loadCatalog();
  return async ({ folder }) => {
    const repository = await RepositorySnapshot.open(folder);
    const loadedPolicy = await loadPolicy(repository.root, undefined);
    const defaultBranch = loadedPolicy.policy.review.defaultBranch;
    const records = await gatherRecords({
      catalog,
      repositoryRoot: repository.root,
      store,
      storeLocation: store.location,
      now: new Date(),
      ...(defaultBranch === undefined ? {} : { defaultBranch }),
    });
    return assess({
      repository,
      catalog,
      collectors,
      loadedPolicy,
      store: openedStoreAccess(store),
      environment: process.env,
      records,
    });
  };
}

export function fleetJobContext(
  store: Store,
  options: { cache?: string; intervalHours?: string },
): JobContext {
  const context: JobContext = {
    store,
    cacheFolder: fleetCacheFolder(options.cache),
    worker: `${hostname()}:${process.pid}`,
    assessFolder: fleetAssessFolder(store),
  };
  if (options.intervalHours !== undefined)
    context.intervalSeconds = parseNumber(options.intervalHours, '--interval-hours', 0.01, 24 * 365) * 3600;
  return context;
}

/** A number option within bounds, else a usage error naming the option. */
export function parseNumber(text: string, option: string, min: number, max: number, integer = false): number {
  const value = /^\d{1,9}(\.\d{1,6})?$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isNaN(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new UsageError(
      'USAGE_INVALID_OPTION',
      `${option} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, not "${text}"`,
    );
  }
  return value;
}
