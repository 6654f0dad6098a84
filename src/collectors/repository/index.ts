import type { Collector } from '../types.js';
import { repositoryVersionControlled } from './checks.js';
import { collectRepository, type RepositoryFacts } from './collect.js';

export const repositoryCollector: Collector<RepositoryFacts> = {
  id: 'repository',
  title: 'Version control',
  collect: collectRepository,
  checks: [repositoryVersionControlled],
};
