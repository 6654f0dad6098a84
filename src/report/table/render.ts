import type { Assessment, ControlResult, ControlStatus, Finding } from '../../kernel/index.js';
import { escapeForTerminal } from '../../kernel/index.js';
import * as presentation from '../presentation.js';
import type { RenderOptions } from '../types.js';

/** The terminal report: grouped by area, most important first, about 100 columns wide. */

const width = 100;
/** Without --verbose, a control lists this many findings and counts the rest. */
const findingsShownByDefault = 10;

// ANSI SGR codes; no colour library needed for a handful of colours.
const styles = {
  bold: ['\u001b[1m', '\u001b[22m'],
  dim: ['\u001b[2m', '\u001b[22m'],
  red: ['\u001b[31m', '\u001b[39m'],
  green: ['\u001b[32m', '\u001b[39m'],
  yellow: ['\u001b[33m', '\u001b[39m'],
  magenta: ['\u001b[35m', '\u001b[39m'],
  cyan: ['\u001b[36m', '\u001b[39m'],
} as const;
type Style = keyof typeof styles;

type Paint = (style: Style, text: string) => string;

function painter(color: boolean): Paint {
  if (!color) return (_style, text) => text;
  return (style, text) => `${styles[style][0]}${text}${styles[style][1]}`;
}

const statusMarks: Readonly<Record<ControlStatus, { symbol: string; word: string; style: Style }>> = {
  fail: { symbol: '✗', word: 'FAIL', style: 'red' },
  partial: { symbol: '◐', word: 'PARTIAL', style: 'yellow' },
  unknown: { symbol: '?', word: 'UNKNOWN', style: 'magenta' },
  pass: { symbol: '✓', word: 'PASS', style: 'green' },
  'not-applicable': { symbol: '-', word: 'N/A', style: 'dim' },
};
const statusColumn = 11;
// Catalog ids are at most 9 characters (`ABCDE-123`), plus a space.
const idColumn = 10;

