/**
 * The per-framework status view: each item of ISO/IEC 27001:2022 Annex A, NIST SSDF or NCSC
 * Principle 7 that the catalog maps to, with a status derived from the results of the controls
 * beneath it and the evidence those results rest on. Pure: an assessment and the catalog in, a
 * view out; `shipguard assess --framework`, the evidence pack and the server call the same function.
 */
import {
  type Assessment,
  type ControlResult,
  type ControlStatus,
  controlStatuses,
  type EvidenceLevel,
  emptyStatusCounts,
  escapeForTerminal,
  type StatusCounts,
  weakestLevel,
} from '../kernel/index.js';
import { frameworkCoverage } from './coverage.js';
import type { Framework } from './frameworks.js';
import { wrap } from './render.js';
import type { Catalog } from './schema.js';

export interface FrameworkControlStatus {
  controlId: string;
  title: string;
  /** The control's result in the assessment; `unknown` when the assessment has no result for it. */
  status: ControlStatus;
  /** How many pieces of evidence the result rests on. */
  evidence: number;
  evidenceLevel: EvidenceLevel | null;
  /** An accepted risk (exception) covers the control's result. */
  excepted: boolean;
  /** For unknown: how to provide the evidence (from the result). */
  howToProvide: string | null;
}

export interface FrameworkItemStatus {
  /** The framework's own identifier: `8.25`, `PW.7.2`, `goal-3`. */
  id: string;
  title: string;
  status: ControlStatus;
  /** Why the item has this status, in one sentence. */
  reason: string;
  /** For a pass: the weakest evidence level among the passing controls (all are needed). */
  evidenceLevel: EvidenceLevel | null;
  controls: FrameworkControlStatus[];
}

export interface FrameworkStatusView {
  schemaVersion: 1;
  framework: Framework;
  name: string;
  catalogVersion: string;
  assessment: { id: string; startedAt: string; commit: string | null; catalogVersion: string };
  /** How many items ended in each status. */
  summary: StatusCounts;
  items: FrameworkItemStatus[];
}

/**
 * Derives each framework item's status from the controls mapped to it:
 * - `fail` when a control beneath fails and no accepted exception covers it;
 * - `pass` only when every applicable control beneath passes, each with evidence;
 * - `partial` when some pass (or fail under an accepted exception) and others are partial or unknown;
 * - `unknown` when none has evidence either way, or no control maps to a required item;
 * - `not-applicable` when every control beneath is not applicable.
 * A control the assessment has no result for counts as unknown (never as a pass).
 */
export function frameworkStatus(
  catalog: Catalog,
  assessment: Assessment,
  framework: Framework,
): FrameworkStatusView {
  const coverage = frameworkCoverage(catalog, framework);
  const results = new Map(assessment.controls.map((result) => [result.controlId, result]));
  const titles = new Map(catalog.controls.map((control) => [control.id, control.title]));
  const items: FrameworkItemStatus[] = coverage.items.map((item) =>
    itemStatus(
      item.id,
      item.title,
      item.controls.map((id) => controlStatus(id, titles.get(id) ?? id, results.get(id))),
    ),
  );
  for (const gap of coverage.gaps) {
    items.push({
      id: gap.id,
      title: gap.title,
      status: 'unknown',
      reason: 'no control of the catalog maps to this item',
      evidenceLevel: null,
      controls: [],
    });
  }
  const summary = emptyStatusCounts();
  for (const item of items) summary[item.status] += 1;
  return {
    schemaVersion: 1,
    framework,
    name: coverage.name,
    catalogVersion: catalog.version,
    assessment: {
      id: assessment.id,
      startedAt: assessment.startedAt,
      commit: assessment.subject.commit ?? null,
      catalogVersion: assessment.catalogVersion,
    },
    summary,
    items,
  };
}

