import type { Collector } from '../types.js';
import { dependenciesSupported, dependenciesTrustedRegistries, dependenciesUnmodified } from './checks.js';
import { collectDependencies, type DependenciesFacts } from './collect.js';

export const dependenciesCollector: Collector<DependenciesFacts> = {
  id: 'dependencies',
  title: 'Supported, maintained, trusted and unmodified dependencies',
  collect: collectDependencies,
  checks: [dependenciesSupported, dependenciesTrustedRegistries, dependenciesUnmodified],
};
