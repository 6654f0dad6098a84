import type { Collector } from '../types.js';
import { dependencyUpdatesConfigured } from './checks.js';
import { collectDependencyUpdates, type DependencyUpdatesFacts } from './collect.js';

export const dependencyUpdatesCollector: Collector<DependencyUpdatesFacts> = {
  id: 'dependency-updates',
  title: 'Automated dependency updates',
  collect: collectDependencyUpdates,
  checks: [dependencyUpdatesConfigured],
};
