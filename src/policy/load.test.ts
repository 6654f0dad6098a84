import { describe, expect, it } from 'vitest';
import { type PolicyError, parsePolicy } from './load.js';
import { defaultPolicy } from './schema.js';
import { policyTemplate } from './template.js';

function parseError(text: string): PolicyError {
  try {
    parsePolicy(text, 'shipguard.yaml');
  } catch (error) {
    return error as PolicyError;
  }
  throw new Error('expected a policy error');
}

describe('parsePolicy', () => {
  it('reads the init template as exactly the defaults', () => {
    expect(parsePolicy(policyTemplate, 'shipguard.yaml').policy).toEqual(defaultPolicy());
  });

  it('fills defaults for an empty file', () => {
    const { policy } = parsePolicy('', 'shipguard.yaml');
    expect(policy.failOn).toBe('high');
    expect(policy.thresholds.codeownersCoverage).toBe(0.8);
  });

  it('names an unknown key and its line', () => {
    const error = parseError(
      'version: 1\nthresholds:\n  codeownersCoverage: 0.5\n  codeownerCoverage: 0.9\n',
    );
    expect(error.code).toBe('POLICY_UNKNOWN_KEY');
    expect(error.message).toContain('thresholds.codeownerCoverage');
    expect(error.location).toEqual({ path: 'shipguard.yaml', line: 4 });
  });

  it('names an invalid value and its line', () => {
    const error = parseError('failOn: sometimes\n');
    expect(error.code).toBe('POLICY_INVALID');
    expect(error.location?.line).toBe(1);
  });

  it('reports broken YAML with its line', () => {
    const error = parseError('version: 1\nthresholds: [\n');
    expect(error.code).toBe('POLICY_INVALID_YAML');
    expect(error.location?.line).toBeGreaterThanOrEqual(2);
  });

  it('rejects a not-applicable control without a reason', () => {
    const error = parseError('controls:\n  DEV-01:\n    applicable: false\n');
    expect(error.code).toBe('POLICY_INVALID');
    expect(error.message).toContain('controls.DEV-01.reason');
    // The missing key has no line of its own: the control that lacks it is named.
    expect(error.location?.line).toBe(2);
  });

  it('rejects an exception naming both a control and a fingerprint', () => {
    const error = parseError(
      'exceptions:\n  - control: DEV-01\n    fingerprint: abcdef0123456789\n    reason: because it is fine for now\n    owner: a\n    approver: b\n    expires: 2027-01-01\n',
    );
    expect(error.code).toBe('POLICY_INVALID');
    expect(error.location?.line).toBe(2);
  });

  it('accepts unquoted YAML dates and locates attestations', () => {
    const loaded = parsePolicy(
      'attestations:\n  - control: AWR-01\n    date: 2026-03-01\n    by: ISMS manager\n    evidence: HR report\n',
      'shipguard.yaml',
    );
    expect(loaded.policy.attestations[0]?.date).toBe('2026-03-01');
    expect(loaded.lineOf(['attestations', 0])).toBe(2);
  });

  it('bounds alias expansion (billion laughs)', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      ...Array.from({ length: 8 }, (_, index) => {
        const previous = String.fromCharCode(97 + index);
        const name = String.fromCharCode(98 + index);
        return `${name}: &${name} [*${previous},*${previous},*${previous},*${previous},*${previous},*${previous},*${previous},*${previous},*${previous},*${previous}]`;
      }),
    ].join('\n');
    const error = parseError(bomb);
    expect(['POLICY_INVALID_YAML', 'POLICY_INVALID', 'POLICY_UNKNOWN_KEY']).toContain(error.code);
  });
});
