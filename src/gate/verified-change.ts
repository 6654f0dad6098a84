/**
 * The change the gate may rely on: answered by src/changes from verified ledger entries only
 * (statements signed by principals registered on the protected branch, included under a
 * checkpoint the protected policy's ledger keys signed). The store's `changes` row never decides;
 * a row with no verified entry is reported as tampering and the change rule fails.
 */

import { findVerifiedApproval } from '../changes/index.js';
import type { PrincipalRegistry } from '../identity/index.js';
import { parseVerifierKey } from '../ledger/index.js';
import type { Store } from '../store/index.js';
import type { ChangeFact } from './decide.js';
import type { PolicySource } from './protected-policy.js';

export interface VerifiedChangeRequest {
  changeId: string;
  environment: string;
  /** The released commit, when a verified provenance names it. */
  commit?: string;
  /** `sha256:<hex>` of the artefact. */
  artifact: string;
  /** Authors of the released commit (`Name <email>`): none of them may approve it. */
  releasedAuthors: readonly string[];
  at: Date;
}

export async function readVerifiedChange(
  store: Store,
  source: PolicySource,
  /** The principal registry of the protected branch. */
  registry: PrincipalRegistry,
  request: VerifiedChangeRequest,
): Promise<ChangeFact> {
  const policy = source.loaded.policy;
  const result = await findVerifiedApproval(store, {
    changeId: request.changeId,
    registry,
    checkpointVerifiers: policy.ledger.checkpointKeys.map(parseVerifierKey),
    settings: policy.gate.changes,
    environment: request.environment,
    ...(request.commit === undefined ? {} : { commit: request.commit }),
    artifact: request.artifact,
    releasedAuthors: request.releasedAuthors,
    at: request.at,
  });
  return {
    id: request.changeId,
    approved: result.approved,
    reason: result.reason,
    tampering: result.tampering,
    approvers: result.approvers.map((principal) => principal.name),
    ledgerIndexes: result.ledgerIndexes,
    ...(result.change ? { record: result.change } : {}),
  };
}
