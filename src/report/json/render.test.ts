import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Assessment } from '../../kernel/index.js';
import * as samples from '../../testing/sample-assessment.js';
import { renderJson } from './render.js';
import { validateAssessmentDocument } from './validate.js';

type Document = Record<string, unknown> & Assessment;

function parse(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>;
}

const schema = JSON.parse(readFileSync(new URL('./assessment.schema.json', import.meta.url), 'utf8')) as {
  $defs: Record<string, { properties?: Record<string, unknown> }>;
};

/** The order the published schema lists an object's keys in: the order the report promises. */
function promisedKeyOrder(definition: string): string[] {
  return Object.keys(schema.$defs[definition]?.properties ?? {});
}

/** A control of a parsed document, by id; throws so a mutation never silently does nothing. */
function control(document: Document, id: string): Assessment['controls'][number] {
  const found = document.controls.find((candidate) => candidate.controlId === id);
  if (!found) throw new Error(`no control ${id}`);
  return found;
}

describe('json report', () => {
  it('is the assessment itself, pretty-printed', () => {
    const assessment = samples.sampleAssessment();
    const text = renderJson(assessment);
    expect(text.startsWith('{\n  "schemaVersion": 1,\n  "tool": {\n    "name": "shipguard"')).toBe(true);
    const document = parse(text) as unknown as Assessment;
    expect(document.summary).toEqual(assessment.summary);
    expect(document.controls).toHaveLength(assessment.controls.length);
    // Nothing lost: the same content, only reordered.
    const byId = (list: Assessment['controls']) =>
      [...list].sort((a, b) => (a.controlId < b.controlId ? -1 : 1));
    expect(byId(document.controls).map((control) => control.controlId)).toEqual(
      byId(assessment.controls).map((control) => control.controlId),
    );
    expect(document.controls.find((control) => control.controlId === 'SUP-03')).toEqual(
      assessment.controls.find((control) => control.controlId === 'SUP-03'),
    );
    expect({ ...document, controls: [] }).toEqual({
      ...assessment,
      controls: [],
      problems: document.problems,
    });
  });

  it('writes keys and arrays in a stable order, whatever order they came in', () => {
    const assessment = samples.sampleAssessment();
    const shuffled: Assessment = {
      ...assessment,
      controls: [...assessment.controls].reverse().map((control) => {
        const reversed = Object.fromEntries(Object.entries(control).reverse()) as unknown as typeof control;
        return { ...reversed, findings: [...control.findings].reverse() };
      }),
      problems: [...assessment.problems].reverse(),
    };
    expect(renderJson(shuffled)).toBe(renderJson(assessment));
    const document = parse(renderJson(assessment)) as unknown as Assessment;
    expect(document.controls.map((control) => control.controlId)).toEqual(
      assessment.controls.map((control) => control.controlId).sort(),
    );
    // Keys in the order the schema promises, every key the control was given and no other.
    const first = document.controls[0];
    const given = assessment.controls.find((item) => item.controlId === first?.controlId) ?? {};
    const present = Object.entries(given).flatMap(([key, value]) => (value === undefined ? [] : [key]));
    expect(Object.keys(first ?? {})).toEqual(
      promisedKeyOrder('controlResult').filter((key) => present.includes(key)),
    );
    expect(document.period).toEqual({ from: '2025-06-02', to: '2026-06-01', source: 'default' });
    const supplyChain = document.controls.find((control) => control.controlId === 'SUP-02');
    expect(supplyChain?.findings.map((finding) => finding.location?.line)).toEqual([812, 1490]);
  });

  it('keeps a field the ordering does not know, after the known ones', () => {
    const assessment = samples.sampleAssessment();
    const extended = { ...assessment, zeta: 1, alpha: 2 } as Assessment;
    expect(Object.keys(parse(renderJson(extended))).slice(-2)).toEqual(['alpha', 'zeta']);
  });
});

describe('json schema', () => {
  it('accepts the sample assessments', () => {
    for (const assessment of [
      samples.sampleAssessment(),
      samples.hostileAssessment(),
      samples.buildAssessment([]),
    ]) {
      expect(validateAssessmentDocument(parse(renderJson(assessment)))).toEqual([]);
    }
  });

  it('accepts every status, optional field and evidence kind', () => {
    const assessment = samples.sampleAssessment();
    const kinds = new Set(
      assessment.controls.flatMap((control) => control.evidence.map((item) => item.kind)),
    );
    expect([...kinds].sort()).toEqual(['absence', 'commit', 'digest', 'file', 'record']);
    expect(new Set(assessment.controls.map((control) => control.status)).size).toBe(5);
  });

  it.each<[string, (document: Document) => void]>([
    ['a wrong schemaVersion', (document) => Object.assign(document, { schemaVersion: 2 })],
    ['an unknown top-level key', (document) => Object.assign(document, { extra: true })],
    ['a missing summary', (document) => Reflect.deleteProperty(document, 'summary')],
    ['an unknown status', (document) => Object.assign(control(document, 'GOV-01'), { status: 'passed' })],
    ['an unknown severity', (document) => Object.assign(control(document, 'GOV-01'), { severity: 'urgent' })],
    [
      'a line 0',
      (document) => Object.assign(control(document, 'SEC-01').findings[0]?.location ?? {}, { line: 0 }),
    ],
    [
      'a finding without a fingerprint',
      (document) => Reflect.deleteProperty(control(document, 'SEC-01').findings[0] ?? {}, 'fingerprint'),
    ],
    [
      'an evidence of unknown kind',
      (document) => Object.assign(control(document, 'GOV-01').evidence[0] ?? {}, { kind: 'hearsay' }),
    ],
    [
      'file evidence with a commit',
      (document) => Object.assign(control(document, 'SUP-01').evidence[0] ?? {}, { commit: 'abcdef0' }),
    ],
    ['a bad timestamp', (document) => Object.assign(document, { startedAt: 'yesterday' })],
    [
      'a bad exception date',
      (document) => Object.assign(control(document, 'SUP-03').exception ?? {}, { expires: '31/01/2027' }),
    ],
    ['a negative count', (document) => Object.assign(document.summary, { pass: -1 })],
  ])('rejects %s', (_name, mutate) => {
    const document = parse(renderJson(samples.sampleAssessment())) as Document;
    expect(validateAssessmentDocument(document)).toEqual([]);
    mutate(document);
    expect(validateAssessmentDocument(document).length).toBeGreaterThan(0);
  });

  it('names where the document is wrong', () => {
    const document = parse(renderJson(samples.sampleAssessment())) as Document;
    Object.assign(document.controls[2] ?? {}, { status: 'passed' });
    expect(validateAssessmentDocument(document)).toContain(
      '/controls/2/status: must be equal to one of the allowed values',
    );
  });

  it('rejects a control with a finding whose location has no path', () => {
    const control = samples.sampleControl({
      controlId: 'DEV-03',
      status: 'fail',
      findings: [samples.sampleFinding({ location: { path: '' } })],
    });
    expect(validateAssessmentDocument(parse(renderJson(samples.buildAssessment([control]))))).not.toEqual([]);
  });
});

describe('docs/json-report.md', () => {
  it('shows an example that the schema accepts', () => {
    const docs = readFileSync(new URL('../../../docs/json-report.md', import.meta.url), 'utf8');
    const example = /```json\n([\s\S]*?)\n```/.exec(docs)?.[1];
    expect(example).toBeDefined();
    expect(validateAssessmentDocument(JSON.parse(example ?? ''))).toEqual([]);
  });
});
