import type { Collector } from '../types.js';
import { threatModelPresent } from './checks.js';
import { collectThreatModel, type ThreatModelFacts } from './collect.js';

export const threatModelCollector: Collector<ThreatModelFacts> = {
  id: 'threat-model',
  title: 'Threat models kept with the code',
  collect: collectThreatModel,
  checks: [threatModelPresent],
};
