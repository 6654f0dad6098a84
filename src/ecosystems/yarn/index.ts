import type { EcosystemDefinition } from '../types.js';
import { extractYarnLock } from './extract.js';
import { compareYarnVersions } from './version.js';

export const yarnEcosystem: EcosystemDefinition = {
  title: 'Yarn classic and berry (yarn.lock)',
  osvEcosystem: 'npm',
  lockfileNames: ['yarn.lock'],
  extract: extractYarnLock,
  compareVersions: compareYarnVersions,
};