export function renderTable(assessment: Assessment, options: RenderOptions): string {
  const paint = painter(options.color);
  const verbose = options.verbose === true;
  const lines: string[] = [];
  const title = `shipguard ${assessment.tool.version} · ${presentation.describeSubject(assessment)} · catalog ${assessment.catalogVersion}`;
  lines.push(...block({ text: title, indent: 0, hang: 2, style: 'bold', paint }));
  const period = presentation.describePeriod(assessment);
  if (period !== '') lines.push(...block({ text: period, indent: 0, hang: 2, paint }));

  for (const group of presentation.groupByArea(assessment.controls)) {
    lines.push('', paint('bold', clean(group.area).toUpperCase()));
    for (const control of group.controls) lines.push(...renderControl(control, paint, verbose));
  }

  if (assessment.problems.length > 0) {
    lines.push('', paint('bold', 'PROBLEMS'));
    for (const problem of assessment.problems) {
      const where = problem.location ? `${presentation.describeLocation(problem.location)} · ` : '';
      const style: Style = problem.severity === 'error' ? 'red' : 'yellow';
      const lead = { text: paint(style, problem.severity.padEnd(9)), width: 9 };
      lines.push(
        ...block({ lead, text: `${where}${problem.message} [${problem.code}]`, indent: 2, hang: 9, paint }),
      );
    }
  }

  const counts = presentation.countStatuses(assessment.controls);
  const accepted = assessment.controls.filter((control) => control.exception !== undefined).length;
  if (counts.unknown > 0 && !verbose) {
    lines.push(
      '',
      ...block({
        text: `${counts.unknown} unknown: --verbose (or --format json) says how to provide each one's evidence; records go under \`attestations:\` in shipguard.yaml.`,
        indent: 0,
        hang: 2,
        style: 'dim',
        paint,
      }),
    );
  }
  lines.push('', paint('bold', presentation.describeCounts(counts)));
  if (accepted > 0) {
    lines.push(
      `${accepted} ${accepted === 1 ? 'control is' : 'controls are'} covered by an accepted exception`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function renderControl(control: ControlResult, paint: Paint, verbose: boolean): string[] {
  const mark = statusMarks[control.status];
  const lead = {
    text: `${paint(mark.style, `${mark.symbol} ${mark.word}`.padEnd(statusColumn))}${clean(control.controlId).padEnd(idColumn)}`,
    width: statusColumn + Math.max(idColumn, clean(control.controlId).length),
  };
  const severity = control.status === 'fail' || control.status === 'partial' ? ` [${control.severity}]` : '';
  const level = presentation.describeEvidenceLevel(control);
  const lines = block({
    lead,
    text: `${control.title}${severity}${level === '' || control.status === 'not-applicable' ? '' : ` · ${level}`}`,
    indent: 2,
    hang: statusColumn + idColumn,
    paint,
  });
  // Details sit under the title, so the status and id columns stay easy to scan.
  const indent = 2 + statusColumn + idColumn;

  if (control.exception) {
    lines.push(
      ...block({
        text: presentation.describeException(control.exception),
        indent,
        hang: 2,
        style: 'yellow',
        paint,
      }),
    );
  }
  switch (control.status) {
    case 'fail':
    case 'partial':
      lines.push(...renderFindings(control, paint, verbose, indent));
      if (control.howToProvide !== undefined) {
        lines.push(...block({ text: `to complete: ${control.howToProvide}`, indent, hang: 2, paint }));
      }
      break;
    case 'unknown':
      lines.push(...block({ text: control.summary, indent, hang: 2, style: 'dim', paint }));
      // Most unknowns await a record; their hints are long and alike, so they need --verbose.
      if (verbose && control.howToProvide !== undefined) {
        lines.push(
          ...block({ text: `to provide: ${control.howToProvide}`, indent, hang: 2, style: 'cyan', paint }),
        );
      }
      break;
    case 'pass':
    case 'not-applicable':
      if (!verbose) break;
      lines.push(...block({ text: control.summary, indent, hang: 2, style: 'dim', paint }));
      for (const evidence of control.evidence) {
        const text = `evidence: ${presentation.describeEvidence(evidence)}`;
        lines.push(...block({ text, indent, hang: 2, style: 'dim', paint }));
      }
      break;
  }
  return lines;
}

/** Findings with their locations; a remediation is printed once after the findings that share it. */
function renderFindings(control: ControlResult, paint: Paint, verbose: boolean, indent: number): string[] {
  const lines: string[] = [];
  if (control.findings.length === 0) {
    lines.push(...block({ text: control.summary, indent, hang: 2, paint }));
    if (control.remediation !== undefined) {
      lines.push(...block({ text: `fix: ${control.remediation}`, indent, hang: 2, style: 'cyan', paint }));
    }
    return lines;
  }
  const shown = verbose ? control.findings : control.findings.slice(0, findingsShownByDefault);
  for (const [index, finding] of shown.entries()) {
    lines.push(...renderFinding(finding, paint, indent));
    const next = shown[index + 1];
    if (next === undefined || next.remediation !== finding.remediation) {
      lines.push(
        ...block({ text: `fix: ${finding.remediation}`, indent: indent + 2, hang: 5, style: 'cyan', paint }),
      );
    }
  }
  const hidden = control.findings.length - shown.length;
  if (hidden > 0) lines.push(`${' '.repeat(indent)}… and ${hidden} more (--verbose shows all)`);
  return lines;
}

function renderFinding(finding: Finding, paint: Paint, indent: number): string[] {
  const style: Style = finding.severity === 'critical' || finding.severity === 'high' ? 'red' : 'yellow';
  const where = finding.location ? `${presentation.describeLocation(finding.location)} · ` : '';
  const lead = { text: `${paint(style, finding.severity)}: `, width: finding.severity.length + 2 };
  return block({ lead, text: `${where}${finding.message}`, indent, hang: 2, paint });
}

interface Block {
  /** Printed before the first line's words; `width` is its visible width (it may hold colour codes). */
  lead?: { text: string; width: number };
  /** User-controlled text: cleaned and word-wrapped here. */
  text: string;
  indent: number;
  /** Extra indentation of the second and later lines. */
  hang: number;
  style?: Style;
  paint: Paint;
}

/**
 * Word-wraps text to the report width. A word longer than a line (a long path) is kept whole:
 * breaking it would break copy and paste.
 */
function block({ lead, text, indent, hang, style, paint }: Block): string[] {
  const words = clean(text)
    .split(' ')
    .filter((word) => word !== '');
  const rows: string[] = [];
  let room = width - indent - (lead?.width ?? 0);
  let row = '';
  for (const word of words) {
    if (row === '') row = word;
    else if (row.length + 1 + word.length <= room) row += ` ${word}`;
    else {
      rows.push(row);
      row = word;
      room = width - indent - hang;
    }
  }
  rows.push(row);
  return rows.map((body, index) => {
    const painted = style ? paint(style, body) : body;
    if (index === 0) return `${' '.repeat(indent)}${lead?.text ?? ''}${painted}`;
    return `${' '.repeat(indent + hang)}${painted}`;
  });
}

/** Makes a user-controlled string safe for a terminal (the one helper every renderer uses). */
export function clean(text: string): string {
  return escapeForTerminal(text);
}
