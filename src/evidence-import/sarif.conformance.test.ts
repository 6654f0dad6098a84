import { describe, expect, it } from 'vitest';
import type { Assessment } from '../kernel/index.js';
import { reportFormats } from '../report/index.js';
import { sampleAssessment } from '../testing/sample-assessment.js';
import { loadOfficialSarifValidator } from '../testing/sarif-schema.js';
import { codeqlSarif, semgrepSarif } from './__fixtures__/reports.js';
import { parseEvidenceFile } from './index.js';

const validateSarif = loadOfficialSarifValidator();

describe.skipIf(validateSarif === undefined)('SARIF imports against the official 2.1.0 schema', () => {
  it('the CodeQL- and Semgrep-shaped logs the tests import are valid SARIF 2.1.0, and read as such', () => {
    const logs = [
      codeqlSarif({ commit: 'a'.repeat(40), errors: 2, notes: 1, suppressed: 1 }),
      codeqlSarif({ incomplete: true }),
      semgrepSarif({ level: 'error', cwe: 'CWE-327: Use of a Broken or Risky Cryptographic Algorithm' }),
    ];
    for (const log of logs) {
      expect(validateSarif?.(log)).toEqual([]);
      expect(parseEvidenceFile(Buffer.from(JSON.stringify(log)), 'log.sarif', 'auto').format).toBe('sarif');
    }
  });

  it("reads shipguard's own SARIF output, as another tool's import would be read", async () => {
    const assessment: Assessment = sampleAssessment();
    const text = reportFormats.sarif.render(assessment, { color: false });
    const log = JSON.parse(text) as unknown;
    expect(validateSarif?.(log)).toEqual([]);
    const parsed = parseEvidenceFile(Buffer.from(text), 'shipguard.sarif', 'auto');
    expect(parsed.tool).toBe('shipguard');
    const findings = assessment.controls.flatMap((control) => control.findings).length;
    expect(
      parsed.summary.kind === 'static-analysis' &&
        Object.values(parsed.summary.findings).reduce((a, b) => a + b, 0),
    ).toBeLessThanOrEqual(findings);
  });
});
