import type { EcosystemModule } from '../types.js';
import { extractYarnLock } from './extract.js';
import { compareYarnVersions } from './version.js';

export const yarnEcosystem: EcosystemModule = {
  id: 'yarn',
  title: 'Yarn classic and berry (yarn.lock)',
  osvEcosystem: 'npm',
  lockfileNames: ['yarn.lock'],
  extract: extractYarnLock,
  compareVersions: compareYarnVersions,
};
