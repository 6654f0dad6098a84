import type { Collector } from '../types.js';
import { changeApprovals, emergencyReviewsOnTime } from './checks.js';
import { type ChangeFacts, collectChanges } from './collect.js';

export const changeCollector: Collector<ChangeFacts> = {
  id: 'change',
  title: 'Change records: approved for their class, emergency changes reviewed on time',
  collect: (_repository, _policy, context) => collectChanges(context.store),
  checks: [emergencyReviewsOnTime, changeApprovals],
};
