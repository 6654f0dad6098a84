import type { AuditPeriod } from '../kernel/index.js';
import { auditPeriodPattern } from '../policy/index.js';
import { EngineError } from './errors.js';

const dayMs = 24 * 60 * 60 * 1000;

/**
 * The audit period an assessment judges history over: `--period` when given, else the policy's
 * `auditPeriod`, else the 12 months up to and including the assessment's day. Both ends are UTC
 * days, both included. A malformed or reversed period is a usage error (exit 2), never a guess.
 */
export function resolveAuditPeriod(
  option: string | undefined,
  policyPeriod: string | undefined,
  now: Date,
): AuditPeriod {
  if (option !== undefined) return { ...parseAuditPeriod(option, '--period'), source: 'option' };
  if (policyPeriod !== undefined)
    return { ...parseAuditPeriod(policyPeriod, 'auditPeriod'), source: 'policy' };
  return { ...defaultAuditPeriod(now), source: 'default' };
}

/** The 12 months ending on `now`'s day: 2026-12-04 gives 2025-12-05..2026-12-04. */
export function defaultAuditPeriod(now: Date): { from: string; to: string } {
  const to = now.toISOString().slice(0, 10);
  const start = new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), now.getUTCDate()) + dayMs);
  return { from: start.toISOString().slice(0, 10), to };
}

export function parseAuditPeriod(text: string, where: string): { from: string; to: string } {
  const match = auditPeriodPattern.exec(text.trim());
  const from = match?.[1];
  const to = match?.[2];
  if (!from || !to || !isCalendarDay(from) || !isCalendarDay(to)) {
    throw new EngineError(
      'USAGE_INVALID_PERIOD',
      `${where}: expected an audit period as YYYY-MM-DD..YYYY-MM-DD (got ${JSON.stringify(text.slice(0, 40))})`,
    );
  }
  if (from > to) {
    throw new EngineError(
      'USAGE_INVALID_PERIOD',
      `${where}: the period starts (${from}) after it ends (${to})`,
    );
  }
  return { from, to };
}

function isCalendarDay(text: string): boolean {
  const time = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === text;
}

/** `from..to`, the form the policy and `--period` use. */
export function formatAuditPeriod(period: { from: string; to: string }): string {
  return `${period.from}..${period.to}`;
}
