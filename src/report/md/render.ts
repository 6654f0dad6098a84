import {
  type Assessment,
  type ControlResult,
  type ControlStatus,
  controlStatuses,
} from '../../kernel/index.js';
import * as presentation from '../presentation.js';
import type { RenderOptions } from '../types.js';

/**
 * A Markdown report for pull-request comments, wikis and tickets: a summary table by area, the
 * controls that need attention with findings and fixes, then passes folded in a <details> block.
 */

/** Without --verbose, a control lists this many findings; keeps a PR comment under size limits. */
const findingsShownByDefault = 20;

const statusSymbols: Readonly<Record<ControlStatus, string>> = {
  fail: '✗',
  partial: '◐',
  unknown: '?',
  pass: '✓',
  'not-applicable': '–',
};

export function renderMarkdown(assessment: Assessment, options: RenderOptions): string {
  const verbose = options.verbose === true;
  const groups = presentation.groupByArea(assessment.controls);
  const out: string[] = [];
  out.push('# shipguard assessment', '');
  out.push(
    `${escapeMarkdownLine(presentation.describeSubject(assessment))} · catalog ${escapeMarkdown(assessment.catalogVersion)} · ` +
      `shipguard ${escapeMarkdown(assessment.tool.version)} · ${escapeMarkdown(assessment.finishedAt)}`,
    '',
  );
  const period = presentation.describePeriod(assessment);
  if (period !== '') out.push(`${capitalise(escapeMarkdown(period))}`, '');
  out.push(
    `**${escapeMarkdown(presentation.describeCounts(presentation.countStatuses(assessment.controls)))}**`,
    '',
  );

  out.push('## Summary by area', '');
  out.push(
    `| Area | ${controlStatuses.map((status) => capitalise(presentation.statusLabels[status])).join(' | ')} |`,
  );
  out.push(`| --- |${controlStatuses.map(() => ' ---: |').join('')}`);
  for (const group of groups) {
    out.push(
      `| ${escapeMarkdown(group.area)} | ${controlStatuses.map((status) => group.counts[status]).join(' | ')} |`,
    );
  }
  const total = presentation.countStatuses(assessment.controls);
  out.push(`| **Total** | ${controlStatuses.map((status) => `**${total[status]}**`).join(' | ')} |`, '');

  const attention = groups.flatMap((group) =>
    group.controls.filter((control) => presentation.needsAttention(control.status)),
  );
  out.push('## Needs attention', '');
  if (attention.length === 0) out.push('Nothing: every control passes or does not apply.', '');
  for (const control of attention) out.push(...renderControl(control, verbose));

  if (assessment.problems.length > 0) {
    out.push('## Problems', '');
    for (const problem of assessment.problems) {
      const where = problem.location
        ? ` · ${escapeMarkdown(presentation.describeLocation(problem.location))}`
        : '';
      out.push(
        `- **${problem.severity}** ${escapeMarkdown(problem.code)}${where}: ${escapeMarkdown(problem.message)}`,
      );
    }
    out.push('');
  }

  const settled = groups.flatMap((group) =>
    group.controls.filter((control) => !presentation.needsAttention(control.status)),
  );
  if (settled.length > 0) {
    out.push('## Passing and not applicable', '');
    out.push(
      '<details>',
      `<summary>${settled.length} ${settled.length === 1 ? 'control' : 'controls'}</summary>`,
      '',
    );
    out.push(
      '| Control | Title | Area | Status | Level | Evidence |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const control of settled) {
      const evidence = control.evidence
        .map((item) => escapeMarkdown(presentation.describeEvidence(item)))
        .join('<br>');
      out.push(
        `| ${escapeMarkdown(control.controlId)} | ${escapeMarkdown(control.title)} | ${escapeMarkdown(control.area)} | ` +
          `${statusSymbols[control.status]} ${presentation.statusLabels[control.status]} | ${control.evidenceLevel ?? ''} | ${evidence || escapeMarkdown(control.summary)} |`,
      );
    }
    out.push('', '</details>', '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function renderControl(control: ControlResult, verbose: boolean): string[] {
  const out: string[] = [];
  out.push(
    `### ${statusSymbols[control.status]} ${escapeMarkdown(control.controlId)} · ${escapeMarkdown(control.title)}`,
    '',
  );
  out.push(
    `**${presentation.statusLabels[control.status]}** · severity ${control.severity} · ${escapeMarkdown(control.area)}${presentation.describeEvidenceLevel(control) === '' ? '' : ` · ${presentation.describeEvidenceLevel(control)}`}`,
    '',
    escapeMarkdownLine(control.summary),
    '',
  );
  if (control.exception)
    out.push(`> ${escapeMarkdownLine(capitalise(presentation.describeException(control.exception)))}`, '');

  const shown = verbose ? control.findings : control.findings.slice(0, findingsShownByDefault);
  for (const [index, finding] of shown.entries()) {
    const where = finding.location
      ? `${escapeMarkdown(presentation.describeLocation(finding.location))}: `
      : '';
    out.push(`- **${finding.severity}** ${where}${escapeMarkdown(finding.message)}`);
    const next = shown[index + 1];
    if (next === undefined || next.remediation !== finding.remediation) {
      out.push(`  - Fix: ${escapeMarkdown(finding.remediation)}`);
    }
  }
  const hidden = control.findings.length - shown.length;
  if (hidden > 0) out.push(`- … and ${hidden} more findings (run with --verbose to list all)`);
  if (shown.length > 0) out.push('');

  if (control.findings.length === 0 && control.remediation !== undefined) {
    out.push(`**Fix:** ${escapeMarkdown(control.remediation)}`, '');
  }
  if (control.howToProvide !== undefined) {
    const label = control.status === 'unknown' ? 'To provide' : 'To complete';
    out.push(`**${label}:** ${escapeMarkdown(control.howToProvide)}`, '');
  }
  return out;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Characters with inline meaning anywhere in Markdown (GitHub flavour: `|` splits cells, `@` pings, `$` is math). */
const inlineSpecial = new Set(['\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '$', '@', '!']);

/**
 * Makes a user-controlled string (a path, a message) inert inside a line of Markdown: escapes
 * inline syntax and table pipes, turns `&` into an entity so no entity or raw HTML survives,
 * and removes line breaks (they would end a table row or a list item).
 */
export function escapeMarkdown(text: string): string {
  let result = '';
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (character === '\n' || character === '\r' || character === '\t') result += ' ';
    else if (code < 0x20 || code === 0x7f) result += '\u{fffd}';
    else if (character === '&') result += '&amp;';
    else if (inlineSpecial.has(character)) result += `\\${character}`;
    else result += character;
  }
  return result;
}

/**
 * As escapeMarkdown, for text that starts a line or paragraph: also escapes a leading block
 * marker (`#`, `-`, `+`, `=`, `1.`) that would otherwise start a heading or a list.
 */
export function escapeMarkdownLine(text: string): string {
  // Leading spaces are dropped: four of them would start a code block.
  const result = escapeMarkdown(text).trimStart();
  const marker = /^(?:[#+=-]|\d{1,9}[.)])/.exec(result)?.[0];
  if (marker === undefined) return result;
  const escaped = /^\d/.test(marker) ? `${marker.slice(0, -1)}\\${marker.slice(-1)}` : `\\${marker}`;
  return `${escaped}${result.slice(marker.length)}`;
}
