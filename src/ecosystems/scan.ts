import { baseName, type RepositorySnapshot, ShipguardError } from '../kernel/index.js';
import { EcosystemError } from './errors.js';
import { folderOf, maxLockfileBytes } from './lockfile-text.js';
import { ecosystemForLockfile, unreadLockfileEcosystem } from './registry.js';
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
  for (const path of repository.files) {
    // A lockfile we know but cannot read: its packages would be missing, so say so.
    const unread = unreadLockfileEcosystem(baseName(path));
    if (!unread) continue;
    result.errors.push(
      new EcosystemError(
        'LOCKFILE_UNSUPPORTED',
        `${path}: shipguard cannot read this ${unread.id} lockfile yet, so the packages it locks are missing from the SBOM and the vulnerability scan`,
        { location: { path } },
      ),
    );
  }
  for (const path of findLockfiles(repository)) {
    const module = ecosystemForLockfile(baseName(path));
    if (!module?.extract) continue;
    const file = await repository.readText(path, maxLockfileBytes + 1);
    if (!file) {
      result.errors.push(
        new EcosystemError(
          'LOCKFILE_MALFORMED',
          `${path} could not be read as text${readReason(repository, path)}`,
          {
            location: { path },
          },
        ),
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
      const sibling = await repository.readText(siblingPath, maxLockfileBytes + 1);
      if (sibling && !sibling.truncated) siblings.set(name, sibling.text);
      else {
        // What the lockfile's packages are checked against was not read: said, not skipped.
        result.errors.push(
          new EcosystemError(
            sibling ? 'LOCKFILE_TOO_LARGE' : 'LOCKFILE_MALFORMED',
            sibling
              ? `${siblingPath} is larger than ${maxLockfileBytes} bytes`
              : `${siblingPath} could not be read as text${readReason(repository, siblingPath)}`,
            { location: { path: siblingPath } },
          ),
        );
      }
    }
    try {
      const extracted = module.extract({ path, text: file.text, readSibling: (name) => siblings.get(name) });
      // Not push(...list): a spread of 125,000 packages overflows the call stack.
      for (const item of extracted.packages) result.packages.push(item);
      for (const warning of extracted.warnings) result.warnings.push(warning);
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

/** Why the snapshot could not read a file (a link out of the repository, a FIFO, binary), if it said. */
function readReason(repository: RepositorySnapshot, path: string): string {
  const problem = repository.problems.find((candidate) => candidate.location?.path === path);
  return problem ? ` (${problem.code})` : '';
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
