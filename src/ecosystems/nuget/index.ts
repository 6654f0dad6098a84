import type { EcosystemModule } from '../types.js';
import { extractNuGetLock } from './extract.js';
import { compareNuGetVersions } from './version.js';

export const nugetEcosystem: EcosystemModule = {
  id: 'nuget',
  title: 'NuGet (packages.lock.json)',
  osvEcosystem: 'NuGet',
  lockfileNames: ['packages.lock.json'],
  extract: extractNuGetLock,
  compareVersions: compareNuGetVersions,
};
