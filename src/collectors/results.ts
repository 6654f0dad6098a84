import { createHash } from 'node:crypto';
import type { CheckResult, Evidence, Finding, FindingLocation, Severity } from '../kernel/index.js';
import type { Policy } from '../policy/index.js';
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

/**
 * Dependencies declared without a lockfile cannot be listed, matched against advisories or judged:
 * that is a gap (fail), not "nothing to judge". Undefined when every declared dependency is locked.
 */
export function unlockedDependencies(
  check: Pick<Check<unknown>, 'id' | 'severity' | 'remediation'>,
  unlocked: readonly string[],
  what: string,
): CheckResult | undefined {
  if (unlocked.length === 0) return undefined;
  return failed(
    check.id,
    `${unlocked.length} manifest(s) declare dependencies without a lockfile, so ${what}`,
    unlocked.slice(0, 50).map((path) => ({ kind: 'file', path, note: 'dependencies without a lockfile' })),
    unlocked.slice(0, 50).map((path) =>
      findingOf(check, `${path} declares dependencies without a lockfile, so ${what}.`, {
        location: { path },
        key: `unlocked\0${path}`,
        remediation: 'Commit the lockfile your package manager writes beside the manifest (see SUP-01).',
      }),
    ),
  );
}

/**
 * The audit period the engine set on the policy (`--period`, `auditPeriod`, else the last 12
 * months), as instants: from the first day's start to the last day's end, UTC. Unbounded when a
 * caller (a unit test) set none.
 */
export function auditPeriodOf(policy: Pick<Policy, 'auditPeriod'>): {
  from: number;
  to: number;
  text: string;
} {
  const [from, to] = (policy.auditPeriod ?? '').split('..');
  return {
    from: from ? Date.parse(`${from}T00:00:00Z`) : Number.NEGATIVE_INFINITY,
    to: to ? Date.parse(`${to}T23:59:59.999Z`) : Number.POSITIVE_INFINITY,
    text: policy.auditPeriod ?? 'all recorded time',
  };
}

/** Whether an ISO time lies in the period. An unreadable time is outside. */
export function inPeriod(period: { from: number; to: number }, at: string): boolean {
  const time = Date.parse(at);
  return !Number.isNaN(time) && time >= period.from && time <= period.to;
}

/** Store-backed facts that could not be had: no store at the command's location, or an unreadable one. */
export type StoreAbsence =
  | { status: 'no-store'; location: string }
  | { status: 'unreadable'; location: string; problem: string };

/** `unknown` for a check whose records live in the store, saying how to provide them. */
export function storeUnknown(checkId: string, facts: StoreAbsence, what: string): CheckResult {
  if (facts.status === 'no-store') {
    return unknown(
      checkId,
      `no shipguard store at ${facts.location}, so no ${what} to read`,
      `Keep ${what} in the store the assessment reads (\`--db\`, SHIPGUARD_DB, else .shipguard/shipguard.db at the repository root) and assess again.`,
    );
  }
  return unknown(
    checkId,
    `the store at ${facts.location} could not be read: ${facts.problem.slice(0, 200)}`,
    'Make the store readable (check SHIPGUARD_DB or --db) and assess again.',
  );
}
