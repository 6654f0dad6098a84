import { describe, expect, it } from 'vitest';
import type { ControlResult } from '../../kernel/index.js';
import { artifactUri } from '../../kernel/index.js';
import {
  buildAssessment,
  sampleAssessment,
  sampleControl,
  sampleFinding,
} from '../../testing/sample-assessment.js';
import { buildSarif, fingerprintKey, renderSarif } from './render.js';

/** Structural checks that run in `npm test`; sarif.conformance.test.ts validates against the official schema. */
describe('sarif report', () => {
  const log = buildSarif(sampleAssessment());
  const [run] = log.runs;

  it('is one SARIF 2.1.0 run by shipguard', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver.name).toBe('shipguard');
    expect(run.tool.driver.version).toBe('0.1.0');
    expect(JSON.parse(renderSarif(sampleAssessment()))).toEqual(log);
  });

  it('has one result per finding of a failing or partial control', () => {
    const expected = sampleAssessment()
      .controls.filter((control) => control.status === 'fail' || control.status === 'partial')
      .flatMap((control) => control.findings.map((finding) => finding.fingerprint))
      .sort();
    expect(run.results.map((result) => result.partialFingerprints[fingerprintKey]).sort()).toEqual(expected);
  });

  it('declares exactly the rules its results use, and points at them by index', () => {
    const used = [...new Set(run.results.map((result) => result.ruleId))].sort();
    expect(run.tool.driver.rules.map((rule) => rule.id)).toEqual(used);
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    }
    const rule = run.tool.driver.rules.find(
      (candidate) => candidate.id === 'dependencies/known-vulnerabilities',
    );
    expect(rule).toMatchObject({
      shortDescription: { text: 'No dependency has a known vulnerability' },
      help: { text: 'Upgrade the affected packages to a fixed version and commit the lockfile.' },
      defaultConfiguration: { level: 'error' },
      properties: { controls: ['SUP-02'], 'security-severity': '9.5' },
    });
  });

  it('maps severities to levels', () => {
    const levelOf = (line: number) =>
      run.results.find((result) => result.locations[0]?.physicalLocation.region?.startLine === line)?.level;
    expect(levelOf(812)).toBe('error'); // critical
    expect(levelOf(1)).toBe('error'); // high (.nvmrc)
    expect(levelOf(1490)).toBe('warning'); // medium
    expect(levelOf(12)).toBe('note'); // low
  });

  it('locates results relative to the source root, with line and column when known', () => {
    const secret = run.results.find((result) => result.ruleId === 'secrets/history');
    expect(secret?.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'config/settings.py', uriBaseId: '%SRCROOT%' },
          region: { startLine: 42, startColumn: 17 },
        },
      },
    ]);
    expect(secret?.properties.controls).toEqual(['SEC-01']);
    const noLine = run.results.find((result) => result.ruleId === 'security-policy/contact');
    expect(noLine?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'SECURITY.md', uriBaseId: '%SRCROOT%' },
    });
  });

  it('anchors a repository-wide finding at its evidence, else at the policy file, and says so', () => {
    const staticAnalysis = run.results.find((result) => result.ruleId === 'pipeline/static-analysis');
    // DEV-02's evidence is an absence (no path), so the anchor is the policy file.
    expect(staticAnalysis?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('shipguard.yaml');
    expect(staticAnalysis?.message.text).toBe(
      'No static analysis tool runs in CI. (applies to the whole repository)',
    );
    expect(staticAnalysis?.properties.locationIsRepositoryWide).toBe(true);

    const control = sampleControl({
      controlId: 'DEV-07',
      status: 'fail',
      evidence: [{ kind: 'file', path: '.github/workflows/ci.yml', line: 3 }],
      findings: [sampleFinding({ checkId: 'pipeline/tests' })],
    });
    const [anchored] = buildSarif(buildAssessment([control])).runs[0].results;
    expect(anchored?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('.github/workflows/ci.yml');
    expect(anchored?.locations.length).toBe(1);
  });

  it('marks findings of a control covered by an exception as accepted suppressions', () => {
    const endOfLife = run.results.find((result) => result.ruleId === 'runtime/end-of-life');
    expect(endOfLife?.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification:
          'The upgrade ships with the platform migration planned for Q4. (owner alice@example.com, approved by cto@example.com, until 2027-01-31)',
      },
    ]);
    expect(run.results.filter((result) => result.suppressions !== undefined)).toHaveLength(1);
  });

  it('reports a finding shared by two controls once, naming both', () => {
    const shared = sampleFinding({ checkId: 'secrets/history', location: { path: 'a.env', line: 1 } });
    const controls: ControlResult[] = [
      sampleControl({ controlId: 'SEC-01', status: 'fail', area: 'secrets', findings: [shared] }),
      sampleControl({ controlId: 'SEC-02', status: 'partial', area: 'secrets', findings: [shared] }),
      sampleControl({ controlId: 'SEC-03', status: 'pass', area: 'secrets', findings: [shared] }),
    ];
    const sarif = buildSarif(buildAssessment(controls)).runs[0];
    expect(sarif.results).toHaveLength(1);
    expect(sarif.results[0]?.properties.controls).toEqual(['SEC-01', 'SEC-02']);
    expect(sarif.tool.driver.rules[0]?.properties.controls).toEqual(['SEC-01', 'SEC-02']);
  });

  it('turns problems into tool execution notifications', () => {
    const notifications = run.invocations[0].toolExecutionNotifications;
    expect(notifications.map((notification) => [notification.level, notification.descriptor.id])).toEqual([
      ['error', 'FILE_UNREADABLE'],
      ['warning', 'DATA_STALE'],
    ]);
    expect(run.invocations[0].executionSuccessful).toBe(true);
  });

  it('has no results and no rules when nothing fails', () => {
    const passing = buildAssessment([sampleControl({ controlId: 'GOV-01', status: 'pass' })]);
    const empty = buildSarif(passing).runs[0];
    expect(empty.results).toEqual([]);
    expect(empty.tool.driver.rules).toEqual([]);
  });
});

describe('artifactUri', () => {
  it('percent-encodes each segment and keeps slashes', () => {
    expect(artifactUri('docs/my file#1?.md')).toEqual({
      uri: 'docs/my%20file%231%3F.md',
      uriBaseId: '%SRCROOT%',
    });
    expect(artifactUri('./src\\app.ts')).toEqual({ uri: 'src/app.ts', uriBaseId: '%SRCROOT%' });
    expect(artifactUri('<img src=x>.md').uri).toBe('%3Cimg%20src%3Dx%3E.md');
  });

  it('turns an absolute path into a file URI without a base', () => {
    expect(artifactUri('/tmp/x y')).toEqual({ uri: 'file:///tmp/x%20y' });
  });
});
