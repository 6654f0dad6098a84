import type { RecordDocument } from './document.js';
import { RecordError } from './errors.js';
import type { VerifiedRecord } from './signing.js';

/** Kinds whose new records are checked against the stored ones before they are added. */
export const kindsWithRules: readonly string[] = ['remediation-plan'];

interface PlanItem {
  id: string;
  status: string;
  recurrenceOf?: string;
}

function itemsOf(document: RecordDocument): PlanItem[] {
  return (document.data as { items: PlanItem[] }).items;
}

function engagementOf(document: RecordDocument): string {
  return (document.data as { engagement: string }).engagement;
}

function newestFirst(a: RecordDocument, b: RecordDocument): number {
  return b.effective.localeCompare(a.effective) || b.recordedAt.localeCompare(a.recordedAt);
}

/**
 * Rules across records. A remediation plan supersedes the previous plan of its engagement: every
 * item stays (ids are stable), a closed item stays closed (a recurrence is a new item naming the
 * old one in `recurrenceOf`), and item ids are unique. Throws RECORD_RULE_BROKEN naming the item.
 */
export function checkRecordRules(fresh: readonly VerifiedRecord[], stored: readonly VerifiedRecord[]): void {
  const plans = [...stored, ...fresh]
    .map((record) => record.document)
    .filter((document) => document.kind === 'remediation-plan');
  for (const record of fresh) {
    const plan = record.document;
    if (plan.kind !== 'remediation-plan') continue;
    const items = itemsOf(plan);
    const ids = new Set<string>();
    for (const item of items) {
      if (ids.has(item.id))
        throw new RecordError('RECORD_RULE_BROKEN', `${plan.id}: item ${item.id} appears twice`);
      ids.add(item.id);
    }
    const earlier = plans
      .filter(
        (other) =>
          other !== plan && engagementOf(other) === engagementOf(plan) && newestFirst(plan, other) < 0,
      )
      .sort(newestFirst);
    const previous = earlier[0];
    if (!previous) {
      for (const item of items) {
        if (item.recurrenceOf !== undefined && !ids.has(item.recurrenceOf)) {
          throw new RecordError(
            'RECORD_RULE_BROKEN',
            `${plan.id}: item ${item.id} is a recurrence of ${item.recurrenceOf}, which no plan has`,
          );
        }
      }
      continue;
    }
    const now = new Map(items.map((item) => [item.id, item]));
    const before = new Map(itemsOf(previous).map((item) => [item.id, item]));
    for (const old of before.values()) {
      const next = now.get(old.id);
      if (!next)
        throw new RecordError(
          'RECORD_RULE_BROKEN',
          `${plan.id}: item ${old.id} of ${previous.id} is missing; items are never removed`,
        );
      if (old.status === 'closed' && next.status !== 'closed') {
        throw new RecordError(
          'RECORD_RULE_BROKEN',
          `${plan.id}: item ${old.id} was closed in ${previous.id} and cannot reopen; record the recurrence as a new item with recurrenceOf: ${old.id}`,
        );
      }
    }
    for (const item of items) {
      if (item.recurrenceOf === undefined) continue;
      const original = before.get(item.recurrenceOf) ?? now.get(item.recurrenceOf);
      if (original?.status !== 'closed') {
        throw new RecordError(
          'RECORD_RULE_BROKEN',
          `${plan.id}: item ${item.id} is a recurrence of ${item.recurrenceOf}, which is not a closed item`,
        );
      }
    }
  }
}
