import { describe, expect, it } from 'vitest';
import type { Control } from '../catalog/index.js';
import type { CheckResult } from '../kernel/index.js';
import { parsePolicy } from '../policy/index.js';
import { combineStatuses, evaluateControl } from './evaluate-controls.js';
import { activeExceptions, applyFindingExceptions } from './exceptions.js';

const now = new Date('2026-11-22T12:00:00Z');

function control(overrides: Partial<Control['assessment']> = {}, id = 'DEV-01'): Control {
  return {
    id,
    title: 'A control for tests',
    area: 'development',
    severity: 'high',
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

  it('is not-applicable with the reason and the policy line', () => {
    const result = evaluateControl(
      control({ checks: ['a/one'] }),
      inputs(
        'controls:\n  DEV-01:\n    applicable: false\n    reason: This repository deploys nothing at all.\n',
        [check('a/one', 'fail')],
      ),
    );
    expect(result.status).toBe('not-applicable');
    expect(result.evidence[0]).toMatchObject({ kind: 'record', source: 'shipguard.yaml', line: 2 });
  });

  const attestation = (date: string) =>
    `attestations:\n  - control: DEV-01\n    date: ${date}\n    by: ISMS manager\n    evidence: training report\n`;

  it('passes a record within its cadence', () => {
    const result = evaluateControl(
      control({ record: 'training', cadenceDays: 365 }),
      inputs(attestation('2026-03-01'), []),
    );
    expect(result.status).toBe('pass');
    expect(result.evidence[0]).toMatchObject({ kind: 'record', line: 2 });
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

  it('accepts a finding by fingerprint, and stops accepting it when expired', () => {
    const fingerprint = 'a'.repeat(32);
    const policy = (expires: string) =>
      `exceptions:\n  - fingerprint: ${fingerprint}\n    reason: Test fixture generated for the suite.\n    owner: alice\n    approver: bob\n    expires: ${expires}\n`;
    const accepted = inputs(policy('2027-01-31'), [check('a/one', 'fail', fingerprint)]);
    expect(evaluateControl(control({ checks: ['a/one'] }), accepted).status).toBe('pass');
    expect(accepted.checkResults.get('a/one')?.evidence.some((evidence) => evidence.kind === 'record')).toBe(
      true,
    );

    const expired = inputs(policy('2026-11-21'), [check('a/one', 'fail', fingerprint)]);
    expect(evaluateControl(control({ checks: ['a/one'] }), expired).status).toBe('fail');
    expect(expired.exceptions.problems[0]?.code).toBe('EXCEPTION_EXPIRED');
    expect(expired.exceptions.problems[0]?.location).toEqual({ path: 'shipguard.yaml', line: 2 });
  });
});
