import type { Assessment } from '../kernel/index.js';
import type { StatusCountColumns } from './tables.js';

/**
 * One row per repository: its latest assessment (newest start, then greatest id) with what the
 * portfolio shows of it, kept in the transaction that writes assessment rows (migration 018), so
 * the portfolio reads one small row per repository instead of documents and index probes.
 */
export interface LatestAssessmentsTable extends StatusCountColumns {
  repository: string;
  assessment_id: string;
  started_at: string;
  commit: string | null;
  /** JSON: area → status counts ({ fail, partial, unknown, pass, not-applicable }), areas sorted. */
  areas: string;
  /** Passing controls by the level of their evidence. */
  pass_verified: number;
  pass_signed: number;
  pass_declared: number;
  pass_none: number;
  /** Controls not passing whose evidence is below the level the policy asks. */
  below_required: number;
}

type Counts = { fail: number; partial: number; unknown: number; pass: number; 'not-applicable': number };

/** The projection row of an assessment (already redacted and checked) of `repository`. */
export function latestRowOf(
  assessment: Pick<Assessment, 'id' | 'summary' | 'controls'> & { subject: { commit?: string } },
  repository: string,
  startedAt: string,
): LatestAssessmentsTable {
  const areas = new Map<string, Counts>();
  const levels = { verified: 0, signed: 0, declared: 0, none: 0 };
  let belowRequired = 0;
  for (const control of assessment.controls) {
    const counts = areas.get(control.area) ?? {
      fail: 0,
      partial: 0,
      unknown: 0,
      pass: 0,
      'not-applicable': 0,
    };
    if (control.status in counts) counts[control.status] += 1;
    areas.set(control.area, counts);
    if (control.status === 'pass') levels[control.evidenceLevel ?? 'none'] += 1;
    if (
      control.requiredLevel !== undefined &&
      control.evidenceLevel !== control.requiredLevel &&
      control.status !== 'pass' &&
      control.evidenceLevel !== undefined
    )
      belowRequired += 1;
  }
  const sorted = [...areas].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    repository,
    assessment_id: assessment.id,
    started_at: startedAt,
    commit: assessment.subject.commit ?? null,
    fail: assessment.summary.fail,
    partial: assessment.summary.partial,
    unknown: assessment.summary.unknown,
    pass: assessment.summary.pass,
    not_applicable: assessment.summary['not-applicable'],
    areas: JSON.stringify(Object.fromEntries(sorted)),
    pass_verified: levels.verified,
    pass_signed: levels.signed,
    pass_declared: levels.declared,
    pass_none: levels.none,
    below_required: belowRequired,
  };
}
