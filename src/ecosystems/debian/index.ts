import type { EcosystemDefinition } from '../types.js';
import { compareDebianVersions } from './version.js';

/** Version ordering only: Debian packages come from images, not lockfiles. */
export const debianEcosystem: EcosystemDefinition = {
  title: 'Debian (version ordering for advisories)',
  osvEcosystem: 'Debian',
  lockfileNames: [],
  compareVersions: compareDebianVersions,
};
