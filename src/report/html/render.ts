import { createHash } from 'node:crypto';
import {
  type Assessment,
  type ControlResult,
  type ControlStatus,
  controlStatuses,
  type Finding,
} from '../../kernel/index.js';
import * as presentation from '../presentation.js';

/**
 * One self-contained HTML file: inline CSS, an inline SVG chart, no external loads (a
 * Content-Security-Policy forbids them), readable offline and in print. Filtering by status
 * works with CSS alone; a small inline script, allowed by its hash, adds a text filter.
 * Every string from the assessment goes through escapeHtml.
 */

const statusColors: Readonly<Record<ControlStatus, string>> = {
  fail: '#c62828',
  partial: '#e65100',
  unknown: '#5e35b1',
  pass: '#2e7d32',
  'not-applicable': '#757575',
};

const styles = `
:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #ffffff; --muted: #5f6368; --line: #d0d7de; --panel: #f6f8fa; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9aa4ae; --line: #30363d; --panel: #161b22; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .75rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.tiles { display: flex; flex-wrap: wrap; gap: .75rem; padding: 0; list-style: none; }
.tiles li { border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px; padding: .5rem .9rem; min-width: 8rem; background: var(--panel); }
.tiles strong { display: block; font-size: 1.5rem; }
${controlStatuses.map((status) => `.tiles .status-${status}, .badge.status-${status} { border-color: ${statusColors[status]}; }`).join('\n')}
.badge { display: inline-block; border: 1px solid; border-radius: 4px; padding: 0 .4rem; font-size: .8rem; font-weight: 600; white-space: nowrap; }
${controlStatuses.map((status) => `.badge.status-${status} { color: ${statusColors[status]}; }`).join('\n')}
.overview { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
.chart { max-width: 100%; height: auto; }
.chart text { font: 12px system-ui, sans-serif; fill: var(--fg); }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: .4rem .5rem; text-align: left; vertical-align: top; }
table.areas { width: auto; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
label.filter { margin: 0 1rem .75rem .2rem; }
input.filter[type="search"] { padding: .3rem .5rem; min-width: 16rem; border: 1px solid var(--line); border-radius: 4px; background: var(--bg); color: var(--fg); }
${controlStatuses.map((status) => `#show-${status}:not(:checked) ~ table .status-row-${status} { display: none; }`).join('\n')}
tr.filtered-out { display: none; }
.findings { margin: .4rem 0 0; padding-left: 1.1rem; }
.findings li { margin-bottom: .3rem; }
.fix, .provide { margin: .2rem 0 0; }
.exception { margin: .4rem 0 0; padding: .3rem .6rem; border-left: 4px solid #b08800; background: var(--panel); }
.evidence { margin: .2rem 0 0; padding-left: 1.1rem; font-size: .85rem; color: var(--muted); }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .filter { display: none; }
  tr[data-control] { display: table-row !important; }
  tr { break-inside: avoid; }
}
`;

/** Adds a text filter; the status checkboxes work without it. Reads only the page itself. */
const script = `
const input = document.getElementById('filter-text');
if (input) {
  input.hidden = false;
  input.addEventListener('input', () => {
    const needle = input.value.trim().toLowerCase();
    for (const row of document.querySelectorAll('tr[data-control]')) {
      row.classList.toggle('filtered-out', needle !== '' && !row.textContent.toLowerCase().includes(needle));
    }
  });
}
`;

function sha256Base64(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

/** No loads of any kind; only our own inline style and script, by hash. */
export const contentSecurityPolicy = [
  "default-src 'none'",
  `style-src 'sha256-${sha256Base64(styles)}'`,
  `script-src 'sha256-${sha256Base64(script)}'`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function renderHtml(assessment: Assessment): string {
  const groups = presentation.groupByArea(assessment.controls);
  const counts = presentation.countStatuses(assessment.controls);
  const subject = presentation.describeSubject(assessment);
  const parts: string[] = [];
  parts.push(
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Our own constant, free of quotes; written as is so a reader can check it.
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="shipguard ${escapeHtml(assessment.tool.version)}">`,
    `<title>shipguard assessment: ${escapeHtml(subject)}</title>`,
    `<style>${styles}</style>`,
    '</head>',
    '<body>',
    '<header>',
    '<h1>shipguard assessment</h1>',
    `<p class="muted">${escapeHtml(subject)} · catalog ${escapeHtml(assessment.catalogVersion)} · shipguard ${escapeHtml(assessment.tool.version)} · ${escapeHtml(assessment.finishedAt)}</p>`,
    presentation.describePeriod(assessment) === ''
      ? ''
      : `<p class="period">${escapeHtml(capitalise(presentation.describePeriod(assessment)))}</p>`,
    '</header>',
    '<main>',
    '<section aria-labelledby="summary-heading">',
    '<h2 id="summary-heading">Summary</h2>',
    `<p><strong>${escapeHtml(presentation.describeCounts(counts))}</strong></p>`,
    '<ul class="tiles">',
    ...controlStatuses.map(
      (status) =>
        `<li class="status-${status}"><strong>${counts[status]}</strong>${escapeHtml(presentation.statusLabels[status])}</li>`,
    ),
    '</ul>',
    '<div class="overview">',
    renderChart(groups),
    renderAreaTable(groups),
    '</div>',
    '</section>',
  );
  if (assessment.problems.length > 0) parts.push(renderProblems(assessment));
  parts.push(renderControls(groups, counts), '</main>', `<script>${script}</script>`, '</body>', '</html>');
  return `${parts.join('\n')}\n`;
}

