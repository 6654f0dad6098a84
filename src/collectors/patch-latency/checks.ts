import { failed, findingOf, notApplicable, passed, unknown } from '../results.js';
import type { Check } from '../types.js';
import type { PatchLatencyFacts } from './collect.js';

/** Remediations older than this are history, not the current practice. */
const windowDays = 365;

export const patchLatencyWithinSla: Check<PatchLatencyFacts> = {
  id: 'patch-latency/within-sla',
  title: 'Security fixes in dependencies were pulled in within the deadlines',
  severity: 'medium',
  remediation:
    'Pull in security fixes faster: automate dependency updates, and treat an advisory on a locked package as work with the deadline of its severity.',
  evaluate(facts, policy, context) {
    if (facts.lockfiles.length === 0) return notApplicable(this.id, 'no lockfile, so no dependency history');
    if (!facts.isGitRepository) {
      return unknown(
        this.id,
        'not a git repository: lockfile history cannot be read',
        'Assess a git clone with its history (not shallow).',
      );
    }
    if (facts.problem)
      return unknown(
        this.id,
        `lockfile history could not be read: ${facts.problem}`,
        'Assess a full git clone.',
      );
    if (facts.database.status !== 'present' || !facts.latency) {
      return unknown(
        this.id,
        'no advisory data to know which versions were vulnerable',
        'Run `shipguard advisories sync`, then assess again.',
      );
    }
    const since = context.now.getTime() - windowDays * 86_400_000;
    const recent = facts.latency.remediations.filter((item) => Date.parse(item.remediated.time) >= since);
    if (recent.length === 0) {
      return notApplicable(
        this.id,
        `no advisory was remediated in the last ${windowDays} days (${facts.latency.commitsRead} lockfile commits read)`,
      );
    }
    const evidence = recent.map((item) => ({
      kind: 'commit' as const,
      commit: item.remediated.commit,
      path: item.path,
      note: `${item.name} ${item.id}: ${item.days} days (SLA ${item.slaDays})`,
    }));
    const sorted = recent.map((item) => item.days).sort((a, b) => a - b);
    const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
    const late = recent.filter((item) => !item.withinSla);
    const summary = `${recent.length} advisories remediated in the last ${windowDays} days; median ${median} days; ${recent.length - late.length} within SLA`;
    if (late.length === 0) return passed(this.id, summary, evidence);
    return failed(
      this.id,
      summary,
      evidence,
      late.map((item) =>
        findingOf(
          this,
          `${item.name} ${item.vulnerableVersion} (${item.id}, ${item.severity}) took ${item.days} days to fix; the SLA is ${item.slaDays}.`,
          {
            location: { path: item.path },
            key: `${item.name}:${item.id}:${item.remediated.commit}`,
            severity:
              policy.supplyChain.slaDays[item.severity === 'unknown' ? 'medium' : item.severity] < 30
                ? 'high'
                : 'medium',
          },
        ),
      ),
    );
  },
};
