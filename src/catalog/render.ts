import { type FrameworkCoverage, frameworkCoverage } from './coverage.js';
import { type Framework, frameworks } from './frameworks.js';
import { areas, type Catalog, type Control } from './schema.js';

/**
 * Pure renderings of the catalog for `shipguard controls`: a table readable in 100 columns and
 * a JSON document whose shape is documented in docs/controls.md.
 */

export const controlsFormats = ['table', 'json'] as const;
export type ControlsFormat = (typeof controlsFormats)[number];

export interface ControlsView {
  format: ControlsFormat;
  /** Show the coverage of one framework, grouped by its items, instead of the control list. */
  framework?: Framework;
}

const tableWidth = 100;
/** Where a control's second and third lines start, under its title. */
const detailIndent = ' '.repeat(19);

const frameworkLabels: Readonly<Record<Framework, string>> = { iso27001: 'ISO', ssdf: 'SSDF', ncsc: 'NCSC' };

export function renderCatalog(catalog: Catalog, view: ControlsView): string {
  if (view.format === 'json') return `${JSON.stringify(catalogJson(catalog, view.framework), null, 2)}\n`;
  if (view.framework) return renderCoverageTable(catalog.version, frameworkCoverage(catalog, view.framework));
  return renderControlsTable(catalog);
}

/** How a control is assessed, in one phrase: `checks: a, b; record: pen-test every 182 days`. */
export function describeAssessment(control: Control): string {
  const { checks, planned, record, cadenceDays } = control.assessment;
  const parts: string[] = [];
  if (checks.length > 0) parts.push(`checks: ${checks.join(', ')}`);
  if (planned.length > 0) parts.push(`planned: ${planned.join(', ')}`);
  const every = cadenceDays === undefined ? '' : ` every ${cadenceDays} days`;
  if (record !== undefined) parts.push(`record: ${record}${every}`);
  // The engine asks for an attestation when nothing else can assess a control yet.
  else if (checks.length === 0) parts.push(`until then: attestation${every}`);
  return parts.join('; ');
}

/** `ISO 8.25, 8.28 · SSDF PW.7.2 · NCSC goal-2`, leaving out frameworks the control does not map to. */
export function describeMappings(control: Control): string {
  return frameworks
    .filter((framework) => control.mappings[framework].length > 0)
    .map((framework) => `${frameworkLabels[framework]} ${control.mappings[framework].join(', ')}`)
    .join(' · ');
}

export function renderControlsTable(catalog: Catalog): string {
  const lines = [`shipguard control catalog ${catalog.version}: ${catalog.controls.length} controls`, ''];
  for (const [area, controls] of groupByArea(catalog.controls)) {
    lines.push(`${area.toUpperCase()} (${controls.length})`);
    for (const control of controls) {
      const head = `  ${control.id.padEnd(7)} ${control.severity.padEnd(8)} `;
      lines.push(...wrap(control.title, head, detailIndent));
      lines.push(...wrap(describeAssessment(control), detailIndent, detailIndent));
      lines.push(...wrap(describeMappings(control), detailIndent, detailIndent));
    }
    lines.push('');
  }
  lines.push('Framework coverage', ...renderCoverageSummary(catalog));
  return `${lines.join('\n')}\n`;
}

function renderCoverageSummary(catalog: Catalog): string[] {
  const rows = frameworks.map((framework) => frameworkCoverage(catalog, framework));
  const nameWidth = Math.max(...rows.map((row) => row.name.length));
  return rows.map((row) => {
    const gaps = row.gaps.length === 0 ? 'none' : row.gaps.map((gap) => gap.id).join(', ');
    const head = `  ${row.name.padEnd(nameWidth)}  ${String(row.items.length).padStart(3)} items  gaps: `;
    return wrap(gaps, head, ' '.repeat(head.length)).join('\n');
  });
}

export function renderCoverageTable(catalogVersion: string, coverage: FrameworkCoverage): string {
  const lines = [`${coverage.name}: ${coverage.items.length} items mapped by catalog ${catalogVersion}`, ''];
  const idWidth = Math.max(0, ...coverage.items.map((item) => item.id.length)) + 2;
  for (const item of coverage.items) {
    const head = `  ${item.id.padEnd(idWidth)}`;
    const indent = ' '.repeat(head.length);
    lines.push(...wrap(item.title || '(unknown item)', head, indent));
    lines.push(...wrap(item.controls.join(' '), indent, indent));
  }
  lines.push('');
  if (coverage.gaps.length === 0) lines.push('Required items without a control: none');
  else {
    lines.push('Required items without a control:');
    for (const gap of coverage.gaps)
      lines.push(...wrap(gap.title, `  ${gap.id.padEnd(idWidth)}`, ' '.repeat(idWidth + 2)));
  }
  return `${lines.join('\n')}\n`;
}

/** The JSON document of `shipguard controls --format json`; see docs/controls.md. */
export function catalogJson(catalog: Catalog, framework?: Framework): object {
  if (framework) {
    return {
      schemaVersion: 1,
      catalogVersion: catalog.version,
      framework,
      coverage: coverageJson(frameworkCoverage(catalog, framework)),
    };
  }
  return {
    schemaVersion: 1,
    catalogVersion: catalog.version,
    controls: catalog.controls.map(controlJson),
    coverage: Object.fromEntries(
      frameworks.map((name) => [name, coverageJson(frameworkCoverage(catalog, name))]),
    ),
  };
}

/** Fixed key order, and optional fields present as null, so consumers can rely on the shape. */
function controlJson(control: Control): object {
  return {
    id: control.id,
    title: control.title,
    area: control.area,
    severity: control.severity,
    requirement: control.requirement,
    sources: control.sources.map((source) => ({ document: source.document, item: source.item })),
    mappings: {
      iso27001: control.mappings.iso27001,
      ssdf: control.mappings.ssdf,
      ncsc: control.mappings.ncsc,
    },
    assessment: {
      checks: control.assessment.checks,
      planned: control.assessment.planned,
      record: control.assessment.record ?? null,
      cadenceDays: control.assessment.cadenceDays ?? null,
    },
  };
}

function coverageJson(coverage: FrameworkCoverage): object {
  return { name: coverage.name, items: coverage.items, gaps: coverage.gaps };
}

/** Controls by area, in the order areas are declared; areas without controls are left out. */
function groupByArea(controls: readonly Control[]): [string, Control[]][] {
  return areas
    .map((area): [string, Control[]] => [area, controls.filter((control) => control.area === area)])
    .filter(([, group]) => group.length > 0);
}

/**
 * Word-wraps `text` to the table width: the first line after `firstPrefix`, the rest after
 * `restPrefix`. A word longer than a line is left whole rather than cut.
 */
export function wrap(text: string, firstPrefix: string, restPrefix: string, width = tableWidth): string[] {
  const lines: string[] = [];
  let line = firstPrefix;
  let empty = true;
  for (const word of text.split(/\s+/).filter((part) => part !== '')) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = restPrefix + word;
    } else {
      line += empty ? word : ` ${word}`;
    }
    empty = false;
  }
  lines.push(line.trimEnd());
  return lines;
}
