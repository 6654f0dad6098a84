import { isReviewOverdue } from '../../changes/index.js';
import { failed, findingOf, passed, unknown } from '../results.js';
import type { Check } from '../types.js';
import type { ChangeFacts } from './collect.js';

export const emergencyReviewsOnTime: Check<ChangeFacts> = {
  id: 'change/emergency-reviews-on-time',
  title: 'Emergency changes are reviewed after implementation within the deadline',
  severity: 'high',
  remediation:
    'Hold the post-implementation review of each overdue emergency change and record it with `shipguard change review ID --notes …`.',
  evaluate(facts, _policy, context) {
    if (facts.status === 'no-store') {
      return unknown(
        this.id,
        `no shipguard store at ${facts.location}, so no change records to read`,
        'Record changes with `shipguard change create` (or point SHIPGUARD_DB at the shared store) and assess again.',
      );
    }
    if (facts.status === 'unreadable') {
      return unknown(
        this.id,
        `the store at ${facts.location} could not be read: ${facts.problem.slice(0, 200)}`,
        'Make the store readable (check SHIPGUARD_DB) and assess again.',
      );
    }
    const overdue = facts.unreviewedEmergencies.filter((change) => isReviewOverdue(change, context.now));
    const evidence = [
      { kind: 'record' as const, source: facts.location, note: 'change records (class emergency)' },
    ];
    if (overdue.length === 0) {
      const pending = facts.unreviewedEmergencies.length;
      return passed(
        this.id,
        pending === 0
          ? 'no implemented emergency change is awaiting its review'
          : `${pending} emergency change(s) await review, none past the deadline`,
        evidence,
      );
    }
    return failed(
      this.id,
      `${overdue.length} emergency change(s) are past their post-implementation review deadline`,
      evidence,
      overdue.map((change) =>
        findingOf(
          this,
          `Emergency change ${change.id} (${change.title}) was due for review by ${change.reviewDueAt ?? '?'}.`,
          {
            key: change.id,
          },
        ),
      ),
    );
  },
};
