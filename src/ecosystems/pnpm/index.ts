import type { EcosystemDefinition } from '../types.js';
import { extractPnpmLock } from './extract.js';
import { comparePnpmVersions } from './version.js';
import { pnpmLockedVersions } from './versions.js';

export const pnpmEcosystem: EcosystemDefinition = {
  title: 'pnpm (pnpm-lock.yaml)',
  osvEcosystem: 'npm',
  lockfileNames: ['pnpm-lock.yaml'],
  extract: extractPnpmLock,
  lockedVersions: pnpmLockedVersions,
  compareVersions: comparePnpmVersions,
};