/** Stacked horizontal bars, one per area, on one scale so bar lengths compare across areas. */
function renderChart(groups: readonly presentation.AreaGroup[]): string {
  const labelWidth = 130;
  const barWidth = 360;
  const rowHeight = 24;
  const legendHeight = 28;
  const height = legendHeight + groups.length * rowHeight + 4;
  const width = labelWidth + barWidth + 40;
  const largest = Math.max(1, ...groups.map((group) => group.controls.length));
  const out: string[] = [];
  out.push(
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    '<title id="chart-title">Control status by area</title>',
  );
  let legendX = 0;
  for (const status of controlStatuses) {
    out.push(
      `<rect x="${legendX}" y="4" width="12" height="12" fill="${statusColors[status]}"/>`,
      `<text x="${legendX + 16}" y="14">${escapeHtml(presentation.statusLabels[status])}</text>`,
    );
    legendX += 24 + presentation.statusLabels[status].length * 7;
  }
  for (const [index, group] of groups.entries()) {
    const y = legendHeight + index * rowHeight;
    out.push(`<text x="0" y="${y + 15}">${escapeHtml(truncate(group.area, 18))}</text>`);
    let x = labelWidth;
    for (const status of controlStatuses) {
      const count = group.counts[status];
      if (count === 0) continue;
      const segment = round((count / largest) * barWidth);
      out.push(
        `<rect x="${round(x)}" y="${y + 3}" width="${segment}" height="${rowHeight - 8}" fill="${statusColors[status]}">` +
          `<title>${escapeHtml(`${group.area}: ${count} ${presentation.statusLabels[status]}`)}</title></rect>`,
      );
      x += segment;
    }
    out.push(`<text x="${round(x + 6)}" y="${y + 15}">${group.controls.length}</text>`);
  }
  out.push('</svg>');
  return out.join('\n');
}

