import { loadCatalog } from '../catalog/index.js';
import { collectors } from '../collectors/index.js';
import { scanRepositoryOnce } from '../ecosystems/index.js';
import { assess } from '../engine/index.js';
import { RepositorySnapshot } from '../kernel/index.js';
import { loadPolicy } from '../policy/index.js';
import { gatherRecords } from '../records/index.js';
import type { Store, StoreAccess } from '../store/index.js';
import type { AssessFolder } from './job.js';
import { recordComponents } from './rematch.js';

/** An already open store handed to the engine as the job's one store. */
function openedStoreAccess(store: Store): StoreAccess {
  return {
    description: store.location,
    existing: async () => ({ store }),
    open: async () => store,
    forCaches: async () => store,
    close: async () => {},
  };
}

/**
 * How a fleet job assesses a work tree: what `shipguard assess` does (the repository's policy,
 * signed records in the tree and in the store, every collector: SBOM, secrets, ...).
 * `environment` is what the CLI read (forge tokens a policy names).
 */
export function createAssessFolder(
  store: Store,
  options: { environment?: Readonly<Record<string, string | undefined>> } = {},
): AssessFolder {
  const catalog = loadCatalog();
  return async ({ folder, repository: fleetRepository }) => {
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
    const assessment = await assess({
      repository,
      catalog,
      collectors,
      loadedPolicy,
      store: openedStoreAccess(store),
      ...(options.environment === undefined ? {} : { environment: options.environment }),
      records,
    });
    // The SBOM the collectors built, kept by package so new advisories find this repository.
    const scan = await scanRepositoryOnce(repository);
    await recordComponents(store, fleetRepository.key, scan.packages, new Date());
    return assessment;
  };
}
