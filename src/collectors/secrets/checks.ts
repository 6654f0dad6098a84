import type { Evidence, Finding } from '../../kernel/index.js';
import type { SecretFinding } from '../../secrets/index.js';
import { describeRedacted } from '../../secrets/index.js';
import { failed, findingOf, passed, unknown } from '../results.js';
import type { Check } from '../types.js';
import type { SecretsFacts } from './collect.js';

const remediation =
  'Rotate the credential first (revoke it where it was issued), then remove it from the code; load it from a secret store or the environment instead.';

function toFindings(check: Check<SecretsFacts>, findings: SecretFinding[]): Finding[] {
  return findings.map((finding) => {
    const where = finding.commit
      ? ` (introduced in ${finding.commit.slice(0, 12)}, ${finding.presence})`
      : '';
    return findingOf(check, `${finding.description}: ${describeRedacted(finding.secret)}${where}`, {
      location:
        finding.line > 0
          ? { path: finding.path, line: finding.line, column: finding.column }
          : { path: finding.path },
      key: finding.id,
      // Test credentials (localhost, CI service containers) are low; every other secret is a leak.
      severity: finding.severity === 'critical' ? 'critical' : finding.severity === 'low' ? 'low' : 'high',
    });
  });
}

function commitEvidence(findings: SecretFinding[]): Evidence[] {
  return findings.slice(0, 50).map((finding) =>
    finding.commit
      ? {
          kind: 'commit',
          commit: finding.commit,
          path: finding.path,
          note: `${finding.ruleId}, ${finding.presence}`,
        }
      : { kind: 'file', path: finding.path, line: finding.line, note: finding.ruleId },
  );
}

export const workingTreeClean: Check<SecretsFacts> = {
  id: 'secrets/working-tree-clean',
  title: 'No credentials in the working tree',
  severity: 'high',
  remediation,
  evaluate(facts) {
    const outcome = facts.workingTree;
    if (outcome.status === 'error')
      return unknown(this.id, outcome.message, 'Run `shipguard secrets` and fix the error it reports.');
    if (outcome.status !== 'scanned') {
      return unknown(this.id, 'the working tree was not fully scanned', 'Run `shipguard secrets`.');
    }
    // Test credentials (default passwords to localhost or CI service containers) are reported
    // low and do not make the tree unclean; a leak anywhere fails it, listing both kinds.
    const leaks = outcome.findings.filter((finding) => finding.severity !== 'low');
    if (leaks.length > 0) {
      return failed(
        this.id,
        `${leaks.length} credential(s) in the working tree`,
        commitEvidence(outcome.findings),
        toFindings(this, outcome.findings),
      );
    }
    const testCredentials = outcome.findings.length;
    const aside =
      testCredentials > 0 ? `; ${testCredentials} test credential(s) to local services (low)` : '';
    return passed(this.id, `no credentials in ${outcome.scanned} files (${facts.rules} rules)${aside}`, [
      {
        kind: 'absence',
        lookedFor: [`credentials matching ${facts.rules} secret rules`],
        in: 'working tree',
      },
    ]);
  },
};

export const historyClean: Check<SecretsFacts> = {
  id: 'secrets/history-clean',
  title: 'No credentials anywhere in git history',
  severity: 'high',
  remediation: `${remediation} A credential removed from the tree stays in history: rotating it is what makes it harmless.`,
  evaluate(facts) {
    const outcome = facts.history;
    const howToProvide =
      'Run `shipguard secrets --history` (no time limit) and fix or baseline what it reports.';
    if (outcome.status === 'not-applicable')
      return unknown(this.id, `history not scanned: ${outcome.reason}`, howToProvide);
    if (outcome.status === 'error') return unknown(this.id, outcome.message, howToProvide);
    // As in the working tree: test credentials to local services are low and do not fail history.
    const leaks = outcome.findings.filter((finding) => finding.severity !== 'low');
    if (leaks.length > 0) {
      const partial = outcome.status === 'partial' ? ' (scan incomplete, there may be more)' : '';
      return failed(
        this.id,
        `${leaks.length} credential(s) in history${partial}`,
        commitEvidence(outcome.findings),
        toFindings(this, outcome.findings),
      );
    }
    // A partial scan never passes: what was not read may hold a secret.
    if (outcome.status === 'partial') {
      return unknown(this.id, `history only partly scanned: ${outcome.reasons.join('; ')}`, howToProvide);
    }
    const testCredentials = outcome.findings.length;
    const aside =
      testCredentials > 0 ? `; ${testCredentials} test credential(s) to local services (low)` : '';
    return passed(
      this.id,
      `no credentials in ${outcome.scanned} blobs of ${outcome.commits ?? 0} commits${aside}`,
      [
        {
          kind: 'absence',
          lookedFor: [`credentials matching ${facts.rules} secret rules`],
          in: 'every commit on every ref',
        },
      ],
    );
  },
};
