import { describe, expect, it } from 'vitest';
import { frameworkCoverage } from './coverage.js';
import { compareItemIds, ncscGoals } from './frameworks.js';
import { loadCatalog } from './load.js';
import {
  catalogJson,
  describeAssessment,
  describeMappings,
  renderCatalog,
  renderCoverageTable,
  wrap,
} from './render.js';
import { type Catalog, Control } from './schema.js';

function control(overrides: Record<string, unknown>): Control {
  return Control.parse({
    id: 'DEV-99',
    title: 'An example control',
    area: 'development',
    severity: 'medium',
    requirement: 'An example requirement, long enough to be one.',
    sources: [{ document: 'iso-sdp', item: 'iso-sdp/2.3/backup' }],
    mappings: { iso27001: ['8.13'], ssdf: ['PS.3.1'], ncsc: ['goal-8'] },
    assessment: { record: 'attestation' },
    ...overrides,
  });
}

const catalog = loadCatalog();

describe('describeAssessment', () => {
  it('names checks, planned checks and the record with its cadence', () => {
    const text = describeAssessment(
      control({
        assessment: {
          checks: ['ci/present'],
          planned: ['gate/enforced'],
          record: 'pen-test',
          cadenceDays: 182,
        },
      }),
    );
    expect(text).toBe('checks: ci/present; planned: gate/enforced; record: pen-test every 182 days');
  });

  it('says a control with only planned checks is attested until they exist', () => {
    expect(describeAssessment(control({ assessment: { planned: ['sbom/generated'] } }))).toBe(
      'planned: sbom/generated; until then: attestation',
    );
  });

  it('does not ask for a record when checks exist', () => {
    expect(describeAssessment(control({ assessment: { checks: ['lockfiles/present'] } }))).toBe(
      'checks: lockfiles/present',
    );
  });
});

describe('describeMappings', () => {
  it('lists each framework that is mapped and leaves out empty ones', () => {
    expect(describeMappings(control({}))).toBe('ISO 8.13 · SSDF PS.3.1 · NCSC goal-8');
    expect(describeMappings(control({ mappings: { iso27001: ['6.4'], ncsc: ['goal-2'] } }))).toBe(
      'ISO 6.4 · NCSC goal-2',
    );
  });
});

describe('wrap', () => {
  it('breaks between words within the width and indents continuation lines', () => {
    const lines = wrap('alpha beta gamma delta', '> ', '  ', 12);
    expect(lines).toEqual(['> alpha beta', '  gamma', '  delta']);
  });

  it('keeps a word longer than the width whole', () => {
    expect(wrap('abcdefghijklmnop', '', '', 5)).toEqual(['abcdefghijklmnop']);
  });
});

describe('table output', () => {
  const table = renderCatalog(catalog, { format: 'table' });

  it('fits in 100 columns', () => {
    const long = table.split('\n').filter((line) => line.length > 100);
    expect(long).toEqual([]);
  });

  it('lists every control once with its severity, and a coverage summary', () => {
    for (const entry of catalog.controls) {
      const rows = table.split('\n').filter((line) => line.startsWith(`  ${entry.id} `));
      expect(rows, entry.id).toHaveLength(1);
      expect(rows[0]).toContain(entry.severity);
    }
    expect(table).toMatch(/^shipguard control catalog \d{4}\.\d+\.\d+: \d+ controls$/m);
    expect(table).toMatch(/ISO\/IEC 27001:2022 Annex A\s+\d+ items\s+gaps: none/);
  });

  it('shows the pen-test cadence on the pen-test control', () => {
    const lines = table.split('\n');
    const index = lines.findIndex((line) => line.startsWith('  TST-04 '));
    expect(lines[index + 1]?.trim()).toBe('record: pen-test every 182 days');
  });

  it('groups by one framework, in its own order, within 100 columns', () => {
    const iso = renderCatalog(catalog, { format: 'table', framework: 'iso27001' });
    expect(iso.split('\n').filter((line) => line.length > 100)).toEqual([]);
    expect(iso.indexOf('  5.9 ')).toBeLessThan(iso.indexOf('  5.19 '));
    expect(iso.indexOf('  8.25 ')).toBeGreaterThan(0);
    expect(iso).toContain('Required items without a control: none');
  });

  it('lists gaps with their titles when required items lack a control', () => {
    const small: Catalog = { version: '0.0.1', controls: [control({})] };
    const text = renderCoverageTable(small.version, frameworkCoverage(small, 'iso27001'));
    const [mapped = '', gaps = ''] = text.split('Required items without a control:');
    expect(mapped).toMatch(/^ {2}8\.13\s+Information backup$/m);
    expect(gaps).toMatch(/^ {2}8\.32\s+Change management$/m);
    expect(gaps).not.toContain('8.13');
  });
});

