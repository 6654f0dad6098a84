import { describe, expect, it } from 'vitest';
import type { ControlResult, ControlStatus, Evidence } from '../kernel/index.js';
import { buildAssessment, sampleControl } from '../testing/sample-assessment.js';
import { frameworkCoverage } from './coverage.js';
import { frameworkStatus, renderFrameworkStatus } from './framework-status.js';
import { frameworks, isoAnnexAControls, ncscGoals, ssdfTasks } from './frameworks.js';
import { loadCatalog } from './load.js';

const catalog = loadCatalog();
const evidence: Evidence[] = [{ kind: 'file', path: 'SECURITY.md', line: 1 }];

/** The controls the catalog maps to ISO 8.25 (more than one, so mixes can be built). */
const beneath =
  frameworkCoverage(catalog, 'iso27001').items.find((item) => item.id === '8.25')?.controls ?? [];

function resultsFor(statuses: ControlStatus[], overrides: Partial<ControlResult> = {}): ControlResult[] {
  return beneath.map((controlId, index) =>
    sampleControl({
      controlId,
      status: statuses[index] ?? statuses.at(-1) ?? 'unknown',
      evidence: (statuses[index] ?? statuses.at(-1)) === 'unknown' ? [] : evidence,
      evidenceLevel: 'verified',
      ...overrides,
    }),
  );
}

function item825(controls: ControlResult[]) {
  const view = frameworkStatus(catalog, buildAssessment(controls), 'iso27001');
  const item = view.items.find((entry) => entry.id === '8.25');
  if (!item) throw new Error('8.25 is not in the view');
  return item;
}

describe('frameworkStatus', () => {
  it('has several controls beneath ISO 8.25 to derive from', () => {
    expect(beneath.length).toBeGreaterThan(2);
  });

  it('passes an item only when every applicable control beneath passes on evidence', () => {
    expect(item825(resultsFor(['pass']))).toMatchObject({ status: 'pass', evidenceLevel: 'verified' });
    const oneNotApplicable = resultsFor(['not-applicable', 'pass']);
    expect(item825(oneNotApplicable).status).toBe('pass');
    // One control the assessment has no result for: not a pass.
    expect(item825(resultsFor(['pass']).slice(1)).status).toBe('partial');
    // A pass that names no evidence counts as unknown.
    const hollow = resultsFor(['pass']).map((result, index) =>
      index === 0 ? { ...result, evidence: [] } : result,
    );
    const item = item825(hollow);
    expect(item.status).toBe('partial');
    expect(item.controls[0]).toMatchObject({ status: 'unknown', howToProvide: 'the pass names no evidence' });
  });

  it('fails on one failing control, unless an accepted risk covers it', () => {
    expect(item825(resultsFor(['fail', 'pass'])).status).toBe('fail');
    const accepted = resultsFor(['pass']).map((result, index) =>
      index === 0
        ? {
            ...result,
            status: 'fail' as const,
            exception: { reason: 'r', owner: 'o', approver: 'a', expires: '2027-01-01' },
          }
        : result,
    );
    expect(item825(accepted)).toMatchObject({
      status: 'partial',
      reason: expect.stringContaining('accepted risk'),
    });
  });

  it('is unknown without evidence and not applicable when nothing beneath applies', () => {
    expect(item825(resultsFor(['unknown'])).status).toBe('unknown');
    expect(item825([]).status).toBe('unknown');
    expect(item825(resultsFor(['not-applicable'])).status).toBe('not-applicable');
    expect(item825(resultsFor(['partial', 'pass'])).status).toBe('partial');
  });

  it.each(frameworks)(
    '%s: one item per mapped framework id, each known, counted in the summary',
    (framework) => {
      const view = frameworkStatus(catalog, buildAssessment(resultsFor(['pass'])), framework);
      const known = { iso27001: isoAnnexAControls, ssdf: ssdfTasks, ncsc: ncscGoals }[framework];
      expect(view.items.length).toBeGreaterThan(0);
      for (const item of view.items) expect(Object.hasOwn(known, item.id), item.id).toBe(true);
      const total = Object.values(view.summary).reduce((sum, count) => sum + count, 0);
      expect(total).toBe(view.items.length);
      // Controls not in the assessment are never passes.
      expect(
        view.items
          .filter((item) => item.status === 'pass')
          .every((item) => item.controls.every((c) => c.status === 'pass' || c.status === 'not-applicable')),
      ).toBe(true);
    },
  );

  it('renders a table and JSON; the same input gives the same text', () => {
    const view = frameworkStatus(catalog, buildAssessment(resultsFor(['fail', 'pass'])), 'ncsc');
    const table = renderFrameworkStatus(view, 'table');
    expect(table).toContain('NCSC');
    expect(table).toMatch(/fail\s+goal-\d/);
    expect(table.split('\n').every((line) => line.length <= 100)).toBe(true);
    expect(JSON.parse(renderFrameworkStatus(view, 'json'))).toEqual(view);
    expect(
      renderFrameworkStatus(
        frameworkStatus(catalog, buildAssessment(resultsFor(['fail', 'pass'])), 'ncsc'),
        'table',
      ),
    ).toBe(table);
  });
});
