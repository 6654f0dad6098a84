import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShipguardError } from '../kernel/index.js';
import { fakeCredentials } from '../testing/fake-credentials.js';
import { thrownCode } from '../testing/thrown-code.js';
import {
  coberturaReport,
  codeqlSarif,
  semgrepSarif,
  testsslFlat,
  testsslPretty,
  zapReport,
} from './__fixtures__/reports.js';
import { detectFormat, EvidenceImportError, type EvidenceSummary, parseEvidenceFile } from './index.js';
import { parseXml } from './xml.js';

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bytes = (value: unknown): Buffer =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');

function summaryOf(
  value: unknown,
  format: Parameters<typeof parseEvidenceFile>[2] = 'auto',
): EvidenceSummary {
  return parseEvidenceFile(bytes(value), 'report', format).summary;
}

const errorCodeOf = (run: () => unknown) => thrownCode(ShipguardError, run);

describe('JUnit XML written by a real vitest run', () => {
  let folder: string;
  let failingReport: string;
  let passingReport: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'shipguard-junit-'));
    writeFileSync(
      join(folder, 'math.test.js'),
      "test('adds', () => { expect(1 + 1).toBe(2); });\ntest('subtracts', () => { expect(2 - 1).toBe(3); });\ntest.skip('later', () => {});\n",
    );
    writeFileSync(
      join(folder, 'strings.test.js'),
      "test('joins', () => { expect(['a', 'b'].join('')).toBe('ab'); });\n",
    );
    const vitest = join(repositoryRoot, 'node_modules', 'vitest', 'vitest.mjs');
    const runVitest = (files: string[], out: string): string => {
      spawnSync(
        process.execPath,
        [
          vitest,
          'run',
          ...files,
          '--root',
          folder,
          '--globals',
          '--reporter=junit',
          `--outputFile.junit=${out}`,
        ],
        { cwd: folder, encoding: 'utf8', env: { ...process.env, CI: '1' }, timeout: 60_000 },
      );
      return readFileSync(out, 'utf8');
    };
    failingReport = runVitest([], join(folder, 'all.xml'));
    passingReport = runVitest(['strings'], join(folder, 'passing.xml'));
  }, 90_000);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('counts the failed, skipped and passed tests and names the failing one', () => {
    expect(detectFormat('all.xml', failingReport)).toBe('junit');
    const parsed = parseEvidenceFile(bytes(failingReport), 'all.xml', 'auto');
    expect(parsed.format).toBe('junit');
    expect(parsed.summary).toMatchObject({ kind: 'tests', tests: 4, failures: 1, errors: 0, skipped: 1 });
    expect(parsed.summary.kind === 'tests' && parsed.summary.failing.join(' ')).toContain('subtracts');
    expect(parsed.ranAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(parsed.commit).toBeUndefined();
  });

  it('reads a run where every test passed', () => {
    expect(summaryOf(passingReport)).toMatchObject({ kind: 'tests', tests: 1, failures: 0, errors: 0 });
  });
});

