import type { EcosystemDefinition } from '../types.js';
import { extractPackageLock } from './extract.js';
import { compareSemver } from './version.js';

export const npmEcosystem: EcosystemDefinition = {
  title: 'npm (package-lock.json, npm-shrinkwrap.json)',
  osvEcosystem: 'npm',
  lockfileNames: ['package-lock.json', 'npm-shrinkwrap.json'],
  extract: extractPackageLock,
  unreadLockfileNames: ['bun.lock', 'bun.lockb'],
  frameworks: [{ package: '@angular/core', product: 'angular', title: 'Angular' }],
  compareVersions: compareSemver,
};
export { npmPurl } from './extract.js';
export { comparePrerelease, compareSemver, compareSemverLike, maxVersionLength } from './version.js';
