import { baseName, type RepositorySnapshot } from '../kernel/index.js';
import { isRequirementsFile } from './pypi/index.js';

export { isRequirementsFile };

/**
 * The tool a manifest belongs to, which decides how its versions are locked. Not the registry's
 * ecosystem ids: Gradle and Maven share the maven folder (one OSV ecosystem) but lock differently.
 */
export type ManifestEcosystem =
  | 'npm'
  | 'pypi'
  | 'go'
  | 'cargo'
  | 'maven'
  | 'gradle'
  | 'rubygems'
  | 'composer'
  | 'nuget';

export interface Manifest {
  path: string;
  ecosystem: ManifestEcosystem;
}

/** Where manifests are not looked for (for `absence` evidence). */
export const skippedFolders =
  'working tree, outside node_modules, vendor, __fixtures__, fixtures and testdata';

/** The manifest names looked for, as patterns a reader understands (for `absence` evidence). */
export const manifestNames = [
  'package.json',
  'pyproject.toml',
  'Pipfile',
  'requirements*.txt',
  'requirements/*.txt',
  'go.mod',
  'Cargo.toml',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
  'Gemfile',
  'gems.rb',
  'composer.json',
  '*.csproj',
  '*.fsproj',
  '*.vbproj',
  'packages.config',
] as const;

/**
 * Dependency folders (what lies there belongs to other projects) and test-fixture folders (sample
 * manifests that are data for tests, never installed).
 */
const skippedSegments = new Set(['node_modules', 'vendor', '__fixtures__', 'fixtures', 'testdata']);

const exactNames: ReadonlyMap<string, ManifestEcosystem> = new Map([
  ['package.json', 'npm'],
  ['pyproject.toml', 'pypi'],
  ['Pipfile', 'pypi'],
  ['go.mod', 'go'],
  ['Cargo.toml', 'cargo'],
  ['pom.xml', 'maven'],
  ['build.gradle', 'gradle'],
  ['build.gradle.kts', 'gradle'],
  ['Gemfile', 'rubygems'],
  ['gems.rb', 'rubygems'],
  ['composer.json', 'composer'],
  ['packages.config', 'nuget'],
]);

/** The ecosystem of a manifest at `path`, or undefined when the file is not a manifest. */
export function manifestEcosystem(path: string): ManifestEcosystem | undefined {
  const name = baseName(path);
  const exact = exactNames.get(name);
  if (exact) return exact;
  if (isRequirementsFile(path)) return 'pypi';
  if (/\.(cs|fs|vb)proj$/.test(name)) return 'nuget';
  return undefined;
}

/** True inside dependency, vendored and fixture folders (their manifests describe something else). */
export function isInSkippedFolder(path: string): boolean {
  return path.split('/').some((segment) => skippedSegments.has(segment));
}

/** Every manifest in the tree, outside dependency and fixture folders, in path order. */
export function findManifests(repository: RepositorySnapshot): Manifest[] {
  const manifests: Manifest[] = [];
  for (const path of repository.files) {
    const ecosystem = manifestEcosystem(path);
    if (ecosystem && !isInSkippedFolder(path)) manifests.push({ path, ecosystem });
  }
  return manifests;
}
