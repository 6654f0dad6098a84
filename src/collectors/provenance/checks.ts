import type { Evidence } from '../../kernel/index.js';
import { auditPeriodOf, failed, findingOf, inPeriod, passed, storeUnknown, unknown } from '../results.js';
import type { Check } from '../types.js';
import type { ProvenanceFacts } from './collect.js';

export const attestationPresent: Check<ProvenanceFacts> = {
  id: 'provenance/attestation-present',
  title: 'Every release deployed in the audit period had signed provenance, verified by the gate',
  severity: 'high',
  remediation:
    "Sign the build's provenance in the pipeline (`shipguard attest`) and deploy through `shipguard gate --attestation FILE` with the `provenance` rule on for every environment.",
  evaluate(facts, policy) {
    if (facts.status !== 'present') return storeUnknown(this.id, facts, 'gate decisions');
    const period = auditPeriodOf(policy);
    const deployed = facts.deployments.filter((deployment) => inPeriod(period, deployment.decidedAt));
    if (deployed.length === 0) {
      return unknown(
        this.id,
        `no deployment allowed by \`shipguard gate\` in the audit period (${period.text}) is recorded in ${facts.location}${facts.unreadable > 0 ? ` (${facts.unreadable} decision row(s) unreadable)` : ''}`,
        "Deploy through `shipguard gate --attestation FILE` against this store, so each release's signed provenance is verified and the decision recorded.",
      );
    }
    const without = deployed.filter((deployment) => deployment.provenance?.outcome !== 'pass');
    const evidence: Evidence[] = deployed.slice(0, 50).map((deployment) => ({
      kind: 'record',
      source: facts.location,
      note: `gate decision ${deployment.id} (${deployment.environment}, ${deployment.decidedAt}): provenance ${deployment.provenance ? `${deployment.provenance.outcome}: ${deployment.provenance.reason}` : 'not checked'}`,
      // The gate verified the signature itself when it decided; the row is ledgered.
      ...(deployment.provenance?.outcome === 'pass' ? { level: 'verified' as const } : {}),
    }));
    if (without.length === 0) {
      return passed(
        this.id,
        `${deployed.length} deployment(s) in the audit period (${period.text}), each with signed provenance the gate verified`,
        evidence,
      );
    }
    return failed(
      this.id,
      `${without.length} of ${deployed.length} deployment(s) in the audit period were allowed without verified provenance`,
      evidence,
      without
        .slice(0, 100)
        .map((deployment) =>
          findingOf(
            this,
            `Deployment ${deployment.id} to ${deployment.environment} at ${deployment.decidedAt} was allowed without verified provenance (${deployment.provenance ? `the provenance rule said ${deployment.provenance.outcome}` : 'the provenance rule did not run'}).`,
            { key: deployment.id },
          ),
        ),
    );
  },
};
