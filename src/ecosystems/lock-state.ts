import type { RepositorySnapshot } from '../kernel/index.js';
import {
  analyzePom,
  analyzeRequirements,
  cargoNeedsLock,
  composerNeedsLock,
  countIntegrity,
  declaresWorkspaces,
  gemfileNeedsLock,
  goModNeedsLock,
  gradleNeedsLock,
  isCargoWorkspace,
  isUvWorkspace,
  nugetNeedsLock,
  packageJsonNeedsLock,
  parseJson,
  pyprojectNeedsLock,
  type UnpinnedLine,
} from './lock-analysis.js';
import { type Ecosystem, findManifests, isRequirementsFile, type Manifest } from './manifests.js';

/** How a manifest's dependency versions are fixed, or why they are not. */
export type LockState =
  /** A lockfile fixes them: beside the manifest or at the root of its workspace. */
  | { state: 'locked'; lockfile: string }
  /** The manifest itself fixes every version (pinned requirements, literal Maven versions). */
  | { state: 'pinned'; reason: string }
  /** The manifest declares no dependencies. */
  | { state: 'not-needed'; reason: string }
  | { state: 'missing'; reason: string; unpinned: UnpinnedLine[] };

export type ManifestLock = { manifest: string; ecosystem: Ecosystem } & LockState;

export interface LockfileIntegrity {
  lockfile: string;
  /** False when the lockfile could not be read or parsed whole (too large, malformed). */
  readable: boolean;
  entries: number;
  withoutIntegrity: number;
}

export interface LockfilesFacts {
  manifests: ManifestLock[];
  /** For every package-lock.json or npm-shrinkwrap.json that locks a manifest. */
  integrity: LockfileIntegrity[];
}

const npmLockfiles = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'pnpm-lock.yaml',
  'yarn.lock',
  'bun.lock',
  'bun.lockb',
] as const;
const pythonLockfiles = ['poetry.lock', 'uv.lock', 'pdm.lock'] as const;

const maxManifestBytes = 1024 * 1024;
/** package-lock.json files of large monorepos run to tens of megabytes. */
const maxPackageLockBytes = 64 * 1024 * 1024;
/** Manifests read at the same time: enough to overlap I/O, few enough to stay clear of EMFILE. */
const readConcurrency = 8;

/** How every manifest's dependency versions are fixed (a lockfile, pinned lines, or not at all) and npm lockfiles' integrity. */
export async function readLockState(repository: RepositorySnapshot): Promise<LockfilesFacts> {
  const resolver = new LockResolver(repository);
  const manifests = await mapWithConcurrency(findManifests(repository), readConcurrency, (manifest) =>
    resolver.resolve(manifest),
  );
  const npmLocks = new Set<string>();
  for (const manifest of manifests) {
    if (manifest.state === 'locked' && /(^|\/)(package-lock|npm-shrinkwrap)\.json$/.test(manifest.lockfile)) {
      npmLocks.add(manifest.lockfile);
    }
  }
  const integrity: LockfileIntegrity[] = [];
  for (const lockfile of [...npmLocks].sort()) integrity.push(await readIntegrity(repository, lockfile));
  return { manifests, integrity };
}

async function readIntegrity(repository: RepositorySnapshot, lockfile: string): Promise<LockfileIntegrity> {
  const file = await repository.readText(lockfile, maxPackageLockBytes);
  const parsed = file && !file.truncated ? parseJson(file.text) : undefined;
  const count = parsed?.ok ? countIntegrity(parsed.value) : undefined;
  if (!count) return { lockfile, readable: false, entries: 0, withoutIntegrity: 0 };
  return { lockfile, readable: true, ...count };
}

/** Decides each manifest's lock state; reads (and caches) the files that takes. */
class LockResolver {
  private readonly jsonCache = new Map<string, Promise<unknown>>();

  constructor(private readonly repository: RepositorySnapshot) {}

