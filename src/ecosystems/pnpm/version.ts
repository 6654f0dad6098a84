import { compareSemver } from '../npm/index.js';

/** pnpm installs npm packages: SemVer 2.0.0. */
export const comparePnpmVersions = compareSemver;
