import type { CheckResult, Severity } from '../../kernel/index.js';
import type { Policy } from '../../policy/index.js';
import { daysBetween } from '../../vulns/index.js';
import { failed, findingOf, notApplicable, passed, unknown } from '../results.js';
import type { Check, CheckContext } from '../types.js';
import type { VulnsFacts } from './collect.js';

const howToSync =
  'Run `shipguard advisories sync` (or `shipguard advisories import <OSV zip or folder>` offline) so the store holds current OSV data for the ecosystems in use.';

/** Unknown when the advisory data cannot be trusted to be complete; undefined when it can. */
function dataUnknown(checkId: string, facts: VulnsFacts, policy: Policy): CheckResult | undefined {
  const maxAge = policy.supplyChain.advisoryDatabaseMaxAgeDays;
  if (facts.database.status === 'absent')
    return unknown(checkId, 'no advisory database has been imported', howToSync);
  if (facts.database.status === 'unreadable') {
    return unknown(
      checkId,
      `the advisory database could not be read (${facts.database.problem ?? 'error'})`,
      howToSync,
    );
  }
  const missing = Object.entries(facts.database.coverage)
    .filter(([, age]) => age === undefined)
    .map(([ecosystem]) => ecosystem);
  if (missing.length > 0) return unknown(checkId, `no advisory data for ${missing.join(', ')}`, howToSync);
  if (facts.database.ageDays !== undefined && facts.database.ageDays > maxAge) {
    return unknown(
      checkId,
      `advisory data is ${facts.database.ageDays} days old (policy allows ${maxAge})`,
      howToSync,
    );
  }
  return undefined;
}

export const vulnsDatabaseFresh: Check<VulnsFacts> = {
  id: 'vulns/database-fresh',
  title: 'The advisory data used by assessments is current',
  severity: 'high',
  remediation: howToSync,
  evaluate(facts, policy) {
    if (facts.packages === 0) return notApplicable(this.id, 'no locked dependencies to monitor');
    const maxAge = policy.supplyChain.advisoryDatabaseMaxAgeDays;
    const age = facts.database.ageDays;
    if (facts.database.status === 'present' && age !== undefined && age > maxAge) {
      return failed(
        this.id,
        `advisory data is ${age} days old; the policy allows ${maxAge}`,
        facts.database.sources.map((source) => ({
          kind: 'record' as const,
          source: source.source,
          note: `checked ${source.checkedAt}`,
        })),
        [
          findingOf(this, `The advisory database was last updated ${age} days ago (limit ${maxAge}).`, {
            key: 'stale',
          }),
        ],
      );
    }
    const notCurrent = dataUnknown(this.id, facts, policy);
    if (notCurrent) return notCurrent;
    return passed(
      this.id,
      `advisory data for ${facts.ecosystems.join(', ')} is ${age ?? 0} day(s) old (limit ${maxAge})`,
      facts.database.sources.map((source) => ({
        kind: 'record' as const,
        source: source.source,
        note: `${source.records} advisories, checked ${source.checkedAt}`,
      })),
    );
  },
};

const severityOf: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  unknown: 'medium',
};

function overdue(facts: VulnsFacts, policy: Policy, context: CheckContext) {
  return facts.findings.filter((finding) => {
    if (finding.vex?.status === 'not_affected' || finding.published === undefined) return false;
    const sla = policy.supplyChain.slaDays[finding.severity === 'unknown' ? 'medium' : finding.severity];
    return daysBetween(finding.published, context.now) > sla;
  });
}

export const vulnsNoOverdue: Check<VulnsFacts> = {
  id: 'vulns/no-overdue',
  title: 'No known vulnerability in a dependency is past its fix deadline',
  severity: 'high',
  remediation:
    'Upgrade each package named to the version given (the smallest that fixes), or record a VEX statement or a risk acceptance.',
  evaluate(facts, policy, context) {
    if (facts.packages === 0) return notApplicable(this.id, 'no locked dependencies');
    const notCurrent = dataUnknown(this.id, facts, policy);
    if (notCurrent) return notCurrent;
    const late = overdue(facts, policy, context);
    const evidence = facts.database.sources.map((source) => ({
      kind: 'record' as const,
      source: source.source,
      note: `checked ${source.checkedAt}`,
    }));
    if (late.length === 0) {
      const open = facts.findings.filter((finding) => finding.vex?.status !== 'not_affected').length;
      return passed(
        this.id,
        `${facts.packages} packages matched: ${open} open vulnerabilities, none past its deadline`,
        evidence,
      );
    }
    return failed(
      this.id,
      `${late.length} known vulnerabilit${late.length === 1 ? 'y is' : 'ies are'} past the fix deadline`,
      evidence,
      late.map((finding) =>
        findingOf(
          this,
          `${finding.package.name}@${finding.package.version}: ${finding.id}${finding.aliases.length > 0 ? ` (${finding.aliases.slice(0, 3).join(', ')})` : ''} published ${daysBetween(finding.published ?? '', context.now)} days ago, SLA ${policy.supplyChain.slaDays[finding.severity === 'unknown' ? 'medium' : finding.severity]} days.`,
          {
            severity: severityOf[finding.severity] ?? 'medium',
            key: `${finding.package.ecosystem}:${finding.package.name}@${finding.package.version}:${finding.id}`,
            remediation: finding.smallestFix
              ? `Upgrade ${finding.package.name} to ${finding.smallestFix} (the smallest version that fixes ${finding.id}).`
              : `No fixed version of ${finding.package.name} is known: remove or replace it, or record a VEX statement or risk acceptance.`,
            ...(finding.package.location
              ? {
                  location: {
                    path: finding.package.location.path,
                    ...(finding.package.location.line === undefined
                      ? {}
                      : { line: finding.package.location.line }),
                  },
                }
              : {}),
          },
        ),
      ),
    );
  },
};