  async resolve(manifest: Manifest): Promise<ManifestLock> {
    const state = await this.stateOf(manifest);
    return { manifest: manifest.path, ecosystem: manifest.ecosystem, ...state };
  }

  private async stateOf({ path, ecosystem }: Manifest): Promise<LockState> {
    const folder = parentFolder(path);
    const text = await this.text(path);
    if (text === undefined) {
      // Unreadable (the snapshot records why): judge by the files around it alone.
      return this.besideOrMissing(folder, lockfilesFor(path, ecosystem), 'manifest could not be read');
    }
    switch (ecosystem) {
      case 'npm':
        return this.resolveNpm(path, folder);
      case 'pypi':
        return this.resolvePython(path, folder, text);
      case 'go':
        if (!goModNeedsLock(text)) return notNeeded('go.mod requires no modules');
        return this.besideOrMissing(folder, ['go.sum'], 'no go.sum beside go.mod');
      case 'cargo': {
        if (!cargoNeedsLock(text)) return notNeeded('Cargo.toml declares no dependencies');
        const beside = this.beside(folder, ['Cargo.lock']);
        if (beside) return beside;
        const root = await this.workspaceRoot(
          folder,
          ['Cargo.lock'],
          this.rootWhere('Cargo.toml', isCargoWorkspace),
        );
        return root ?? missing('no Cargo.lock beside Cargo.toml or at a workspace root');
      }
      case 'maven': {
        const unpinned = analyzePom(text);
        if (unpinned.length === 0)
          return { state: 'pinned', reason: 'Maven has no lockfile; every version is literal' };
        return {
          state: 'missing',
          reason: 'version ranges or moving versions (Maven has no lockfile)',
          unpinned,
        };
      }
      case 'gradle': {
        if (!gradleNeedsLock(text)) return notNeeded('no dependencies block');
        const beside = this.beside(folder, ['gradle.lockfile']);
        if (beside) return beside;
        const legacy = join(folder, 'gradle/dependency-locks/');
        const lockfile = this.repository.files.find(
          (file) => file.startsWith(legacy) && file.endsWith('.lockfile'),
        );
        return lockfile
          ? { state: 'locked', lockfile }
          : missing('no gradle.lockfile (dependency locking is off)');
      }
      case 'rubygems':
        if (!gemfileNeedsLock(text)) return notNeeded('no gem declared');
        return this.besideOrMissing(
          folder,
          lockfilesFor(path, ecosystem),
          'no Gemfile.lock (or gems.locked) beside it',
        );
      case 'composer': {
        const json = parseJson(text);
        if (json.ok && !composerNeedsLock(json.value)) return notNeeded('requires no packages');
        return this.besideOrMissing(folder, ['composer.lock'], 'no composer.lock beside composer.json');
      }
      case 'nuget':
        if (!nugetNeedsLock(text)) return notNeeded('no package references');
        return this.besideOrMissing(
          folder,
          ['packages.lock.json'],
          'no packages.lock.json (RestorePackagesWithLockFile is off)',
        );
    }
  }

  private async resolveNpm(path: string, folder: string): Promise<LockState> {
    const json = await this.json(path);
    if (json !== undefined && !packageJsonNeedsLock(json)) return notNeeded('declares no dependencies');
    const beside = this.beside(folder, npmLockfiles);
    if (beside) return beside;
    const root = await this.workspaceRoot(folder, npmLockfiles, async (candidate) => {
      if (this.repository.has(join(candidate, 'pnpm-workspace.yaml'))) return true;
      return declaresWorkspaces(await this.json(join(candidate, 'package.json')));
    });
    return root ?? missing('no lockfile beside package.json or at a workspace root');
  }

