import type { Collector } from '../types.js';
import { lockfilesPresent } from './checks.js';
import { collectLockfiles, type LockfilesFacts } from './collect.js';

export const lockfilesCollector: Collector<LockfilesFacts> = {
  id: 'lockfiles',
  title: 'Locked dependency versions',
  collect: collectLockfiles,
  checks: [lockfilesPresent],
};
