import { describe, expect, it } from 'vitest';
import type { Control } from '../catalog/index.js';
import type { CheckResult } from '../kernel/index.js';
import { parsePolicy } from '../policy/index.js';
import { combineStatuses, evaluateControl } from './evaluate-controls.js';
import { activeExceptions, applyFindingExceptions } from './exceptions.js';

const now = new Date('2026-11-22T12:00:00Z');

function control(
  overrides: Partial<Control['assessment']> = {},
  id = 'DEV-01',
  severity: Control['severity'] = 'high',
): Control {
  return {
    id,
    title: 'A control for tests',
    area: 'development',
    severity,
    requirement: 'The requirement written for this test case.',
    sources: [{ document: 'iso-sdp', item: 'iso-sdp/2.3/change-control' }],
    mappings: { iso27001: ['8.25'], ssdf: ['PO.1.1'], ncsc: ['goal-1'] },
    assessment: { checks: [], planned: [], ...overrides },
  };
}

function check(checkId: string, status: CheckResult['status'], fingerprint = 'f'.repeat(32)): CheckResult {
  const result: CheckResult = {
    checkId,
    status,
    summary: `${checkId} ${status}`,
    evidence: status === 'pass' || status === 'fail' ? [{ kind: 'file', path: 'x', line: 1 }] : [],
    findings: [],
  };
  if (status === 'fail') {
    result.findings.push({ checkId, severity: 'high', message: 'bad', remediation: 'fix it', fingerprint });
  }
  return result;
}

function inputs(policyText: string, results: CheckResult[]) {
  const loadedPolicy = parsePolicy(policyText, 'shipguard.yaml');
  const exceptions = activeExceptions(loadedPolicy, now);
  const checkResults = new Map(
    results.map((result) => [result.checkId, applyFindingExceptions(result, exceptions, loadedPolicy)]),
  );
  return { checkResults, loadedPolicy, exceptions, now };
}

describe('combineStatuses', () => {
  it.each([
    [['pass', 'pass'], 'pass'],
    [['pass', 'fail'], 'partial'],
    [['fail', 'unknown'], 'fail'],
    [['pass', 'unknown'], 'unknown'],
    [['unknown'], 'unknown'],
    [['not-applicable', 'pass'], 'pass'],
    [['not-applicable'], 'not-applicable'],
    [[], 'not-applicable'],
  ] as const)('%j → %s', (statuses, expected) => {
    expect(combineStatuses(statuses)).toBe(expected);
  });
});

