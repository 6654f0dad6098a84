import { approvalState, type ChangeRecord, isReviewOverdue } from '../../changes/index.js';
import type { Evidence } from '../../kernel/index.js';
import type { ChangeSettings } from '../../policy/index.js';
import {
  auditPeriodOf,
  failed,
  findingOf,
  inPeriod,
  notApplicable,
  passed,
  storeUnknown,
  unknown,
} from '../results.js';
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
    const emergencies = facts.changes.filter((change) => change.class === 'emergency');
    if (emergencies.length === 0 && facts.unreviewedEmergencies.length === 0) {
      // Nothing was reviewed, so nothing shows that reviews happen on time: not a pass.
      return notApplicable(
        this.id,
        `no emergency change among the ${facts.changes.length} change record(s) in ${facts.location}`,
        [{ kind: 'record', source: facts.location, note: 'change records: none of class emergency' }],
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

/** Statuses of a change that was carried out: its approval was needed before. */
const carriedOut = new Set(['implemented', 'reviewed']);

export const changeApprovals: Check<ChangeFacts> = {
  id: 'change/approvals',
  title: 'Changes carried out in the audit period were approved as their class requires and name their code',
  severity: 'high',
  remediation:
    'Approve each change before it is carried out, by the approvers its class needs (`shipguard change approve ID`), and deploy only through `shipguard gate`, which refuses an unapproved change.',
  evaluate(facts, policy) {
    if (facts.status !== 'present') return storeUnknown(this.id, facts, 'change records');
    const period = auditPeriodOf(policy);
    const inThePeriod = facts.changes.filter(
      (change) => inPeriod(period, change.createdAt) || inPeriod(period, change.implementation?.at ?? ''),
    );
    const done = inThePeriod.filter(
      (change) => carriedOut.has(change.status) || change.consumption !== undefined,
    );
    if (done.length === 0) {
      return unknown(
        this.id,
        `no change carried out in the audit period (${period.text}) has a change record in ${facts.location} (${inThePeriod.length} requested, none implemented)`,
        'Record each normal, major and emergency change with `shipguard change create`, its approvals and implementation, in the store the assessment reads (SHIPGUARD_DB or --db).',
      );
    }
    const judged = done.map((change) => ({ change, state: judgeChange(change, policy.gate.changes) }));
    const unapproved = judged.filter((item) => !item.state.approved);
    const signed = done.every((change) =>
      change.approvals.every((approval) => approval.principal !== undefined),
    );
    const evidence: Evidence[] = judged.slice(0, 50).map(({ change, state }) => ({
      kind: 'record',
      source: facts.location,
      note: `change ${change.id} (${change.class}, ${change.status}): ${state.reason}`,
      ...(signed ? { level: 'signed' as const } : {}),
    }));
    if (unapproved.length === 0) {
      return passed(
        this.id,
        `${done.length} change(s) carried out in the audit period (${period.text}), each approved as its class requires`,
        evidence,
      );
    }
    return failed(
      this.id,
      `${unapproved.length} of ${done.length} change(s) carried out in the audit period lack the approvals their class requires`,
      evidence,
      unapproved.slice(0, 100).map(({ change, state }) =>
        findingOf(
          this,
          `Change ${change.id} (${change.class}: ${change.title.slice(0, 120)}) was carried out ${state.reason}.`,
          {
            key: change.id,
          },
        ),
      ),
    );
  },
};

/**
 * A change carried out is in order when its approvals satisfy its class and, unless it is a
 * standard change, it names the code (commits) or artefacts it changes.
 */
function judgeChange(change: ChangeRecord, settings: ChangeSettings): { approved: boolean; reason: string } {
  const state = approvalState(change, settings);
  if (!state.approved) return { approved: false, reason: `without approval: ${state.reason}` };
  if (change.class !== 'standard' && change.commits.length === 0 && (change.artifacts ?? []).length === 0) {
    return { approved: false, reason: 'without naming the commits or artefacts it changes' };
  }
  return state;
}
