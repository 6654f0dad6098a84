import { milestoneStatus } from '../../end-of-life/index.js';
import type { Evidence, Finding } from '../../kernel/index.js';
import { failed, findingOf, notApplicable, passed, unknown, unlockedDependencies } from '../results.js';
import type { Check } from '../types.js';
import type { DependenciesFacts } from './collect.js';

export const dependenciesSupported: Check<DependenciesFacts> = {
  id: 'dependencies/supported',
  title: 'Frameworks are within support and no dependency is flagged malicious or unmaintained',
  severity: 'medium',
  remediation:
    'Upgrade each framework named to a supported release cycle, and remove or replace packages flagged malicious or unmaintained.',
  evaluate(facts, policy, context) {
    const unlocked = unlockedDependencies(this, facts.unlocked, 'whether they are supported cannot be known');
    if (unlocked) return unlocked;
    if (facts.packages === 0) return notApplicable(this.id, 'no locked dependencies');
    const findings: Finding[] = [];
    const evidence: Evidence[] = [];
    for (const framework of facts.frameworks) {
      const location = { path: framework.location.path, line: framework.location.line };
      evidence.push({ kind: 'file', ...location, note: `${framework.title} ${framework.version}` });
      if (framework.cycle === undefined) continue;
      const status = milestoneStatus(framework.eol, context.now, policy.thresholds.endOfLifeWarningDays);
      const day = typeof framework.eol === 'string' ? `on ${framework.eol}` : '(the day is not published)';
      if (status === 'end-of-life') {
        findings.push(
          findingOf(
            this,
            `${framework.title} ${framework.cycle} (${framework.package} ${framework.version}) reached end of life ${day}.`,
            {
              location,
              key: `${framework.product}:${framework.cycle}`,
              severity: 'high',
            },
          ),
        );
      } else if (status === 'ending-soon') {
        findings.push(
          findingOf(this, `${framework.title} ${framework.cycle} reaches end of life ${day}.`, {
            location,
            key: `${framework.product}:${framework.cycle}:soon`,
            severity: 'low',
          }),
        );
      }
    }
    for (const item of facts.flagged) {
      findings.push(
        findingOf(this, `${item.name}@${item.version} is flagged ${item.kind} by ${item.id}.`, {
          location: item.location,
          key: `${item.kind}:${item.name}@${item.version}`,
          severity: item.kind === 'malicious' ? 'critical' : 'medium',
        }),
      );
    }
    const ended = findings.filter((finding) => finding.severity !== 'low');
    if (ended.length > 0)
      return failed(
        this.id,
        `${ended.length} unsupported, malicious or unmaintained dependenc${ended.length === 1 ? 'y' : 'ies'}`,
        evidence,
        findings,
      );
    if (facts.database.status !== 'present') {
      if (facts.frameworks.length === 0) {
        return unknown(
          this.id,
          'no framework with a known support period is used, and without advisory data unmaintained packages cannot be seen',
          'Run `shipguard advisories sync` so packages flagged unmaintained or malicious can be found.',
        );
      }
      return passed(
        this.id,
        `${facts.frameworks.map((item) => `${item.title} ${item.cycle ?? item.version}`).join(', ')} within support (advisory flags not checked: no data)`,
        evidence,
      );
    }
    evidence.push(
      ...facts.database.sources.map((source) => ({ kind: 'record' as const, source: source.source })),
    );
    const result = passed(
      this.id,
      `${facts.frameworks.length} framework(s) within support; no package flagged malicious or unmaintained`,
      evidence,
    );
    return findings.length > 0 ? { ...result, findings } : result;
  },
};
