import type { Collector } from '../types.js';
import { environmentsSeparated } from './checks.js';
import { collectEnvironments, type EnvironmentsFacts } from './collect.js';

export const environmentsCollector: Collector<EnvironmentsFacts> = {
  id: 'environments',
  title: 'Environment separation: production jobs, secrets, hosts and configuration',
  collect: collectEnvironments,
  checks: [environmentsSeparated],
};
