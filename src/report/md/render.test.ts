import { describe, expect, it } from 'vitest';
import {
  buildAssessment,
  hostileAssessment,
  hostilePath,
  sampleAssessment,
  sampleControl,
  sampleFinding,
} from '../../testing/sample-assessment.js';
import { escapeMarkdown, escapeMarkdownLine, renderMarkdown } from './render.js';

const options = { color: false };

/** The cells of a Markdown table row, split on pipes that are not escaped. */
function cells(row: string): string[] {
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

describe('markdown report', () => {
  const text = renderMarkdown(sampleAssessment(), options);
  const lines = text.split('\n');

  it('starts with the summary line and a table of statuses by area', () => {
    expect(lines[0]).toBe('# shipguard assessment');
    expect(text).toContain('**19 controls: 5 pass, 5 fail, 3 partial, 4 unknown, 2 not applicable**');
    const header = lines.indexOf('| Area | Fail | Partial | Unknown | Pass | Not applicable |');
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 2]).toBe('| governance | 1 | 0 | 0 | 1 | 0 |');
    expect(lines[header + 13]).toBe('| outsourcing | 0 | 0 | 0 | 0 | 1 |');
    expect(lines[header + 14]).toBe('| **Total** | **5** | **3** | **4** | **5** | **2** |');
  });

  it('lists controls that need attention with findings, locations and fixes', () => {
    const headings = lines.filter((line) => line.startsWith('### ')).map((line) => line.split(' ')[2]);
    expect(headings).toEqual([
      'GOV-02',
      'AWR-01',
      'REQ-01',
      'DES-01',
      'DEV-02',
      'SCM-02',
      'SCM-01',
      'SUP-02',
      'SUP-03',
      'SEC-01',
      'PIP-02',
      'TST-01',
    ]);
    expect(text).toContain(
      '- **critical** config/settings.py:42:17: An AWS access key id (AKIA…3f2a, sha256 9c1e…) was committed in 2c26b46.',
    );
    expect(text).toContain('  - Fix: Revoke the credential now');
    expect(text).toContain('**To provide:** Attest SCM-01 in shipguard.yaml');
    expect(text).toContain(
      '> Accepted until 2027-01-31 by alice\\@example.com (approved by cto\\@example.com)',
    );
  });

  it('folds passing and not-applicable controls into a details block', () => {
    const start = lines.indexOf('<details>');
    const end = lines.indexOf('</details>');
    expect(start).toBeGreaterThan(0);
    const folded = lines.slice(start, end).filter((line) => /^\| [A-Z]{3}-\d\d /.test(line));
    expect(folded.map((line) => cells(line)[0])).toEqual([
      'GOV-01',
      'DEV-01',
      'SUP-01',
      'PIP-01',
      'DEP-02',
      'DEP-01',
      'OUT-01',
    ]);
    expect(text).toContain(
      '| SUP-01 | Dependencies are pinned by a committed lockfile | supply-chain | ✓ pass |  | package-lock.json:1 |',
    );
  });

  it('names the audit period and the level of evidence behind each control', () => {
    expect(text).toContain('Audit period 2025-06-02..2026-06-01 (default: the last 12 months)');
    expect(text).toMatch(/\| DEV-01 \|.*\| ✓ pass \| verified \|/);
    expect(text).toContain('· evidence declared (needs signed)');
  });

  it('lists problems', () => {
    expect(text).toContain(
      '- **error** FILE\\_UNREADABLE · deploy/secrets.enc.yaml: could not read the file',
    );
  });

  it('says so when nothing needs attention', () => {
    const passing = buildAssessment([sampleControl({ controlId: 'GOV-01', status: 'pass' })]);
    expect(renderMarkdown(passing, options)).toContain('Nothing: every control passes or does not apply.');
  });

  it('limits the findings listed per control unless verbose', () => {
    const findings = Array.from({ length: 25 }, (_, index) =>
      sampleFinding({ fingerprint: `fingerprint-${index}`, location: { path: `f${index}.ts` } }),
    );
    const assessment = buildAssessment([sampleControl({ controlId: 'SEC-02', status: 'fail', findings })]);
    expect(renderMarkdown(assessment, options)).toContain('- … and 5 more findings');
    expect(renderMarkdown(assessment, { color: false, verbose: true })).toContain('f24.ts');
  });
});

describe('hostile strings in markdown', () => {
  const text = renderMarkdown(hostileAssessment(), options);

  it('escapes HTML, links and emphasis', () => {
    expect(text).not.toContain(hostilePath);
    expect(text).toContain('\\<img src=x onerror=alert(1)\\>.md:7:2');
    expect(text).not.toContain('<script>');
    expect(text).not.toContain('<b>');
    expect(text).toContain('Found \\[a link\\](javascript:alert(1))');
    expect(text).toContain('\\*stars\\*');
    expect(text).toContain('&amp; \\<b\\>not bold\\</b\\>');
  });

  it('keeps list items and headings on one line each', () => {
    const problems = text.split('\n').filter((line) => line.startsWith('- **error**'));
    expect(problems).toHaveLength(2);
    expect(problems[1]).toBe(
      '- **error** FILE\\_UNREADABLE · \\<img src=x onerror=alert(1)\\>.md: could not read',
    );
    const heading = text.split('\n').find((line) => line.startsWith('### ✗ DEV-09'));
    expect(heading).toBe('### ✗ DEV-09 · Title with \\</script\\>\\<script\\>alert(1)\\</script\\> \\| pipe');
  });

  it('escapes each special character and removes line breaks', () => {
    expect(escapeMarkdown('a|b*c_d`e[f]g<h>i~j$k@l!m\\n&o\np')).toBe(
      'a\\|b\\*c\\_d\\`e\\[f\\]g\\<h\\>i\\~j\\$k\\@l\\!m\\\\n&amp;o p',
    );
    const passes = buildAssessment([
      sampleControl({ controlId: 'GOV-01', status: 'pass', title: 'one | two\nthree', summary: 's' }),
    ]);
    const row = renderMarkdown(passes, options)
      .split('\n')
      .find((line) => line.startsWith('| GOV-01'));
    expect(row).toBeDefined();
    expect(cells(row ?? '')).toHaveLength(6);
    expect(cells(row ?? '')[1]).toBe('one \\| two three');
  });

  it('escapes a block marker that starts a line', () => {
    expect(escapeMarkdownLine('# heading')).toBe('\\# heading');
    expect(escapeMarkdownLine('12. item')).toBe('12\\. item');
    expect(escapeMarkdownLine('- item')).toBe('\\- item');
    expect(escapeMarkdownLine('    code')).toBe('code');
    expect(escapeMarkdownLine('version 1.2')).toBe('version 1.2');
    const control = sampleControl({ controlId: 'DEV-04', status: 'unknown', summary: '# big\n1. list' });
    expect(renderMarkdown(buildAssessment([control]), options)).toContain('\n\\# big 1. list\n');
  });
});
