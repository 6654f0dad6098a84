import { describe, expect, it } from 'vitest';
import {
  buildAssessment,
  hostileAssessment,
  sampleAssessment,
  sampleControl,
  sampleFinding,
} from '../../testing/sample-assessment.js';
import { clean, renderTable } from './render.js';

const escapeCharacter = String.fromCharCode(27);
const plain = { color: false };

describe('table report', () => {
  const text = renderTable(sampleAssessment(), plain);
  const lines = text.split('\n');

  it('names the audit period and shows each control with the level of its evidence', () => {
    expect(lines[1]).toBe('audit period 2025-06-02..2026-06-01 (default: the last 12 months)');
    expect(text).toContain(
      'DEV-01    Changes are reviewed by a second person before merge · evidence verified',
    );
    expect(text).toMatch(
      /AWR-01 {4}Developers complete secure-coding training every year · evidence declared\s+\(needs signed\)/,
    );
  });

  it('groups controls by area in catalog order', () => {
    const headings = lines.filter((line) => /^[A-Z-]+$/.test(line));
    expect(headings).toEqual([
      'GOVERNANCE',
      'AWARENESS',
      'REQUIREMENTS',
      'DESIGN',
      'DEVELOPMENT',
      'SOURCE-CONTROL',
      'SUPPLY-CHAIN',
      'SECRETS',
      'PIPELINE',
      'TESTING',
      'DEPLOYMENT',
      'OUTSOURCING',
      'PROBLEMS',
    ]);
  });

  it('shows one line per control: status, id and title; most important first within an area', () => {
    const supplyChain = lines.filter((line) => /^ {2}\S/.test(line) && / SUP-\d\d /.test(line));
    expect(supplyChain).toEqual([
      '  ✗ FAIL     SUP-02    No dependency has a known vulnerability [critical]',
      '  ✗ FAIL     SUP-03    Runtimes and frameworks are supported (not end of life) [high]',
      '  ✓ PASS     SUP-01    Dependencies are pinned by a committed lockfile',
    ]);
  });

  it('lists findings with path:line:column and the remediation under failing controls', () => {
    const start = lines.findIndex((line) => line.includes('SUP-02'));
    expect(lines.slice(start + 1, start + 7)).toEqual([
      '                       critical: package-lock.json:812:5 · lodash 4.17.15 is affected by',
      '                         GHSA-p6mc-m468-83gw (prototype pollution); fixed in 4.17.19.',
      '                       medium: package-lock.json:1490:5 · semver 7.5.1 is affected by',
      '                         GHSA-c2qf-rxjj-qqgw (ReDoS); fixed in 7.5.2.',
      '                         fix: Upgrade the affected packages to a fixed version and commit the',
      '                              lockfile.',
    ]);
  });

  it('shows a finding without a location by its message alone', () => {
    expect(text).toContain('medium: No static analysis tool runs in CI.');
  });

  it('shows how to provide the evidence under unknown controls when verbose, and points there otherwise', () => {
    const verboseLines = renderTable(sampleAssessment(), { color: false, verbose: true }).split('\n');
    const start = verboseLines.findIndex((line) => line.includes('SCM-01'));
    expect(verboseLines[start + 2]).toContain('to provide: Attest SCM-01 in shipguard.yaml');
    expect(text).not.toContain('to provide: Attest SCM-01');
    expect(text).toContain('4 unknown: --verbose (or --format json) says how to provide');
  });

  it('shows an accepted exception', () => {
    const start = lines.findIndex((line) => line.includes('SUP-03'));
    expect(lines[start + 1]?.trim()).toMatch(
      /^accepted until 2027-01-31 by alice@example\.com \(approved by/,
    );
    expect(text.replaceAll(/\s+/g, ' ')).toContain(
      'accepted until 2027-01-31 by alice@example.com (approved by cto@example.com): The upgrade ships with',
    );
    expect(text).toContain('1 control is covered by an accepted exception');
  });

  it('lists problems and ends with the summary line', () => {
    expect(text).toContain('  error    deploy/secrets.enc.yaml · could not read the file: permission denied');
    expect(text).toContain('[DATA_STALE]');
    expect(lines.at(-3)).toBe('19 controls: 5 pass, 5 fail, 3 partial, 4 unknown, 2 not applicable');
  });

  it('shows the evidence of passes only when verbose', () => {
    expect(text).not.toContain('evidence: package-lock.json:1');
    const verbose = renderTable(sampleAssessment(), { color: false, verbose: true });
    expect(verbose).toContain('evidence: package-lock.json:1');
    expect(verbose).toContain('evidence: record in shipguard.yaml:12 (marked not applicable)');
  });

  it('keeps lines within 100 columns, except for a single word that is longer', () => {
    for (const line of renderTable(sampleAssessment(), { color: false, verbose: true }).split('\n')) {
      if (line.length > 100) expect(line.trim()).not.toContain(' ');
    }
  });

  it('colours only when asked', () => {
    expect(text).not.toContain(escapeCharacter);
    const coloured = renderTable(sampleAssessment(), { color: true });
    expect(coloured).toContain(`${escapeCharacter}[31m✗ FAIL`);
    expect(coloured).toContain(`${escapeCharacter}[32m✓ PASS`);
    // Without the colour codes it is the same text.
    const stripped = coloured.replaceAll(new RegExp(`${escapeCharacter}\\[\\d+m`, 'g'), '');
    expect(stripped).toBe(text);
  });

  it('shows ten findings of a control and counts the rest unless verbose', () => {
    const findings = Array.from({ length: 13 }, (_, index) =>
      sampleFinding({
        fingerprint: `fingerprint-${index}`,
        location: { path: `src/file-${index}.ts`, line: 1 },
      }),
    );
    const assessment = buildAssessment([sampleControl({ controlId: 'SEC-02', status: 'fail', findings })]);
    const short = renderTable(assessment, plain);
    expect(short).toContain('src/file-9.ts:1');
    expect(short).not.toContain('src/file-10.ts:1');
    expect(short).toContain('… and 3 more (--verbose shows all)');
    expect(renderTable(assessment, { color: false, verbose: true })).toContain('src/file-12.ts:1');
  });
});

describe('hostile strings in the table', () => {
  it('never lets an escape sequence from the repository reach the terminal', () => {
    for (const color of [false, true]) {
      const text = renderTable(hostileAssessment(), { color });
      const sequences = text.match(new RegExp(`${escapeCharacter}[^\\[]`, 'g')) ?? [];
      expect(sequences).toEqual([]);
      expect(text).not.toContain(`${escapeCharacter}[2J`);
      expect(text).not.toContain(`${escapeCharacter}[31m\\x1b`);
    }
    const text = renderTable(hostileAssessment(), plain);
    expect(text).toContain('repo "<b>x</b>" | \\x1b[31m (main');
    expect(text).toContain('\\x1b]8;;https://evil.invalid\\x1b\\text');
  });

  it('makes control characters, line breaks and bidirectional overrides visible', () => {
    expect(clean(`a\nb\tc${escapeCharacter}d\u202Ee\u0085`)).toBe('a b c\\x1bd\\u202ee\\x85');
  });
});
