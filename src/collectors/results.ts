import { createHash } from 'node:crypto';
import type { CheckResult, Evidence, Finding, FindingLocation, Severity } from '../kernel/index.js';
import type { Check } from './types.js';

/** A fingerprint that survives line moves: the check, the path and a stable key, hashed. */
export function findingFingerprint(checkId: string, ...parts: string[]): string {
  return createHash('sha256')
    .update([checkId, ...parts].join('\0'))
    .digest('hex')
    .slice(0, 32);
}

export function passed(checkId: string, summary: string, evidence: Evidence[]): CheckResult {
  return { checkId, status: 'pass', summary, evidence, findings: [] };
}

export function failed(
  checkId: string,
  summary: string,
  evidence: Evidence[],
  findings: Finding[],
): CheckResult {
  return { checkId, status: 'fail', summary, evidence, findings };
}

export function unknown(checkId: string, summary: string, howToProvide: string): CheckResult {
  return { checkId, status: 'unknown', summary, evidence: [], findings: [], howToProvide };
}

export function notApplicable(checkId: string, summary: string, evidence: Evidence[] = []): CheckResult {
  return { checkId, status: 'not-applicable', summary, evidence, findings: [] };
}

/** A finding raised by `check`, with its severity and remediation unless told otherwise. */
export function findingOf(
  check: Pick<Check<unknown>, 'id' | 'severity' | 'remediation'>,
  message: string,
  options: { location?: FindingLocation; key?: string; severity?: Severity; remediation?: string } = {},
): Finding {
  const finding: Finding = {
    checkId: check.id,
    severity: options.severity ?? check.severity,
    message,
    remediation: options.remediation ?? check.remediation,
    fingerprint: findingFingerprint(check.id, options.location?.path ?? '', options.key ?? message),
  };
  if (options.location) finding.location = options.location;
  return finding;
}