describe('lcov written by a real coverage run (Node test runner)', () => {
  it('sums the lines found and hit', () => {
    const folder = mkdtempSync(join(tmpdir(), 'shipguard-lcov-'));
    try {
      writeFileSync(
        join(folder, 'lib.mjs'),
        'export function half(n) {\n  if (n > 100) {\n    return n / 2;\n  }\n  return n;\n}\n',
      );
      writeFileSync(
        join(folder, 'lib.test.mjs'),
        "import { test } from 'node:test';\nimport assert from 'node:assert';\nimport { half } from './lib.mjs';\ntest('small', () => assert.equal(half(2), 2));\n",
      );
      execFileSync(
        process.execPath,
        [
          '--test',
          '--experimental-test-coverage',
          '--test-reporter=lcov',
          '--test-reporter-destination=coverage.lcov',
          'lib.test.mjs',
        ],
        { cwd: folder, stdio: 'ignore' },
      );
      const text = readFileSync(join(folder, 'coverage.lcov'), 'utf8');
      expect(detectFormat('coverage.lcov', text)).toBe('lcov');
      const summary = summaryOf(text);
      expect(summary.kind).toBe('coverage');
      if (summary.kind !== 'coverage') return;
      expect(summary.linesFound).toBeGreaterThan(summary.linesHit);
      expect(summary.linesHit).toBeGreaterThan(0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('SARIF 2.1.0', () => {
  it('counts error-level results through the rule default, with the CWE of the rule, the commit and the time', () => {
    const commit = 'a'.repeat(40);
    const parsed = parseEvidenceFile(
      bytes(codeqlSarif({ commit, errors: 2, notes: 1, suppressed: 1 })),
      'codeql.sarif',
      'auto',
    );
    expect(parsed).toMatchObject({
      format: 'sarif',
      tool: 'CodeQL',
      commit,
      ranAt: '2026-05-30T10:00:00.000Z',
    });
    expect(parsed.summary).toMatchObject({
      kind: 'static-analysis',
      findings: { high: 2, medium: 0, low: 1 },
      suppressed: 1,
      complete: true,
      weaknesses: [{ cwe: 89, severity: 'high', count: 2 }],
    });
  });

  it('reads Semgrep-style CWE tags and result levels; a clean log has no findings', () => {
    expect(
      summaryOf(
        semgrepSarif({ level: 'warning', cwe: 'CWE-327: Use of a Broken or Risky Cryptographic Algorithm' }),
      ),
    ).toMatchObject({
      findings: { high: 0, medium: 1, low: 0 },
      weaknesses: [{ cwe: 327, severity: 'medium', count: 1 }],
    });
    expect(summaryOf(codeqlSarif())).toMatchObject({ findings: { high: 0, medium: 0, low: 0 } });
  });

  it('finds the rule of a result in a tool extension (CodeQL query packs), so its default error level counts', () => {
    const log = codeqlSarif({ errors: 1 }) as {
      runs: { tool: { driver: Record<string, unknown> }; results: Record<string, unknown>[] }[];
    };
    const run = log.runs[0];
    if (!run) throw new Error('no run');
    const rules = run.tool.driver['rules'];
    run.tool = {
      driver: { name: 'CodeQL' },
      extensions: [{ name: 'codeql/javascript-queries', rules }],
    } as never;
    run.results = run.results.map(({ ruleIndex: _index, ...result }) => ({
      ...result,
      rule: { id: 'js/sql-injection', index: 0, toolComponent: { index: 0 } },
    }));
    expect(summaryOf(log)).toMatchObject({
      findings: { high: 1 },
      weaknesses: [{ cwe: 89, severity: 'high', count: 1 }],
    });
  });

  it('says when the tool did not complete, and refuses other versions and runs naming two commits', () => {
    expect(summaryOf(codeqlSarif({ incomplete: true }))).toMatchObject({ complete: false });
    expect(errorCodeOf(() => summaryOf({ version: '2.0.0', runs: [] }, 'sarif'))).toBe('EVIDENCE_MALFORMED');
    const log = codeqlSarif({ commit: 'b'.repeat(40) }) as { runs: Record<string, unknown>[] };
    const second = {
      ...log.runs[0],
      versionControlProvenance: [{ repositoryUri: 'x', revisionId: 'c'.repeat(40) }],
    };
    expect(errorCodeOf(() => summaryOf({ ...log, runs: [log.runs[0], second] }))).toBe('EVIDENCE_MALFORMED');
  });
});

describe('OWASP ZAP and testssl.sh', () => {
  it('counts ZAP alerts by risk (informational ones are not findings), with the time it was generated', () => {
    const parsed = parseEvidenceFile(bytes(zapReport({ high: 2 })), 'zap.json', 'auto');
    expect(parsed).toMatchObject({ format: 'zap', tool: 'OWASP ZAP 2.15.0' });
    expect(parsed.ranAt?.slice(0, 10)).toBe('2026-05-30');
    expect(parsed.summary).toMatchObject({ kind: 'dynamic-scan', findings: { high: 2, medium: 3, low: 0 } });
    expect(parsed.summary.kind === 'dynamic-scan' && parsed.summary.weaknesses).toContainEqual({
      cwe: 79,
      severity: 'high',
      count: 2,
    });
  });

  it('reads both testssl.sh shapes; HIGH is high, OK/INFO/WARN are not findings', () => {
    expect(summaryOf(testsslFlat())).toMatchObject({
      kind: 'tls-scan',
      findings: { high: 0, medium: 0, low: 1 },
    });
    const pretty = parseEvidenceFile(bytes(testsslPretty({ high: true })), 'tls.json', 'auto');
    expect(pretty).toMatchObject({
      format: 'testssl',
      tool: 'testssl.sh 3.2.0',
      ranAt: '2026-05-30T09:00:00.000Z',
    });
    expect(pretty.summary).toMatchObject({ findings: { high: 1, medium: 0, low: 1 } });
    expect(errorCodeOf(() => summaryOf([{ a: 1 }], 'testssl'))).toBe('EVIDENCE_MALFORMED');
  });
});

describe('Cobertura', () => {
  it('reads lines and branches and the millisecond timestamp', () => {
    const parsed = parseEvidenceFile(bytes(coberturaReport()), 'coverage.xml', 'auto');
    expect(parsed).toMatchObject({ format: 'cobertura', ranAt: '2026-05-30T09:00:00.000Z' });
    expect(parsed.summary).toEqual({
      kind: 'coverage',
      linesFound: 200,
      linesHit: 150,
      branchesFound: 40,
      branchesHit: 30,
    });
  });
});

describe('hostile files', () => {
  it('refuses entity declarations (billion laughs, external entities) and unknown entities', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><testsuites><testsuite name="&lol2;"/></testsuites>`;
    expect(errorCodeOf(() => summaryOf(laughs, 'junit'))).toBe('EVIDENCE_MALFORMED');
    const external = `<?xml version="1.0"?><!DOCTYPE t SYSTEM "file:///etc/passwd"><testsuites/>`;
    expect(errorCodeOf(() => summaryOf(external, 'junit'))).toBe('EVIDENCE_MALFORMED');
    expect(errorCodeOf(() => summaryOf('<testsuites name="&xxe;"/>', 'junit'))).toBe('EVIDENCE_MALFORMED');
    expect(parseXml('x', '<a b="&lt;&#65;&#x42;"/>').children[0]?.attributes.get('b')).toBe('<AB');
  });

  it('refuses deep nesting, unclosed elements, invalid UTF-8 and unknown formats with codes', () => {
    expect(errorCodeOf(() => parseXml('deep', '<a>'.repeat(500)))).toBe('EVIDENCE_MALFORMED');
    expect(errorCodeOf(() => summaryOf('<testsuites><testsuite>', 'junit'))).toBe('EVIDENCE_MALFORMED');
    expect(errorCodeOf(() => parseEvidenceFile(Buffer.from([0x3c, 0xff, 0xfe]), 'x', 'auto'))).toBe(
      'EVIDENCE_MALFORMED',
    );
    expect(errorCodeOf(() => summaryOf('hello', 'auto'))).toBe('EVIDENCE_FORMAT_UNKNOWN');
    expect(errorCodeOf(() => summaryOf('{"a": 1}', 'auto'))).toBe('EVIDENCE_FORMAT_UNKNOWN');
    expect(errorCodeOf(() => summaryOf('{"a": ', 'sarif'))).toBe('EVIDENCE_MALFORMED');
  });

  it('passes every string it keeps through the redaction boundary', () => {
    const credential = fakeCredentials(5)[0];
    if (!credential) throw new Error('no fake credential');
    const report = `<testsuites><testsuite name="s"><testcase classname="auth" name="logs in with ${credential.secret}"><failure message="x"/></testcase></testsuite></testsuites>`;
    const summary = summaryOf(report);
    expect(summary.kind === 'tests' && summary.failing[0]).toContain('logs in with');
    expect(JSON.stringify(summary)).not.toContain(credential.secret);
  });

  it('never throws anything but its own error on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300 }),
        fc.constantFrom('auto', 'junit', 'sarif', 'lcov', 'cobertura', 'zap', 'testssl'),
        (text, format) => {
          try {
            parseEvidenceFile(Buffer.from(text, 'utf8'), 'fuzz', format as 'auto');
          } catch (error) {
            expect(error).toBeInstanceOf(EvidenceImportError);
          }
        },
      ),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            '<a',
            '>',
            '</a>',
            '<b x="1"/>',
            '&amp;',
            '<!--',
            '-->',
            '<![CDATA[',
            ']]>',
            'text',
            '"',
            '<?x?>',
          ),
          { maxLength: 40 },
        ),
        (parts) => {
          try {
            parseXml('fuzz', parts.join(''));
          } catch (error) {
            expect(error).toBeInstanceOf(EvidenceImportError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
