import type { EcosystemDefinition } from '../types.js';
import { extractCargoLock } from './extract.js';
import { compareCargoVersions } from './version.js';

export const cargoEcosystem: EcosystemDefinition = {
  title: 'Cargo (Cargo.lock)',
  osvEcosystem: 'crates.io',
  lockfileNames: ['Cargo.lock'],
  extract: extractCargoLock,
  compareVersions: compareCargoVersions,
};
