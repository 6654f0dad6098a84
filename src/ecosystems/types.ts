/**
 * What every ecosystem folder declares (index.ts) and provides (extract.ts, version.ts).
 * One explicit registry in ./index.ts; a test proves every folder on disk is registered.
 */

/** Whether a package is needed at run time, only to develop, or only when available. */
export type PackageScope = 'prod' | 'dev' | 'optional';

/** One resolved package, as a lockfile pins it. */
export interface LockedPackage {
  /** The ecosystem's own name: `lodash`, `@types/node`, `org.apache.commons:commons-lang3`. */
  name: string;
  version: string;
  /** package-url (https://github.com/package-url/purl-spec). */
  purl: string;
  /** The OSV ecosystem name advisories use for it (`npm`, `PyPI`, `crates.io`, …). */
  ecosystem: OsvEcosystem;
  /** Declared by a manifest of the project itself, not only pulled in by another package. */
  direct: boolean;
  scope: PackageScope;
  /** SRI-style or algorithm-prefixed hash from the lockfile, when it records one. */
  integrity?: string;
  /** Lockfile path (relative, forward slashes) and the 1-based line of the entry. */
  location: { path: string; line: number };
  /** Names (`name@version` keys, see packageKey) of the packages this one depends on, when known. */
  dependencies?: string[];
}

/** The OSV ecosystem names shipguard understands (https://ossf.github.io/osv-schema/#affectedpackage-field). */
export const osvEcosystems = [
  'npm',
  'PyPI',
  'Go',
  'crates.io',
  'Maven',
  'RubyGems',
  'NuGet',
  'Packagist',
  'Debian',
] as const;
export type OsvEcosystem = (typeof osvEcosystems)[number];

/** A warning met while extracting: an unknown lockfile version read best-effort, a skipped entry. */
export interface ExtractWarning {
  code: 'LOCKFILE_VERSION_UNKNOWN' | 'LOCKFILE_ENTRY_SKIPPED' | 'LOCKFILE_TRUNCATED';
  message: string;
  location: { path: string; line?: number };
}

export interface ExtractResult {
  packages: LockedPackage[];
  warnings: ExtractWarning[];
}

/** A lockfile's text with its repository-relative path. */
export interface LockfileInput {
  path: string;
  text: string;
  /** Other files of the repository, for lockfiles that need their manifest (go.mod beside go.sum). */
  readSibling?: (name: string) => string | undefined;
}

/** Total order on one ecosystem's versions: negative, zero or positive like Array#sort. */
export type CompareVersions = (left: string, right: string) => number;

export interface EcosystemModule extends EcosystemDefinition {
  /** The folder name, e.g. `npm`, `pypi`: the key the registry holds the definition under. */
  id: string;
}

/** What an ecosystem's folder declares; the registry adds its id, so the two cannot disagree. */
export interface EcosystemDefinition {
  title: string;
  osvEcosystem: OsvEcosystem;
  /** Base names of the files extract() reads; empty for version-only ecosystems (Debian). */
  lockfileNames: readonly string[];
  /** A predicate for lockfiles that are known by a pattern rather than a name (requirements*.txt). */
  matchesLockfile?: (baseName: string) => boolean;
  extract?: (input: LockfileInput) => ExtractResult;
  /**
   * Only the name and version of each locked package, for reading many historical versions
   * quickly (src/vulns lockfile history): no scopes, edges or lines. Throws like `extract` on a
   * file it cannot read. Without it, history uses `extract`.
   */
  lockedVersions?: (input: LockfileInput) => Array<{ name: string; version: string }>;
  /**
   * Lockfiles of this ecosystem's projects that lock versions but that no extractor here reads
   * (bun.lock): they count as a lock, and a scan that meets one says so instead of passing over it.
   */
  unreadLockfileNames?: readonly string[];
  /** Frameworks with their own support lifecycle, by the package that carries their version. */
  frameworks?: readonly Framework[];
  compareVersions: CompareVersions;
}

/** A framework whose version a package carries; `product` is its end-of-life dataset id. */
export interface Framework {
  package: string;
  product: string;
  title: string;
}

/** The `name@version` key packages use to name their dependencies. */
export function packageKey(name: string, version: string): string {
  return `${name}@${version}`;
}
