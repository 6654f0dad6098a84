import { baseName, type RepositorySnapshot, ShipguardError } from '../kernel/index.js';
import { EcosystemError } from './errors.js';
import { folderOf, maxLockfileBytes } from './lockfile-text.js';
import { ecosystemForLockfile } from './registry.js';
import type { ExtractWarning, LockedPackage } from './types.js';

/** Manifests some extractors read beside their lockfile (direct dependencies, go.sum hashes). */
const siblingNames = ['package.json', 'pyproject.toml', 'Pipfile', 'go.sum', 'go.mod', 'composer.json'];

export interface LockfileSummary {
  path: string;
  ecosystem: string;
  packages: number;
}

export interface ScanResult {
  packages: LockedPackage[];
  lockfiles: LockfileSummary[];
  /** Lockfiles that could not be read: each a typed error with file and line. */
  errors: ShipguardError[];
  warnings: ExtractWarning[];
}

/** Files of the repository that an extractor reads, sorted. */
export function findLockfiles(repository: Pick<RepositorySnapshot, 'files'>): string[] {
  return repository.files.filter((path) => ecosystemForLockfile(baseName(path)) !== undefined);
}

/**
 * Extracts every lockfile in the repository. A malformed one becomes an error in the result and
 * the others go on; nothing is dropped silently.
 */
export async function scanRepository(repository: RepositorySnapshot): Promise<ScanResult> {
  const result: ScanResult = { packages: [], lockfiles: [], errors: [], warnings: [] };
  for (const path of findLockfiles(repository)) {
    const module = ecosystemForLockfile(baseName(path));
    if (!module?.extract) continue;
    const file = await repository.readText(path, maxLockfileBytes + 1);
    if (!file) {
      result.errors.push(
        new EcosystemError('LOCKFILE_MALFORMED', `${path} could not be read as text`, { location: { path } }),
      );
      continue;
    }
    if (file.truncated) {
      result.errors.push(
        new EcosystemError('LOCKFILE_TOO_LARGE', `${path} is larger than ${maxLockfileBytes} bytes`, {
          location: { path },
        }),
      );
      continue;
    }
    const folder = folderOf(path);
    const siblings = new Map<string, string>();
    for (const name of siblingNames) {
      const siblingPath = folder === '' ? name : `${folder}/${name}`;
      if (siblingPath === path || !repository.has(siblingPath)) continue;
      const sibling = await repository.readText(siblingPath, 8 * 1024 * 1024);
      if (sibling && !sibling.truncated) siblings.set(name, sibling.text);
    }
    try {
      const extracted = module.extract({ path, text: file.text, readSibling: (name) => siblings.get(name) });
      result.packages.push(...extracted.packages);
      result.warnings.push(...extracted.warnings);
      result.lockfiles.push({ path, ecosystem: module.id, packages: extracted.packages.length });
    } catch (error) {
      if (error instanceof ShipguardError) result.errors.push(error);
      else
        result.errors.push(
          new EcosystemError('LOCKFILE_MALFORMED', `${path}: ${(error as Error).message}`, {
            location: { path },
            cause: error,
          }),
        );
    }
  }
  return result;
}

const scans = new WeakMap<RepositorySnapshot, Promise<ScanResult>>();

/** scanRepository once per snapshot: the supply-chain collectors share one scan in an assessment. */
export function scanRepositoryOnce(repository: RepositorySnapshot): Promise<ScanResult> {
  let scan = scans.get(repository);
  if (!scan) {
    scan = scanRepository(repository);
    scans.set(repository, scan);
  }
  return scan;
}
