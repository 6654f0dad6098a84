import { compareSemver } from '../npm/index.js';

/** Yarn installs npm packages: SemVer 2.0.0. */
export const compareYarnVersions = compareSemver;
