import { cargoEcosystem } from './cargo/index.js';
import { composerEcosystem } from './composer/index.js';
import { debianEcosystem } from './debian/index.js';
import { goEcosystem } from './go/index.js';
import { mavenEcosystem } from './maven/index.js';
import { npmEcosystem } from './npm/index.js';
import { nugetEcosystem } from './nuget/index.js';
import { pnpmEcosystem } from './pnpm/index.js';
import { pypiEcosystem } from './pypi/index.js';
import { rubygemsEcosystem } from './rubygems/index.js';
import type {
  CompareVersions,
  EcosystemDefinition,
  EcosystemModule,
  Framework,
  OsvEcosystem,
} from './types.js';
import { yarnEcosystem } from './yarn/index.js';

/**
 * Every ecosystem's definition, by folder name. One explicit map: a test proves each folder under
 * src/ecosystems/ is registered here.
 */
const definitions: Readonly<Record<string, EcosystemDefinition>> = {
  npm: npmEcosystem,
  pnpm: pnpmEcosystem,
  yarn: yarnEcosystem,
  pypi: pypiEcosystem,
  go: goEcosystem,
  cargo: cargoEcosystem,
  maven: mavenEcosystem,
  rubygems: rubygemsEcosystem,
  nuget: nugetEcosystem,
  composer: composerEcosystem,
  debian: debianEcosystem,
};

/** Every ecosystem, by folder name, its id taken from the key it is registered under. */
export const ecosystems: Readonly<Record<string, EcosystemModule>> = Object.fromEntries(
  Object.entries(definitions).map(([id, definition]) => [id, { id, ...definition }]),
);

const comparators = new Map<string, CompareVersions>();
for (const module of Object.values(ecosystems)) {
  if (!comparators.has(module.osvEcosystem)) comparators.set(module.osvEcosystem, module.compareVersions);
}

/** The version order of an OSV ecosystem (`npm`, `PyPI`, …); undefined when shipguard has none. */
export function versionOrderFor(ecosystem: OsvEcosystem | string): CompareVersions | undefined {
  // OSV qualifies some ecosystems with a release: `Debian:12`.
  return comparators.get(ecosystem) ?? comparators.get(ecosystem.split(':')[0] ?? '');
}

/** The ecosystem whose extractor reads a file with this base name. */
export function ecosystemForLockfile(baseName: string): EcosystemModule | undefined {
  for (const module of Object.values(ecosystems)) {
    if (!module.extract) continue;
    if (module.lockfileNames.includes(baseName) || module.matchesLockfile?.(baseName)) return module;
  }
  return undefined;
}

/** Every lockfile name that locks a project of this OSV ecosystem, read by an extractor or not. */
export function lockfileNamesOf(ecosystem: OsvEcosystem): string[] {
  const modules = Object.values(ecosystems).filter((module) => module.osvEcosystem === ecosystem);
  return [
    ...modules.flatMap((module) => module.lockfileNames),
    ...modules.flatMap((module) => module.unreadLockfileNames ?? []),
  ];
}

/** The ecosystem that declares `baseName` as a lockfile it cannot read, if any. */
export function unreadLockfileEcosystem(baseName: string): EcosystemModule | undefined {
  return Object.values(ecosystems).find((module) => module.unreadLockfileNames?.includes(baseName));
}

/** The framework a package of an OSV ecosystem carries, if it is one with its own lifecycle. */
export function frameworkOf(ecosystem: string, packageName: string): Framework | undefined {
  for (const module of Object.values(ecosystems)) {
    if (module.osvEcosystem !== ecosystem) continue;
    const framework = module.frameworks?.find((candidate) => candidate.package === packageName);
    if (framework) return framework;
  }
  return undefined;
}
