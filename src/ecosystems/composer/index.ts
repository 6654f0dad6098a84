import type { EcosystemDefinition } from '../types.js';
import { extractComposerLock } from './extract.js';
import { compareComposerVersions } from './version.js';

export const composerEcosystem: EcosystemDefinition = {
  title: 'Composer (composer.lock)',
  osvEcosystem: 'Packagist',
  lockfileNames: ['composer.lock'],
  extract: extractComposerLock,
  compareVersions: compareComposerVersions,
};