/** The chart's numbers as a table: for screen readers, print and copying. */
function renderAreaTable(groups: readonly presentation.AreaGroup[]): string {
  const head = controlStatuses.map(
    (status) => `<th class="number" scope="col">${escapeHtml(presentation.statusLabels[status])}</th>`,
  );
  const rows = groups.map(
    (group) =>
      `<tr><th scope="row">${escapeHtml(group.area)}</th>${controlStatuses
        .map((status) => `<td class="number">${group.counts[status]}</td>`)
        .join('')}</tr>`,
  );
  return [
    '<table class="areas">',
    '<caption class="muted">Controls by area</caption>',
    `<thead><tr><th scope="col">Area</th>${head.join('')}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

function renderProblems(assessment: Assessment): string {
  const items = assessment.problems.map((problem) => {
    const where = problem.location
      ? ` <code>${escapeHtml(presentation.describeLocation(problem.location))}</code>`
      : '';
    return `<li><strong>${escapeHtml(problem.severity)}</strong> <code>${escapeHtml(problem.code)}</code>${where}: ${escapeHtml(problem.message)}</li>`;
  });
  return [
    '<section aria-labelledby="problems-heading">',
    '<h2 id="problems-heading">Problems</h2>',
    '<ul>',
    ...items,
    '</ul>',
    '</section>',
  ].join('\n');
}

function renderControls(
  groups: readonly presentation.AreaGroup[],
  counts: Record<ControlStatus, number>,
): string {
  const out: string[] = [
    '<section aria-labelledby="controls-heading">',
    '<h2 id="controls-heading">Controls</h2>',
  ];
  // The checkboxes are siblings before the table, so CSS alone hides the rows of unchecked statuses.
  for (const status of controlStatuses) {
    out.push(
      `<input class="filter" type="checkbox" id="show-${status}" checked>` +
        `<label class="filter" for="show-${status}">${escapeHtml(presentation.statusLabels[status])} (${counts[status]})</label>`,
    );
  }
  out.push(
    '<input class="filter" type="search" id="filter-text" placeholder="Filter by text" aria-label="Filter by text" hidden>',
  );
  out.push(
    '<table class="controls">',
    '<thead><tr><th scope="col">Status</th><th scope="col">Control</th><th scope="col">Severity</th><th scope="col">Area</th><th scope="col">Details</th></tr></thead>',
    '<tbody>',
  );
  for (const group of groups) for (const control of group.controls) out.push(renderControlRow(control));
  out.push('</tbody>', '</table>', '</section>');
  return out.join('\n');
}

function renderControlRow(control: ControlResult): string {
  const details: string[] = [
    `<strong>${escapeHtml(control.title)}</strong>`,
    `<div>${escapeHtml(control.summary)}</div>`,
  ];
  const level = presentation.describeEvidenceLevel(control);
  if (level !== '') details.push(`<div class="level">${escapeHtml(capitalise(level))}</div>`);
  if (control.exception) {
    details.push(
      `<p class="exception">${escapeHtml(capitalise(presentation.describeException(control.exception)))}</p>`,
    );
  }
  if (control.findings.length > 0) {
    details.push(`<ul class="findings">${control.findings.map(renderFinding).join('')}</ul>`);
  } else if (control.remediation !== undefined) {
    details.push(`<p class="fix"><strong>Fix:</strong> ${escapeHtml(control.remediation)}</p>`);
  }
  if (control.howToProvide !== undefined) {
    const label = control.status === 'unknown' ? 'To provide' : 'To complete';
    details.push(`<p class="provide"><strong>${label}:</strong> ${escapeHtml(control.howToProvide)}</p>`);
  }
  if ((control.status === 'pass' || control.status === 'not-applicable') && control.evidence.length > 0) {
    const items = control.evidence.map(
      (evidence) => `<li>${escapeHtml(presentation.describeEvidence(evidence))}</li>`,
    );
    details.push(`<ul class="evidence" aria-label="Evidence">${items.join('')}</ul>`);
  }
  return [
    `<tr data-control="${escapeHtml(control.controlId)}" class="status-row-${control.status}">`,
    `<td><span class="badge status-${control.status}">${escapeHtml(presentation.statusLabels[control.status])}</span></td>`,
    `<td><code>${escapeHtml(control.controlId)}</code></td>`,
    `<td>${escapeHtml(control.severity)}</td>`,
    `<td>${escapeHtml(control.area)}</td>`,
    `<td>${details.join('\n')}</td>`,
    '</tr>',
  ].join('');
}

function renderFinding(finding: Finding): string {
  const where = finding.location
    ? ` <code>${escapeHtml(presentation.describeLocation(finding.location))}</code>`
    : '';
  return (
    `<li><strong>${escapeHtml(finding.severity)}</strong>${where} ${escapeHtml(finding.message)}` +
    `<p class="fix"><strong>Fix:</strong> ${escapeHtml(finding.remediation)}</p></li>`
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

const htmlEntities: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Makes text safe in HTML element content and in quoted attribute values. Control characters
 * other than tab and line feed (invalid in HTML) become U+FFFD.
 */
export function escapeHtml(text: string): string {
  let result = '';
  for (const character of text) {
    const entity = htmlEntities[character];
    if (entity !== undefined) {
      result += entity;
      continue;
    }
    const code = character.codePointAt(0) ?? 0;
    const control =
      (code < 0x20 && character !== '\n' && character !== '\t') || (code >= 0x7f && code <= 0x9f);
    result += control ? '\u{fffd}' : character;
  }
  return result;
}
