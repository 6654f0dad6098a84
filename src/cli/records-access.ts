import { existsSync } from 'node:fs';
import type { Catalog } from '../catalog/index.js';
import type { LoadedPolicy } from '../policy/index.js';
import { type GatheredRecords, gatherRecords } from '../records/index.js';
import { openStore, resolveStoreLocation } from '../store/index.js';

/**
 * The signed records an assessment counts: the repository's records/ folder, and the store's
 * records when a store is named (--db, $SHIPGUARD_DB) or the default one already exists. Never
 * creates a store just to read from it.
 */
export async function readSignedRecords(
  catalog: Catalog,
  repositoryRoot: string,
  loadedPolicy: LoadedPolicy,
  db: string | undefined,
  now = new Date(),
): Promise<GatheredRecords> {
  const location = resolveStoreLocation({
    ...(db === undefined ? {} : { db }),
    env: process.env,
    repositoryRoot,
    cwd: process.cwd(),
  });
  const defaultBranch = loadedPolicy.policy.review.defaultBranch;
  const base = { catalog, repositoryRoot, now, ...(defaultBranch === undefined ? {} : { defaultBranch }) };
  const storeExists =
    location.kind === 'postgres' || (location.path !== ':memory:' && existsSync(location.path));
  if (!storeExists) return gatherRecords(base);
  const store = await openStore(location);
  try {
    return await gatherRecords({ ...base, store, storeLocation: store.location });
  } finally {
    await store.close();
  }
}
