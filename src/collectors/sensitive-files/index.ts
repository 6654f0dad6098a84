import type { Collector } from '../types.js';
import { sensitiveFilesIgnored, sensitiveFilesNotCommitted } from './checks.js';
import { collectSensitiveFiles, type SensitiveFilesFacts } from './collect.js';

export const sensitiveFilesCollector: Collector<SensitiveFilesFacts> = {
  id: 'sensitive-files',
  title: 'Credential files: ignored by git and not committed',
  collect: collectSensitiveFiles,
  checks: [sensitiveFilesIgnored, sensitiveFilesNotCommitted],
};
