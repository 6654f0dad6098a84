import type { AppliedException, AssessmentProblem, CheckResult, Evidence } from '../kernel/index.js';
import type { LoadedPolicy, PolicyException } from '../policy/index.js';

export interface ActiveExceptions {
  byControl: Map<string, { exception: PolicyException; line: number | undefined }>;
  byFingerprint: Map<string, { exception: PolicyException; line: number | undefined }>;
  problems: AssessmentProblem[];
}

/**
 * The exceptions the protected default branch's policy holds: an exception counts only once it is
 * there (merged through review), so a branch cannot excuse its own failures. `unavailable` says
 * why they could not be read (no git history, no default branch): then no exception counts.
 */
export type ProtectedExceptions =
  | { ref: string; exceptions: readonly PolicyException[] }
  | { unavailable: string };

/** An exception applies through the whole of its expiry day (UTC). */
export function isExpired(expires: string, now: Date): boolean {
  return now.toISOString().slice(0, 10) > expires;
}

/** The same exception, field by field (the protected branch must hold it exactly). */
function sameException(a: PolicyException, b: PolicyException): boolean {
  return JSON.stringify(canonicalException(a)) === JSON.stringify(canonicalException(b));
}

function canonicalException(exception: PolicyException): Record<string, unknown> {
  return Object.fromEntries(Object.entries(exception).sort(([a], [b]) => a.localeCompare(b)));
}

/** Why an exception does not count because of where it is, or undefined when it may count. */
function notProtected(
  exception: PolicyException,
  protectedList: ProtectedExceptions | undefined,
): string | undefined {
  if (protectedList === undefined) return undefined;
  if ('unavailable' in protectedList)
    return `the protected branch's policy could not be read (${protectedList.unavailable})`;
  if (protectedList.exceptions.some((held) => sameException(held, exception))) return undefined;
  return `it is not in the policy of the protected branch ${protectedList.ref}; it counts once merged there through review`;
}

/**
 * Splits the policy's exceptions into those in force and reports the expired ones, and, when the
 * protected branch's exceptions are given, those not on it (a branch's own exceptions do not count).
 */
export function activeExceptions(
  loaded: LoadedPolicy,
  now: Date,
  protectedList?: ProtectedExceptions,
): ActiveExceptions {
  const active: ActiveExceptions = { byControl: new Map(), byFingerprint: new Map(), problems: [] };
  for (const [index, exception] of loaded.policy.exceptions.entries()) {
    const line = loaded.lineOf(['exceptions', index]);
    const target = exception.control ?? `finding ${exception.fingerprint ?? ''}`;
    if (isExpired(exception.expires, now)) {
      active.problems.push({
        severity: 'warning',
        code: 'EXCEPTION_EXPIRED',
        message: `the exception for ${target} (owner ${exception.owner}) expired on ${exception.expires} and no longer applies`,
        location: policyLocation(loaded, line),
      });
      continue;
    }
    const why = notProtected(exception, protectedList);
    if (why !== undefined) {
      active.problems.push({
        severity: 'warning',
        code: 'EXCEPTION_NOT_PROTECTED',
        message: `the exception for ${target} (owner ${exception.owner}) does not apply: ${why}`,
        location: policyLocation(loaded, line),
      });
      continue;
    }
    if (exception.control) active.byControl.set(exception.control, { exception, line });
    if (exception.fingerprint) active.byFingerprint.set(exception.fingerprint, { exception, line });
  }
  return active;
}

export function toAppliedException(exception: PolicyException): AppliedException {
  return {
    reason: exception.reason,
    owner: exception.owner,
    approver: exception.approver,
    expires: exception.expires,
  };
}

/**
 * Removes findings accepted by an exception. A failing check whose every finding is accepted
 * passes, with the accepted findings' exceptions as its evidence: accepted, not hidden, and at the
 * declared level, so a control the policy wants proven by signed evidence does not pass on it.
 */
export function applyFindingExceptions(
  result: CheckResult,
  exceptions: ActiveExceptions,
  loaded: LoadedPolicy,
): CheckResult {
  if (result.findings.length === 0) return result;
  const remaining = result.findings.filter((finding) => !exceptions.byFingerprint.has(finding.fingerprint));
  const acceptedCount = result.findings.length - remaining.length;
  if (acceptedCount === 0) return result;
  const acceptedEvidence: Evidence[] = result.findings
    .filter((finding) => exceptions.byFingerprint.has(finding.fingerprint))
    .map((finding) => {
      const entry = exceptions.byFingerprint.get(finding.fingerprint);
      const evidence: Evidence = {
        kind: 'record',
        source: loaded.path ?? 'shipguard.yaml',
        note: `finding ${finding.fingerprint}${finding.location ? ` at ${finding.location.path}` : ''} accepted by ${entry?.exception.approver ?? 'an approver'} until ${entry?.exception.expires ?? '?'}`,
      };
      if (entry?.line !== undefined) evidence.line = entry.line;
      return evidence;
    });
  const summary = `${result.summary} (${acceptedCount} finding${acceptedCount === 1 ? '' : 's'} accepted by exception)`;
  const status = remaining.length === 0 && result.status === 'fail' ? 'pass' : result.status;
  // A pass made by acceptance rests on lines typed in shipguard.yaml: what the check found is kept,
  // but the pass is worth no more than declared evidence.
  const found =
    status === 'pass'
      ? result.evidence.map((item) => ({ ...item, level: 'declared' as const }))
      : result.evidence;
  return {
    ...result,
    status,
    summary,
    findings: remaining,
    evidence: [...found, ...acceptedEvidence],
  };
}

function policyLocation(loaded: LoadedPolicy, line: number | undefined) {
  const path = loaded.path ?? 'shipguard.yaml';
  return line === undefined ? { path } : { path, line };
}
