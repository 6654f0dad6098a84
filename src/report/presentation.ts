import { areas } from '../catalog/index.js';
import {
  type AppliedException,
  type Assessment,
  type ControlResult,
  type ControlStatus,
  controlStatuses,
  type Evidence,
  emptyStatusCounts,
  type FindingLocation,
  formatLocation,
  type StatusCounts,
  severityRank,
} from '../kernel/index.js';

/**
 * What every human-readable format shares: the order controls are shown in, counts and the
 * wording of statuses, evidence and exceptions. Kept here so the table, Markdown and HTML agree.
 */

/** Words for statuses in running text and summaries. */
export const statusLabels: Readonly<Record<ControlStatus, string>> = {
  fail: 'fail',
  partial: 'partial',
  unknown: 'unknown',
  pass: 'pass',
  'not-applicable': 'not applicable',
};

/** The order statuses are listed in a summary line: the good news first, as people count it. */
export const summaryStatusOrder: readonly ControlStatus[] = [
  'pass',
  'fail',
  'partial',
  'unknown',
  'not-applicable',
];

/** Statuses that need a reader's attention: their findings and hints are shown in full. */
export function needsAttention(status: ControlStatus): boolean {
  return status === 'fail' || status === 'partial' || status === 'unknown';
}

/** Most important first: by status (fail, partial, unknown, pass, not applicable), then severity, then id. */
export function compareControls(left: ControlResult, right: ControlResult): number {
  const byStatus = controlStatuses.indexOf(left.status) - controlStatuses.indexOf(right.status);
  if (byStatus !== 0) return byStatus;
  const bySeverity = severityRank(right.severity) - severityRank(left.severity);
  if (bySeverity !== 0) return bySeverity;
  return compareText(left.controlId, right.controlId);
}

/** Code-unit order, independent of the machine's locale, so output is the same everywhere. */
export function compareText(left: string, right: string): number {
  if (left < right) return -1;
  return left > right ? 1 : 0;
}

export interface AreaGroup {
  area: string;
  controls: ControlResult[];
  counts: StatusCounts;
}

/**
 * Controls grouped by area in the catalog's order, each group sorted most important first.
 * An area the catalog does not know (a newer catalog, a hand-made assessment) comes last, by name.
 */
export function groupByArea(controls: readonly ControlResult[]): AreaGroup[] {
  const byArea = new Map<string, ControlResult[]>();
  for (const control of controls) {
    const group = byArea.get(control.area);
    if (group) group.push(control);
    else byArea.set(control.area, [control]);
  }
  const known: readonly string[] = areas;
  const order = [
    ...known.filter((area) => byArea.has(area)),
    ...[...byArea.keys()].filter((area) => !known.includes(area)).sort(compareText),
  ];
  return order.map((area) => {
    const group = [...(byArea.get(area) ?? [])].sort(compareControls);
    return { area, controls: group, counts: countStatuses(group) };
  });
}

export function countStatuses(controls: readonly ControlResult[]): StatusCounts {
  const counts = emptyStatusCounts();
  for (const control of controls) counts[control.status] += 1;
  return counts;
}

/** `42 controls: 30 pass, 2 fail, 1 partial, 8 unknown, 1 not applicable` */
export function describeCounts(counts: StatusCounts): string {
  const total = controlStatuses.reduce((sum, status) => sum + counts[status], 0);
  const parts = summaryStatusOrder.map((status) => `${counts[status]} ${statusLabels[status]}`);
  return `${total} ${total === 1 ? 'control' : 'controls'}: ${parts.join(', ')}`;
}

/** `accepted until 2027-01-31 by alice (approved by bob): reason` */
export function describeException(exception: AppliedException): string {
  return `accepted until ${exception.expires} by ${exception.owner} (approved by ${exception.approver}): ${exception.reason}`;
}

export function describeLocation(location: FindingLocation): string {
  return formatLocation(location);
}

/** One short line per piece of evidence, e.g. `package-lock.json:1` or `commit 1a2b3c4 (src/app.ts)`. */
export function describeEvidence(evidence: Evidence): string {
  const note = evidence.note === undefined ? '' : ` (${evidence.note})`;
  switch (evidence.kind) {
    case 'file':
      return `${formatLocation(evidence)}${note}`;
    case 'commit': {
      const path = evidence.path === undefined ? '' : ` ${evidence.path}`;
      return `commit ${evidence.commit.slice(0, 12)}${path}${note}`;
    }
    case 'digest':
      return `${evidence.algorithm}:${evidence.value.slice(0, 16)}… of ${evidence.subject}${note}`;
    case 'absence':
      return `looked for ${evidence.lookedFor.join(', ')} in ${evidence.in}; not found${note}`;
    case 'record': {
      const line = evidence.line === undefined ? '' : `:${evidence.line}`;
      return `record in ${evidence.source}${line}${note}`;
    }
  }
}

/** `. (main @ 1a2b3c4d5e6f, uncommitted changes)`: what was assessed, in one line. */
export function describeSubject(assessment: Assessment): string {
  const subject = assessment.subject;
  const details: string[] = [];
  if (subject.branch !== undefined || subject.commit !== undefined) {
    const at =
      subject.commit === undefined
        ? ''
        : `${subject.branch === undefined ? '' : ' @ '}${subject.commit.slice(0, 12)}`;
    details.push(`${subject.branch ?? ''}${at}`);
  }
  if (!subject.isGitRepository) details.push('not a git repository');
  if (subject.shallow) details.push('shallow clone');
  if (subject.dirty) details.push('uncommitted changes');
  return details.length === 0 ? subject.path : `${subject.path} (${details.join(', ')})`;
}
