import { compareSemver } from '../npm/version.js';

/** pnpm installs npm packages: SemVer 2.0.0. */
export const comparePnpmVersions = compareSemver;