  private async resolvePython(path: string, folder: string, text: string): Promise<LockState> {
    if (isRequirementsFile(path)) {
      const { requirements, unpinned } = analyzeRequirements(text);
      if (requirements === 0) return notNeeded('lists no requirements');
      if (unpinned.length === 0) return { state: 'pinned', reason: 'every requirement is pinned with ==' };
      return {
        state: 'missing',
        reason: `${unpinned.length} of ${requirements} requirements are not pinned`,
        unpinned,
      };
    }
    if (path.endsWith('Pipfile'))
      return this.besideOrMissing(folder, ['Pipfile.lock'], 'no Pipfile.lock beside the Pipfile');
    if (!pyprojectNeedsLock(text)) return notNeeded('declares no dependencies');
    const beside = this.beside(folder, pythonLockfiles);
    if (beside) return beside;
    const root = await this.workspaceRoot(
      folder,
      ['uv.lock'],
      this.rootWhere('pyproject.toml', isUvWorkspace),
    );
    return root ?? missing('no poetry.lock, uv.lock or pdm.lock beside pyproject.toml');
  }

  private beside(folder: string, names: readonly string[]): LockState | undefined {
    for (const name of names) {
      const lockfile = join(folder, name);
      if (this.repository.has(lockfile)) return { state: 'locked', lockfile };
    }
    return undefined;
  }

  private besideOrMissing(folder: string, names: readonly string[], reason: string): LockState {
    return this.beside(folder, names) ?? missing(reason);
  }

  /** Walks up from `folder` to a folder holding one of `lockfiles` that `isRoot` says is a workspace root. */
  private async workspaceRoot(
    folder: string,
    lockfiles: readonly string[],
    isRoot: (candidate: string) => Promise<boolean>,
  ): Promise<LockState | undefined> {
    let candidate = folder;
    while (candidate !== '') {
      candidate = parentFolder(candidate);
      const locked = this.beside(candidate, lockfiles);
      if (locked && (await isRoot(candidate))) return locked;
    }
    return undefined;
  }

  /** A workspace root recognised by the text of its manifest. */
  private rootWhere(manifestName: string, test: (text: string) => boolean) {
    return async (candidate: string) => test((await this.text(join(candidate, manifestName))) ?? '');
  }

  private async text(path: string): Promise<string | undefined> {
    if (!this.repository.has(path)) return undefined;
    return (await this.repository.readText(path, maxManifestBytes))?.text;
  }

  /** Parsed JSON, or undefined when the file is absent, unreadable or malformed. */
  private json(path: string): Promise<unknown> {
    let cached = this.jsonCache.get(path);
    if (!cached) {
      cached = this.text(path).then((text) => {
        if (text === undefined) return undefined;
        const parsed = parseJson(text);
        return parsed.ok ? parsed.value : undefined;
      });
      this.jsonCache.set(path, cached);
    }
    return cached;
  }
}

/** Lockfile names for manifests judged without reading them. */
function lockfilesFor(path: string, ecosystem: Ecosystem): readonly string[] {
  switch (ecosystem) {
    case 'npm':
      return npmLockfiles;
    case 'pypi':
      return path.endsWith('Pipfile') ? ['Pipfile.lock'] : pythonLockfiles;
    case 'go':
      return ['go.sum'];
    case 'cargo':
      return ['Cargo.lock'];
    case 'gradle':
      return ['gradle.lockfile'];
    case 'rubygems':
      return path.endsWith('gems.rb') ? ['gems.locked'] : ['Gemfile.lock'];
    case 'composer':
      return ['composer.lock'];
    case 'nuget':
      return ['packages.lock.json'];
    case 'maven':
      return [];
  }
}

function notNeeded(reason: string): LockState {
  return { state: 'not-needed', reason };
}

function missing(reason: string): LockState {
  return { state: 'missing', reason, unpinned: [] };
}

function parentFolder(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

function join(folder: string, name: string): string {
  return folder === '' ? name : `${folder}/${name}`;
}

async function mapWithConcurrency<Item, Result>(
  items: readonly Item[],
  limit: number,
  map: (item: Item) => Promise<Result>,
): Promise<Result[]> {
  const results: Result[] = new Array(items.length);
  let next = 0;
  async function work(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index] as Item);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, work));
  return results;
}