describe('json output', () => {
  it('has a stable top-level shape and every control with null for unset fields', () => {
    const document = JSON.parse(renderCatalog(catalog, { format: 'json' })) as {
      schemaVersion: number;
      catalogVersion: string;
      controls: { id: string; assessment: Record<string, unknown> }[];
      coverage: Record<string, { gaps: unknown[] }>;
    };
    expect(Object.keys(document)).toEqual(['schemaVersion', 'catalogVersion', 'controls', 'coverage']);
    expect(document.schemaVersion).toBe(1);
    expect(document.controls.map((entry) => entry.id)).toEqual(catalog.controls.map((entry) => entry.id));
    expect(Object.keys(document.controls[0] ?? {})).toEqual([
      'id',
      'title',
      'area',
      'severity',
      'requirement',
      'sources',
      'mappings',
      'assessment',
    ]);
    const govOne = document.controls.find((entry) => entry.id === 'GOV-01');
    expect(govOne?.assessment).toEqual({ checks: [], planned: [], record: 'attestation', cadenceDays: null });
    expect(Object.keys(document.coverage)).toEqual(['iso27001', 'ssdf', 'ncsc']);
  });

  it('holds one framework coverage with --framework', () => {
    const document = catalogJson(catalog, 'ncsc') as {
      framework: string;
      coverage: { items: { id: string }[] };
    };
    expect(Object.keys(document)).toEqual(['schemaVersion', 'catalogVersion', 'framework', 'coverage']);
    // Every NCSC goal, in the framework's order.
    expect(document.coverage.items.map((item) => item.id)).toEqual(Object.keys(ncscGoals));
  });
});

describe('frameworkCoverage', () => {
  const small: Catalog = {
    version: '0.0.1',
    controls: [
      control({
        id: 'DEV-01',
        mappings: { iso27001: ['5.10', '8.25', '8.25'], ssdf: ['RV.1.1'], ncsc: ['goal-1'] },
      }),
      control({ id: 'DEV-02', mappings: { iso27001: ['5.9'], ssdf: ['PO.1.1'], ncsc: ['goal-1'] } }),
    ],
  };

  it('lists items in the framework order with the controls serving each, once', () => {
    const iso = frameworkCoverage(small, 'iso27001');
    expect(iso.items).toEqual([
      { id: '5.9', title: 'Inventory of information and other associated assets', controls: ['DEV-02'] },
      {
        id: '5.10',
        title: 'Acceptable use of information and other associated assets',
        controls: ['DEV-01'],
      },
      { id: '8.25', title: 'Secure development life cycle', controls: ['DEV-01'] },
    ]);
    expect(frameworkCoverage(small, 'ssdf').items.map((item) => item.id)).toEqual(['PO.1.1', 'RV.1.1']);
  });

  it('reports required items without a control as gaps', () => {
    // Every goal but goal-1, the one the small catalog serves.
    expect(frameworkCoverage(small, 'ncsc').gaps.map((gap) => gap.id)).toEqual(
      Object.keys(ncscGoals).filter((goal) => goal !== 'goal-1'),
    );
    expect(frameworkCoverage(small, 'iso27001').gaps.map((gap) => gap.id)).toContain('8.32');
    expect(frameworkCoverage(small, 'iso27001').gaps.map((gap) => gap.id)).not.toContain('8.25');
    expect(frameworkCoverage(small, 'ssdf').gaps).toEqual([]);
  });

  it('orders ids numerically and SSDF groups as the framework does', () => {
    const ids = ['8.3', 'RV.1.1', '5.10', 'PW.1.1', '5.9', 'PO.5.2', 'PS.1.1', 'goal-2', 'goal-10'];
    const iso = ids.filter((id) => /^\d/.test(id)).sort(compareItemIds);
    const ssdf = ids.filter((id) => /^[A-Z]/.test(id)).sort(compareItemIds);
    expect(iso).toEqual(['5.9', '5.10', '8.3']);
    expect(ssdf).toEqual(['PO.5.2', 'PS.1.1', 'PW.1.1', 'RV.1.1']);
    expect(['goal-10', 'goal-2'].sort(compareItemIds)).toEqual(['goal-2', 'goal-10']);
  });
});
