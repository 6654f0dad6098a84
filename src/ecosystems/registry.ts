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
import type { CompareVersions, EcosystemModule, OsvEcosystem } from './types.js';
import { yarnEcosystem } from './yarn/index.js';

/**
 * Every ecosystem, by folder name. One explicit map: a test proves each folder under
 * src/ecosystems/ is registered here.
 */
export const ecosystems: Readonly<Record<string, EcosystemModule>> = {
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
