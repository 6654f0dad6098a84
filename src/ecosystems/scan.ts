import { matchesGlob } from 'node:path';
import { baseName, type RepositorySnapshot, ShipguardError } from '../kernel/index.js';
import type { StoreAccess } from '../store/index.js';
import { EcosystemError } from './errors.js';
import { type ExtractionCache, extractionCacheOf, extractionDigest } from './extraction-cache.js';
import { readLockState } from './lock-state.js';
import { folderOf, maxLockfileBytes } from './lockfile-text.js';
import { ecosystemForLockfile, unreadLockfileEcosystem } from './registry.js';
import type { EcosystemModule, ExtractResult, ExtractWarning, LockedPackage } from './types.js';

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
  /** Lockfiles left out (fixtures, `--exclude`), each with why: never silently. */
  excluded: Array<{ path: string; reason: string }>;
  /** Lockfiles that could not be read: each a typed error with file and line. */
  errors: ShipguardError[];
  warnings: ExtractWarning[];
}

/** Which lockfiles describe the software: fixtures and examples are not what ships. */
export interface ScanScope {
  /** Also read lockfiles in test fixtures, test data, examples and vendored folders. */
  includeFixtures?: boolean;
  /** Globs (relative to the repository root) of lockfiles to leave out. */
  exclude?: readonly string[];
}

export interface ScanCaches {
  /** Extractions of lockfiles read before, by digest of their text: an unchanged lockfile is not parsed again. */
  extractions?: ExtractionCache;
}

/** Folders whose lockfiles describe test inputs, examples or someone else's code, not this software. */
const fixtureSegments = new Set([
  'node_modules',
  'bower_components',
  'vendor',
  'third_party',
  'third-party',
  '__fixtures__',
  'fixtures',
  'fixture',
  'testdata',
  'test-data',
  '__tests__',
  'test',
  'tests',
  'spec',
  'e2e',
  'integration-tests',
  'examples',
  'example',
  'samples',
  'sample',
]);

/** Why a lockfile is left out of the scan, or undefined when it is read. */
export function lockfileExclusion(path: string, scope: ScanScope = {}): string | undefined {
  const pattern = scope.exclude?.find((glob) => matchesGlob(path, glob));
  if (pattern !== undefined) return `excluded by --exclude ${pattern}`;
  if (scope.includeFixtures) return undefined;
  const folder = path
    .split('/')
    .slice(0, -1)
    .find((segment) => fixtureSegments.has(segment.toLowerCase()));
  return folder === undefined
    ? undefined
    : `in a ${folder}/ folder (test fixtures, examples and vendored code are not what ships; --include-fixtures reads it)`;
}

/** Files of the repository that an extractor reads, sorted. */
export function findLockfiles(repository: Pick<RepositorySnapshot, 'files'>): string[] {
  return repository.files.filter((path) => ecosystemForLockfile(baseName(path)) !== undefined);
}

/**
 * Extracts every lockfile in the repository. A malformed one becomes an error in the result and
 * the others go on; nothing is dropped silently.
 */
export async function scanRepository(
  repository: RepositorySnapshot,
  scope: ScanScope = {},
  caches: ScanCaches = {},
): Promise<ScanResult> {
  const result: ScanResult = { packages: [], lockfiles: [], excluded: [], errors: [], warnings: [] };
  for (const path of repository.files) {
    // A lockfile we know but cannot read: its packages would be missing, so say so.
    const unread = unreadLockfileEcosystem(baseName(path));
    if (!unread || lockfileExclusion(path, scope) !== undefined) continue;
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
    const exclusion = lockfileExclusion(path, scope);
    if (exclusion !== undefined) {
      result.excluded.push({ path, reason: exclusion });
      continue;
    }
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
      const extracted = await extractOnce(
        { id: module.id, extract: module.extract },
        { path, text: file.text, siblings },
        caches.extractions,
      );
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

/**
 * The extractor's result, from the cache when the same input was extracted before. The cache is
 * only a shortcut: when it cannot be read or written, the lockfile is simply parsed.
 */
async function extractOnce(
  extractor: { id: string; extract: NonNullable<EcosystemModule['extract']> },
  input: { path: string; text: string; siblings: ReadonlyMap<string, string> },
  cache: ExtractionCache | undefined,
): Promise<ExtractResult> {
  const extract = () =>
    extractor.extract({
      path: input.path,
      text: input.text,
      readSibling: (name) => input.siblings.get(name),
    });
  if (!cache) return extract();
  const digest = extractionDigest({ extractor: extractor.id, ...input });
  const cached = await cache.get(digest).catch(() => undefined);
  if (cached) return cached;
  const extracted = extract();
  await cache.put(digest, extracted).catch(() => {});
  return extracted;
}

const scans = new WeakMap<RepositorySnapshot, Promise<ScanResult>>();

/**
 * scanRepository once per snapshot: the supply-chain collectors share one scan in an assessment.
 * The first caller's context names the store whose extraction cache the scan uses; every
 * collector passes its own, which is the assessment's.
 */
export function scanRepositoryOnce(
  repository: RepositorySnapshot,
  context?: { store?: StoreAccess; now: Date },
): Promise<ScanResult> {
  let scan = scans.get(repository);
  if (!scan) {
    const cache = context?.store
      ? extractionCacheOf(context.store, context.now).catch(() => undefined)
      : Promise.resolve(undefined);
    scan = cache.then((extractions) => scanRepository(repository, {}, extractions ? { extractions } : {}));
    scans.set(repository, scan);
  }
  return scan;
}

/**
 * Manifests that declare dependencies no lockfile fixes: what they depend on cannot be listed, so
 * an SBOM without them is incomplete and says so, rather than listing nothing at exit 0.
 */
export async function unlockedManifests(
  repository: RepositorySnapshot,
  scope: ScanScope = {},
): Promise<EcosystemError[]> {
  const { manifests } = await readLockState(repository);
  return manifests.flatMap((manifest) =>
    manifest.state === 'missing' && lockfileExclusion(manifest.manifest, scope) === undefined
      ? [
          new EcosystemError(
            'LOCKFILE_MISSING',
            `${manifest.manifest} declares dependencies but no lockfile fixes them (${manifest.reason}), so they are missing from the SBOM`,
            { location: { path: manifest.manifest } },
          ),
        ]
      : [],
  );
}