function controlStatus(id: string, title: string, result: ControlResult | undefined): FrameworkControlStatus {
  if (result === undefined) {
    return {
      controlId: id,
      title,
      status: 'unknown',
      evidence: 0,
      evidenceLevel: null,
      excepted: false,
      howToProvide: 'the assessment has no result for this control: assess with the current catalog',
    };
  }
  // A pass with nothing to rest on is not evidence of anything.
  const status = result.status === 'pass' && result.evidence.length === 0 ? 'unknown' : result.status;
  return {
    controlId: id,
    title: result.title,
    status,
    evidence: result.evidence.length,
    evidenceLevel: result.evidenceLevel ?? null,
    excepted: result.exception !== undefined,
    howToProvide:
      status === 'unknown'
        ? (result.howToProvide ?? (result.status === 'pass' ? 'the pass names no evidence' : null))
        : null,
  };
}

function itemStatus(id: string, title: string, controls: FrameworkControlStatus[]): FrameworkItemStatus {
  const applicable = controls.filter((control) => control.status !== 'not-applicable');
  const base = { id, title, controls };
  const count = (status: ControlStatus, excepted?: boolean) =>
    applicable.filter(
      (control) => control.status === status && (excepted === undefined || control.excepted === excepted),
    ).length;
  if (controls.length === 0) {
    return { ...base, status: 'unknown', reason: 'no control maps to this item', evidenceLevel: null };
  }
  if (applicable.length === 0) {
    return {
      ...base,
      status: 'not-applicable',
      reason: 'every control beneath is not applicable',
      evidenceLevel: null,
    };
  }
  const failing = count('fail', false);
  if (failing > 0) {
    return {
      ...base,
      status: 'fail',
      reason: `${failing} of ${applicable.length} applicable controls fail`,
      evidenceLevel: null,
    };
  }
  const passing = count('pass');
  if (passing === applicable.length) {
    const levels = applicable.map((control) => control.evidenceLevel);
    const level = levels.includes(null) ? null : weakestLevel(levels as EvidenceLevel[]);
    return {
      ...base,
      status: 'pass',
      reason: `all ${applicable.length} applicable controls pass on evidence`,
      evidenceLevel: level ?? null,
    };
  }
  const accepted = count('fail', true);
  const partial = count('partial');
  const unknown = count('unknown');
  if (passing + accepted + partial === 0) {
    return {
      ...base,
      status: 'unknown',
      reason: `no evidence yet for any of the ${unknown} applicable controls`,
      evidenceLevel: null,
    };
  }
  const parts = [
    passing > 0 ? `${passing} pass` : '',
    accepted > 0 ? `${accepted} fail under an accepted risk` : '',
    partial > 0 ? `${partial} partial` : '',
    unknown > 0 ? `${unknown} unknown` : '',
  ].filter((part) => part !== '');
  return {
    ...base,
    status: 'partial',
    reason: `${parts.join(', ')} of ${applicable.length}`,
    evidenceLevel: null,
  };
}

export const frameworkStatusFormats = ['table', 'json'] as const;
export type FrameworkStatusFormat = (typeof frameworkStatusFormats)[number];

/** The view as JSON (stable key order, 2-space indent) or as a table 100 columns wide. */
export function renderFrameworkStatus(view: FrameworkStatusView, format: FrameworkStatusFormat): string {
  if (format === 'json') return `${JSON.stringify(view, null, 2)}\n`;
  const commit =
    view.assessment.commit === null
      ? ''
      : ` (commit ${escapeForTerminal(view.assessment.commit.slice(0, 12))})`;
  const lines = [
    `${view.name}: ${view.items.length} items`,
    `assessment ${escapeForTerminal(view.assessment.id)}${commit}, catalog ${escapeForTerminal(view.catalogVersion)}`,
    controlStatuses.map((status) => `${status} ${view.summary[status]}`).join('  '),
    '',
  ];
  const idWidth = Math.max(0, ...view.items.map((item) => item.id.length)) + 2;
  for (const item of view.items) {
    const head = `  ${item.status.padEnd(15)}${item.id.padEnd(idWidth)}`;
    const indent = ' '.repeat(head.length);
    lines.push(...wrap(escapeForTerminal(item.title) || '(unknown item)', head, indent));
    const level = item.evidenceLevel === null ? '' : ` (evidence: ${item.evidenceLevel})`;
    lines.push(...wrap(`${item.reason}${level}`, indent, indent));
    const beneath = item.controls.map((control) => `${control.controlId}:${control.status}`).join(' ');
    if (beneath !== '') lines.push(...wrap(beneath, indent, indent));
  }
  return `${lines.join('\n')}\n`;
}
