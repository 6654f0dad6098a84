import type { Collector } from '../types.js';
import { historyClean, workingTreeClean } from './checks.js';
import { collectSecrets, type SecretsFacts } from './collect.js';

export const secretsCollector: Collector<SecretsFacts> = {
  id: 'secrets',
  title: 'Leaked credentials in the working tree and git history',
  collect: collectSecrets,
  checks: [workingTreeClean, historyClean],
};
