import { createHash } from 'node:crypto';
import type { Assessment } from '../kernel/index.js';
import { canonicalBytes } from './canonical-json.js';
import type { LedgerEvent } from './ledger.js';

/** The SHA-256 of the assessment's canonical JSON (RFC 8785): what the ledger vouches for. */
export function assessmentDigest(assessment: Assessment): string {
  return createHash('sha256').update(canonicalBytes(assessment)).digest('hex');
}

/**
 * The `assessment.completed` entry that vouches for a stored assessment under its repository key
 * (the evidence pack checks the stored copy against this digest). A caller that also needs the
 * digest computes it once and passes it.
 */
export function assessmentCompletedEvent(
  assessment: Assessment,
  repository: string,
  digest: string = assessmentDigest(assessment),
): LedgerEvent {
  return {
    type: 'assessment.completed',
    data: {
      assessmentId: assessment.id,
      repository,
      commit: assessment.subject.commit ?? null,
      digest: `sha256:${digest}`,
      summary: { ...assessment.summary },
    },
  };
}
