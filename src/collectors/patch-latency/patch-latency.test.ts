import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../policy/index.js';
import type { Remediation } from '../../vulns/index.js';
import { patchLatencyWithinSla } from './checks.js';
import type { PatchLatencyFacts } from './collect.js';

const present = { status: 'present' as const, location: 'x', sources: [], coverage: {}, ageDays: 1 };
const now = { now: new Date('2026-06-01T00:00:00Z') };

function remediation(days: number, withinSla: boolean): Remediation {
  return {
    path: 'package-lock.json',
    ecosystem: 'npm',
    name: 'lodash',
    id: 'GHSA-x',
    aliases: [],
    severity: 'high',
    published: '2026-01-01T00:00:00Z',
    vulnerableVersion: '4.17.20',
    introduced: { commit: 'a'.repeat(40), time: '2025-12-01T00:00:00Z' },
    remediated: { commit: 'b'.repeat(40), time: '2026-03-01T00:00:00Z', version: '4.17.21' },
    days,
    slaDays: 30,
    withinSla,
  };
}

function facts(overrides: Partial<PatchLatencyFacts>): PatchLatencyFacts {
  return { isGitRepository: true, lockfiles: ['package-lock.json'], database: present, ...overrides };
}

describe('patch-latency/within-sla', () => {
  it('fails on a remediation slower than its SLA, with the commit as evidence', () => {
    const result = patchLatencyWithinSla.evaluate(
      facts({ latency: { remediations: [remediation(59, false)], commitsRead: 3 } }),
      defaultPolicy(),
      now,
    );
    expect(result.status).toBe('fail');
    expect(result.evidence[0]).toMatchObject({ kind: 'commit', commit: 'b'.repeat(40) });
    expect(result.findings[0]?.message).toContain('took 59 days to fix; the SLA is 30');
  });

  it('passes when every recent remediation met its SLA; unknown without data', () => {
    expect(
      patchLatencyWithinSla.evaluate(
        facts({ latency: { remediations: [remediation(3, true)], commitsRead: 3 } }),
        defaultPolicy(),
        now,
      ).status,
    ).toBe('pass');
    const noData = patchLatencyWithinSla.evaluate(
      facts({ database: { ...present, status: 'absent' } }),
      defaultPolicy(),
      now,
    );
    expect(noData.status).toBe('unknown');
    expect(noData.howToProvide).toContain('shipguard advisories sync');
  });
});
