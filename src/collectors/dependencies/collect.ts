import {
  findModifiedPackages,
  frameworkOf,
  type ModifiedPackagesFacts,
  type RegistrySourcesFacts,
  readLockState,
  readRegistrySources,
  scanRepositoryOnce,
} from '../../ecosystems/index.js';
import {
  endOfLifeDataset,
  findCycle,
  type Milestone,
  type ProductId,
  productOfPurl,
} from '../../end-of-life/index.js';
import type { RepositorySnapshot } from '../../kernel/index.js';
import type { Policy } from '../../policy/index.js';
import {
  type AdvisoryDatabaseState,
  findVulnerabilities,
  loadRepositoryAdvisoriesOnce,
} from '../../vulns/index.js';
import type { CollectContext } from '../types.js';

export interface FrameworkUse {
  product: ProductId;
  title: string;
  package: string;
  version: string;
  cycle?: string;
  eol?: Milestone;
  location: { path: string; line: number };
}

export interface FlaggedPackage {
  kind: 'malicious' | 'unmaintained';
  name: string;
  version: string;
  id: string;
  location: { path: string; line: number };
}

export interface DependenciesFacts {
  packages: number;
  /** Manifests that declare dependencies no lockfile fixes (they cannot be judged). */
  unlocked: string[];
  frameworks: FrameworkUse[];
  flagged: FlaggedPackage[];
  database: AdvisoryDatabaseState;
  /** Manifests whose dependencies a lockfile or pinned lines fix. */
  locked: string[];
  /** Where registry configuration, lockfiles and Dockerfiles fetch packages and images from. */
  registries: RegistrySourcesFacts;
  /** Third-party packages patched or copied into the repository. */
  modified: ModifiedPackagesFacts;
}

export async function collectDependencies(
  repository: RepositorySnapshot,
  policy: Policy,
  context: CollectContext,
): Promise<DependenciesFacts> {
  const scan = await scanRepositoryOnce(repository, context);
  const manifests = (await readLockState(repository)).manifests;
  const unlocked = manifests
    .filter((manifest) => manifest.state === 'missing')
    .map((manifest) => manifest.manifest);
  const locked = manifests
    .filter((manifest) => manifest.state === 'locked' || manifest.state === 'pinned')
    .map((manifest) => manifest.manifest);
  const frameworks: FrameworkUse[] = [];
  const seen = new Set<string>();
  for (const item of scan.packages) {
    const framework = frameworkOf(item.ecosystem, item.name);
    // Frameworks the ecosystems name first, then any package the end-of-life dataset identifies.
    const product = framework?.product ?? productOfPurl(item.purl);
    const entry = product === undefined ? undefined : endOfLifeDataset.products[product];
    if (product === undefined || !entry) continue;
    const key = `${product}\0${item.version}\0${item.location.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const cycle = findCycle(product, item.version);
    frameworks.push({
      product,
      title: framework?.title ?? entry.title,
      package: item.name,
      version: item.version,
      ...(cycle ? { cycle: cycle.cycle, eol: cycle.eol } : {}),
      location: item.location,
    });
  }
  const loaded = await loadRepositoryAdvisoriesOnce(repository, context.now, context.store);
  const flagged: FlaggedPackage[] = [];
  for (const finding of findVulnerabilities(scan.packages, loaded.index, {
    now: context.now,
    settings: policy.supplyChain,
  })) {
    if (finding.kind === 'vulnerability' || !finding.package.location) continue;
    flagged.push({
      kind: finding.kind,
      name: finding.package.name,
      version: finding.package.version,
      id: finding.id,
      location: { path: finding.package.location.path, line: finding.package.location.line ?? 1 },
    });
  }
  return {
    packages: scan.packages.length,
    unlocked,
    frameworks,
    flagged,
    database: loaded.state,
    locked,
    registries: await readRegistrySources(repository),
    modified: await findModifiedPackages(repository),
  };
}
