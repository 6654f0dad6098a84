import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildAssessment, sampleAssessment, sampleControl } from '../testing/sample-assessment.js';
import { failingAtOrAbove, reportFormatIds, reportFormats, unknownAtOrAbove } from './index.js';

const reportFolder = new URL('./', import.meta.url);

function formatFolders(): string[] {
  return readdirSync(reportFolder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== '__fixtures__')
    .map((entry) => entry.name)
    .sort();
}

describe('report format registry', () => {
  it('registers every folder under src/report/, and nothing else', () => {
    expect(Object.keys(reportFormats).sort()).toEqual(formatFolders());
    expect([...reportFormatIds].sort()).toEqual(formatFolders());
  });

  it('gives every folder the same file roles', () => {
    for (const folder of formatFolders()) {
      const files = readdirSync(new URL(`${folder}/`, reportFolder));
      expect(files, folder).toContain('index.ts');
      expect(files, folder).toContain('render.ts');
      expect(
        files.some((file) => file.endsWith('.test.ts') && !file.endsWith('.conformance.test.ts')),
        `${folder} has a test`,
      ).toBe(true);
    }
  });

  it.each(Object.entries(reportFormats))('%s: declares itself and renders a sample', (id, format) => {
    expect(format.id).toBe(id);
    expect(format.title.length).toBeGreaterThan(0);
    expect(format.mediaType).toMatch(/^[a-z]+\/[a-z0-9.+-]+/);
    const assessment = sampleAssessment();
    const text = format.render(assessment, { color: false });
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toContain('GOV-02');
    // Pure: the same input gives the same text, and the input is left alone.
    expect(format.render(sampleAssessment(), { color: false })).toBe(text);
    expect(assessment).toEqual(sampleAssessment());
  });

  it.each(Object.entries(reportFormats))('%s: renders an assessment with no controls', (_id, format) => {
    const text = format.render(buildAssessment([]), { color: false, verbose: true });
    expect(text.length).toBeGreaterThan(10);
  });
});

describe('failingAtOrAbove', () => {
  const assessment = sampleAssessment();
  const ids = (failOn: Parameters<typeof failingAtOrAbove>[1]) =>
    failingAtOrAbove(assessment, failOn)
      .map((control) => control.controlId)
      .sort();

  it('returns failing and partial controls at or above the threshold', () => {
    expect(ids('critical')).toEqual(['SEC-01', 'SUP-02']);
    // SUP-03 fails at high but is covered by an exception.
    expect(ids('high')).toEqual(['DES-01', 'GOV-02', 'SEC-01', 'SUP-02']);
    expect(ids('medium')).toEqual(['DES-01', 'DEV-02', 'GOV-02', 'PIP-02', 'SCM-02', 'SEC-01', 'SUP-02']);
  });

  it('never counts unknown, pass or not-applicable controls', () => {
    const statuses = new Set(failingAtOrAbove(assessment, 'info').map((control) => control.status));
    expect([...statuses].sort()).toEqual(['fail', 'partial']);
    expect(ids('info')).not.toContain('SCM-01');
  });

  it('returns nothing for none', () => {
    expect(failingAtOrAbove(assessment, 'none')).toEqual([]);
  });

  it('uses the control severity, not the severity of its findings', () => {
    const control = sampleControl({ controlId: 'DEV-05', status: 'fail', severity: 'low' });
    expect(failingAtOrAbove(buildAssessment([control]), 'medium')).toEqual([]);
    expect(failingAtOrAbove(buildAssessment([control]), 'low')).toEqual([control]);
  });
});

describe('unknownAtOrAbove', () => {
  it('lists unknown controls at or above the severity, never with none', () => {
    const assessment = sampleAssessment();
    const unknownHigh = assessment.controls.filter(
      (control) => control.status === 'unknown' && ['critical', 'high'].includes(control.severity),
    );
    expect(unknownAtOrAbove(assessment, 'high').map((control) => control.controlId)).toEqual(
      unknownHigh.map((control) => control.controlId),
    );
    expect(unknownAtOrAbove(assessment, 'info').length).toBeGreaterThan(unknownHigh.length);
    expect(unknownAtOrAbove(assessment, 'none')).toEqual([]);
  });
});
