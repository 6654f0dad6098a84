import type { EcosystemDefinition } from '../types.js';
import { extractNuGetLock } from './extract.js';
import { compareNuGetVersions } from './version.js';

export const nugetEcosystem: EcosystemDefinition = {
  title: 'NuGet (packages.lock.json)',
  osvEcosystem: 'NuGet',
  lockfileNames: ['packages.lock.json'],
  extract: extractNuGetLock,
  compareVersions: compareNuGetVersions,
};
