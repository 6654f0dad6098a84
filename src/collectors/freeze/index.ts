import type { Collector } from '../types.js';
import { freezeRespected } from './checks.js';
import { collectFreeze, type FreezeFacts } from './collect.js';

export const freezeCollector: Collector<FreezeFacts> = {
  id: 'freeze',
  title: 'Releases and deployments against the freeze calendar',
  collect: collectFreeze,
  checks: [freezeRespected],
};