describe('evaluateControl', () => {
  it('passes with the checks evidence', () => {
    const result = evaluateControl(
      control({ checks: ['a/one', 'a/two'] }),
      inputs('', [check('a/one', 'pass'), check('a/two', 'pass')]),
    );
    expect(result.status).toBe('pass');
    expect(result.evidence).toHaveLength(2);
  });

  it('is partial with a remediation when one check fails', () => {
    const result = evaluateControl(
      control({ checks: ['a/one', 'a/two'] }),
      inputs('', [check('a/one', 'pass'), check('a/two', 'fail')]),
    );
    expect(result.status).toBe('partial');
    expect(result.remediation).toBe('fix it');
    expect(result.findings).toHaveLength(1);
  });

  it('is unknown, saying how to attest, when only planned checks exist', () => {
    const result = evaluateControl(control({ planned: ['future/check'] }), inputs('', []));
    expect(result.status).toBe('unknown');
    expect(result.howToProvide).toContain('attestations:');
  });

  it('treats a check that did not run as unknown, never pass', () => {
    const result = evaluateControl(control({ checks: ['a/missing'] }), inputs('', []));
    expect(result.status).toBe('unknown');
  });

  const notApplicable =
    'controls:\n  DEV-01:\n    applicable: false\n    reason: This repository deploys nothing at all.\n';

  it('is not-applicable with the reason and the policy line', () => {
    const result = evaluateControl(
      control({ checks: ['a/one'] }),
      inputs(notApplicable, [check('a/one', 'unknown')]),
    );
    expect(result.status).toBe('not-applicable');
    expect(result.summary).toBe('not applicable: This repository deploys nothing at all.');
    expect(result.evidence[0]).toMatchObject({ kind: 'record', source: 'shipguard.yaml', line: 2 });
  });

  it('keeps a declaration of not applicable when the failing check found nothing to judge', () => {
    const absent = check('a/one', 'fail');
    absent.evidence = [{ kind: 'absence', lookedFor: ['Dockerfile'], in: 'working tree' }];
    const result = evaluateControl(control({ checks: ['a/one'] }), inputs(notApplicable, [absent]));
    expect(result.status).toBe('not-applicable');
  });

  it('refuses a declaration of not applicable that a failing check contradicts', () => {
    const result = evaluateControl(
      control({ checks: ['a/one', 'a/two'] }),
      inputs(notApplicable, [check('a/one', 'fail'), check('a/two', 'unknown')]),
    );
    expect(result.status).toBe('fail');
    expect(result.findings).toHaveLength(1);
    expect(result.summary).toContain('marked not applicable in shipguard.yaml');
    expect(result.summary).toContain('a/one failed on what it found');
  });

  it('keeps a declaration of not applicable when the failing checks only stand in for the subject', () => {
    const result = evaluateControl(
      control({ checks: ['a/one'], standInChecks: true }),
      inputs(notApplicable, [check('a/one', 'fail')]),
    );
    expect(result.status).toBe('not-applicable');
  });

  it('refuses a declaration of not applicable over a stale record', () => {
    const result = evaluateControl(
      control({ record: 'training', cadenceDays: 365 }),
      inputs(
        `${notApplicable}attestations:\n  - control: DEV-01\n    date: 2024-01-01\n    by: ISMS manager\n    evidence: training report\n`,
        [],
      ),
    );
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('its training record failed');
  });

  const attestation = (date: string) =>
    `attestations:\n  - control: DEV-01\n    date: ${date}\n    by: ISMS manager\n    evidence: training report\n`;

  it('passes a record within its cadence on a medium control, at the declared level', () => {
    const result = evaluateControl(
      control({ record: 'training', cadenceDays: 365 }, 'DEV-01', 'medium'),
      inputs(attestation('2026-03-01'), []),
    );
    expect(result.status).toBe('pass');
    expect(result.evidenceLevel).toBe('declared');
    expect(result.requiredLevel).toBe('declared');
    expect(result.evidence[0]).toMatchObject({ kind: 'record', line: 2, level: 'declared' });
  });

  it.each([
    ['TODO'],
    ['tbd'],
    ['n/a'],
    ['<link to the report>'],
    ['Training done, FIXME attach the certificate'],
  ])('does not pass a record whose evidence is a placeholder: %s', (placeholder) => {
    const result = evaluateControl(
      control({ record: 'training', cadenceDays: 365 }, 'DEV-01', 'medium'),
      inputs(attestation('2026-03-01').replace('training report', JSON.stringify(placeholder)), []),
    );
    expect(result.status).toBe('unknown');
    expect(result.summary).toContain('is a placeholder');
  });

  it('does not pass a high control on a typed attestation, and says what is needed', () => {
    const result = evaluateControl(
      control({ record: 'training', cadenceDays: 365 }),
      inputs(attestation('2026-03-01'), []),
    );
    expect(result.status).toBe('unknown');
    expect(result.evidenceLevel).toBe('declared');
    expect(result.requiredLevel).toBe('signed');
    expect(result.summary).toContain('needs signed evidence or stronger');
    expect(result.howToProvide).toContain('signed record');
  });

  it('lets the policy lower or raise the minimum per control', () => {
    const lowered = evaluateControl(
      control({ record: 'training', cadenceDays: 365 }),
      inputs(`${attestation('2026-03-01')}evidence:\n  controls:\n    DEV-01: declared\n`, []),
    );
    expect(lowered.status).toBe('pass');
    const raised = evaluateControl(
      control({ checks: ['a/one'] }, 'DEV-01', 'low'),
      inputs('evidence:\n  minimumLevel:\n    low: verified\n', [
        {
          ...check('a/one', 'pass'),
          evidence: [{ kind: 'commit', commit: 'c'.repeat(40), level: 'declared' }],
        },
      ]),
    );
    expect(raised.status).toBe('unknown');
    expect(raised.requiredLevel).toBe('verified');
  });

  it('passes a high control on a signed record given by the records hook', () => {
    const base = inputs('', []);
    const result = evaluateControl(control({ record: 'training', cadenceDays: 365 }), {
      ...base,
      records: [
        {
          controlId: 'DEV-01',
          date: '2026-06-01',
          by: 'hr@example.com',
          level: 'signed',
          summary: 'training record signed by hr@example.com',
          evidence: { kind: 'record', source: 'store: records/42' },
        },
      ],
    });
    expect(result.status).toBe('pass');
    expect(result.evidenceLevel).toBe('signed');
    expect(result.summary).toBe('training record signed by hr@example.com');
  });

  it('prefers a fresh signed record over a newer typed one, and a stale signed one loses to a passing one', () => {
    const signed = (date: string) => ({
      controlId: 'DEV-01',
      date,
      by: 'hr',
      level: 'signed' as const,
      summary: `signed ${date}`,
      evidence: { kind: 'record' as const, source: 'store' },
    });
    const fresh = evaluateControl(control({ record: 'training', cadenceDays: 365 }), {
      ...inputs(attestation('2026-10-01'), []),
      records: [signed('2026-06-01')],
    });
    expect(fresh.summary).toBe('signed 2026-06-01');
    const stale = evaluateControl(control({ record: 'training', cadenceDays: 365 }, 'DEV-01', 'medium'), {
      ...inputs(attestation('2026-10-01'), []),
      records: [signed('2024-06-01')],
    });
    expect(stale.status).toBe('pass');
    expect(stale.evidenceLevel).toBe('declared');
  });

  it('rests a pass on its weakest part: a verified check and a declared one give declared', () => {
    const result = evaluateControl(
      control({ checks: ['a/one', 'a/two'] }, 'DEV-01', 'medium'),
      inputs('', [
        check('a/one', 'pass'),
        {
          ...check('a/two', 'pass'),
          evidence: [{ kind: 'commit', commit: 'c'.repeat(40), level: 'declared' }],
        },
      ]),
    );
    expect(result.status).toBe('pass');
    expect(result.evidenceLevel).toBe('declared');
    expect(result.checks.map((item) => item.evidenceLevel)).toEqual(['verified', 'declared']);
  });

  it('fails an overdue record', () => {
    const result = evaluateControl(
      control({ record: 'training', cadenceDays: 365 }),
      inputs(attestation('2025-06-01'), []),
    );
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('due every 365 days');
  });

  it('does not accept a record dated in the future', () => {
    const result = evaluateControl(
      control({ record: 'training', cadenceDays: 365 }),
      inputs(attestation('2027-01-01'), []),
    );
    expect(result.status).toBe('unknown');
  });

  it('is unknown without a record', () => {
    const result = evaluateControl(control({ record: 'pen-test', cadenceDays: 182 }), inputs('', []));
    expect(result.status).toBe('unknown');
    expect(result.howToProvide).toContain('182 days');
  });

  it('marks a control exception without changing the status', () => {
    const policy =
      'exceptions:\n  - control: DEV-01\n    reason: Accepted while the new pipeline is built.\n    owner: alice\n    approver: bob\n    expires: 2027-01-31\n';
    const result = evaluateControl(control({ checks: ['a/one'] }), inputs(policy, [check('a/one', 'fail')]));
    expect(result.status).toBe('fail');
    expect(result.exception).toEqual({
      reason: 'Accepted while the new pipeline is built.',
      owner: 'alice',
      approver: 'bob',
      expires: '2027-01-31',
    });
  });

  it('does not pass a high control on a finding accepted in shipguard.yaml alone', () => {
    const fingerprint = 'b'.repeat(32);
    const accepted = inputs(
      `exceptions:\n  - fingerprint: ${fingerprint}\n    reason: A key kept for a test fixture.\n    owner: alice\n    approver: bob\n    expires: 2026-12-31\n`,
      [check('a/one', 'fail', fingerprint)],
    );
    const result = evaluateControl(control({ checks: ['a/one'] }), accepted);
    // The pass rests on the acceptance, a line typed in shipguard.yaml: declared, not verified.
    expect(result.status).toBe('unknown');
    expect(result.evidenceLevel).toBe('declared');
    expect(result.summary).toContain('needs signed evidence or stronger');
  });

  it('accepts a finding by fingerprint, and stops accepting it when expired', () => {
    const fingerprint = 'a'.repeat(32);
    const policy = (expires: string) =>
      `exceptions:\n  - fingerprint: ${fingerprint}\n    reason: Test fixture generated for the suite.\n    owner: alice\n    approver: bob\n    expires: ${expires}\n`;
    const accepted = inputs(policy('2027-01-31'), [check('a/one', 'fail', fingerprint)]);
    const medium = evaluateControl(control({ checks: ['a/one'] }, 'DEV-01', 'medium'), accepted);
    expect(medium.status).toBe('pass');
    expect(medium.evidenceLevel).toBe('declared');
    expect(accepted.checkResults.get('a/one')?.evidence.some((evidence) => evidence.kind === 'record')).toBe(
      true,
    );

    const expired = inputs(policy('2026-11-21'), [check('a/one', 'fail', fingerprint)]);
    expect(evaluateControl(control({ checks: ['a/one'] }), expired).status).toBe('fail');
    expect(expired.exceptions.problems[0]?.code).toBe('EXCEPTION_EXPIRED');
    expect(expired.exceptions.problems[0]?.location).toEqual({ path: 'shipguard.yaml', line: 2 });
  });
});
