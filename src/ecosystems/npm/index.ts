import type { EcosystemModule } from '../types.js';
import { extractPackageLock } from './extract.js';
import { compareSemver } from './version.js';

export const npmEcosystem: EcosystemModule = {
  id: 'npm',
  title: 'npm (package-lock.json, npm-shrinkwrap.json)',
  osvEcosystem: 'npm',
  lockfileNames: ['package-lock.json', 'npm-shrinkwrap.json'],
  extract: extractPackageLock,
  compareVersions: compareSemver,
};
export { npmPurl } from './extract.js';
export { comparePrerelease, compareSemver, compareSemverLike, maxVersionLength } from './version.js';
