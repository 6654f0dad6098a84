import type { Collector } from '../types.js';
import { dependenciesSupported } from './checks.js';
import { collectDependencies, type DependenciesFacts } from './collect.js';

export const dependenciesCollector: Collector<DependenciesFacts> = {
  id: 'dependencies',
  title: 'Supported and maintained dependencies',
  collect: collectDependencies,
  checks: [dependenciesSupported],
};
