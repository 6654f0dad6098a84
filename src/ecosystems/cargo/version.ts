import { compareSemver } from '../npm/index.js';

/** Cargo versions are SemVer 2.0.0. */
export const compareCargoVersions = compareSemver;
