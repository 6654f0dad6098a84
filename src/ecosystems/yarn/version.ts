import { compareSemver } from '../npm/version.js';

/** Yarn installs npm packages: SemVer 2.0.0. */
export const compareYarnVersions = compareSemver;
