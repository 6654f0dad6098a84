import type { Collector } from '../types.js';
import { backupsRecent } from './checks.js';
import { type BackupFacts, collectBackups } from './collect.js';

export const backupsCollector: Collector<BackupFacts> = {
  id: 'backups',
  title: 'Repository backups (bundles and mirrors)',
  collect: collectBackups,
  checks: [backupsRecent],
};
