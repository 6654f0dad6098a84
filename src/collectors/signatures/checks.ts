import type { CheckResult } from '../../kernel/index.js';
import type { ReviewFacts } from '../../source-control/index.js';
import { failed, findingOf, notApplicable, passed, unknown } from '../results.js';
import { unreadableHistory } from '../review/index.js';
import type { Check } from '../types.js';

export const signaturesSignedChanges: Check<ReviewFacts> = {
  id: 'signatures/signed-changes',
  title: 'Changes on the default branch carry verified signatures',
  severity: 'medium',
  remediation:
    'Sign commits (git config commit.gpgsign true with an SSH or OpenPGP key), publish the allowed signers (review.allowedSignersFile), and set review.signedChangesThreshold.',
  evaluate(facts, policy) {
    const early = unreadableHistory(this.id, facts);
    if (early || facts.state !== 'read') return early as CheckResult;
    const { signatures } = facts.analysis;
    if (signatures.changes === 0) return notApplicable(this.id, 'no changes in the audit period');
    const good = signatures.outcomes.good;
    const share = good / signatures.changes;
    const summary = `${signatures.signed} of ${signatures.changes} changes signed (${signatures.byKind.ssh} ssh, ${signatures.byKind.openpgp} openpgp, ${signatures.byKind.x509} x509), ${good} verified; ${signatures.unsignedMerges.length} unsigned merge(s)`;
    if (signatures.failures.length > 0) {
      // A signature that does not verify is a problem whatever the threshold.
      return failed(
        this.id,
        `${summary}; ${signatures.failures.length} failed verification`,
        signatures.failures
          .slice(0, 50)
          .map((failure) => ({ kind: 'commit', commit: failure.commit, note: failure.reason })),
        signatures.failures.slice(0, 50).map((failure) =>
          findingOf(
            this,
            `${failure.commit.slice(0, 12)}: ${failure.outcome} signature (${failure.reason})`,
            {
              key: failure.commit,
              severity: 'high',
            },
          ),
        ),
      );
    }
    const threshold = policy.review.signedChangesThreshold;
    const evidence = [{ kind: 'commit' as const, commit: facts.analysis.history.branch.head, note: summary }];
    // A threshold of 0 asks for nothing: a pass still needs one verified signature to rest on.
    if (share >= threshold && good > 0) return passed(this.id, summary, evidence);
    const unverifiable = signatures.outcomes.unverifiable + signatures.notChecked;
    if (good + unverifiable > 0 && (good + unverifiable) / signatures.changes >= threshold) {
      return unknown(
        this.id,
        `${summary}; ${unverifiable} signature(s) could not be verified (${signatures.unverifiableReasons.join('; ') || 'verification budget'})`,
        'Provide review.allowedSignersFile for SSH signatures, install gpg with the signers’ keys for OpenPGP.',
      );
    }
    const shortfall =
      good === 0
        ? 'no change carries a verified signature'
        : `below the ${(threshold * 100).toFixed(0)}% required`;
    return failed(this.id, `${summary}; ${shortfall}`, evidence, [
      findingOf(this, `Only ${good} of ${signatures.changes} changes carry a verified signature.`, {
        key: 'share',
      }),
    ]);
  },
};
