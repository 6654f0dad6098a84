import type { EcosystemModule } from '../types.js';
import { compareDebianVersions } from './version.js';

/** Version ordering only: Debian packages come from images, not lockfiles. */
export const debianEcosystem: EcosystemModule = {
  id: 'debian',
  title: 'Debian (version ordering for advisories)',
  osvEcosystem: 'Debian',
  lockfileNames: [],
  compareVersions: compareDebianVersions,
};
