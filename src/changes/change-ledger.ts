/**
 * Change transitions as signed statements. Whoever creates, approves, rejects, implements or
 * reviews a change signs a statement of exactly that (with a registered key, or presents a CI
 * workload's ID token); the statement, the principal and the proof go into the ledger entry, and
 * the store's `changes` row is only a projection of those entries.
 */
import { createHash, type KeyObject } from 'node:crypto';
import {
  type Principal,
  type PrincipalRegistry,
  type StatementProof,
  signStatement,
  verifyWorkloadToken,
} from '../identity/index.js';
import { canonicalBytes } from '../ledger/index.js';
import type { Store } from '../store/index.js';
import { type ChangeTransition, type ProvedTransition, recordChange } from './change-store.js';
import type { ChangeRecord } from './changes.js';

export const changeStatementType = 'shipguard.change/v1';

/** What a principal signs for one transition. */
export interface ChangeStatement extends Record<string, unknown> {
  type: typeof changeStatementType;
  change: string;
  transition: ChangeTransition;
  at: string;
  /** sha256 of the created content: an approval binds to exactly what was created. */
  subject: string;
  details: Record<string, unknown>;
}

/** How the acting principal proves itself. */
export type ChangeSigner =
  | { kind: 'key'; privateKey: KeyObject; registry: PrincipalRegistry }
  | { kind: 'oidc'; token: string; registry: PrincipalRegistry };

/** The parts of a change fixed at creation, which every later statement refers to by digest. */
export function createdContent(change: ChangeRecord): Record<string, unknown> {
  const content: Record<string, unknown> = {
    id: change.id,
    class: change.class,
    title: change.title,
    commits: change.commits,
    commitAuthors: change.commitAuthors,
    environments: change.environments ?? [],
    artifacts: change.artifacts ?? [],
  };
  if (change.template !== undefined) content['template'] = change.template;
  if (change.riskAssessment !== undefined) content['riskAssessment'] = change.riskAssessment;
  if (change.dataProtectionAssessment !== undefined)
    content['dataProtectionAssessment'] = change.dataProtectionAssessment;
  return content;
}

export function subjectOf(change: ChangeRecord): string {
  return `sha256:${createHash('sha256')
    .update(canonicalBytes(createdContent(change)))
    .digest('hex')}`;
}

export function changeStatement(
  change: ChangeRecord,
  transition: Exclude<ChangeTransition, 'consumed'>,
  at: Date,
  details: Record<string, unknown> = {},
): ChangeStatement {
  return {
    type: changeStatementType,
    change: change.id,
    transition,
    at: at.toISOString(),
    subject: subjectOf(change),
    details: transition === 'created' ? createdContent(change) : details,
  };
}

/** The principal a signer stands for, without signing anything (to apply a transition first). */
export async function principalOfSigner(signer: ChangeSigner, at: Date): Promise<Principal> {
  if (signer.kind === 'oidc') {
    return (await verifyWorkloadToken(signer.token, signer.registry.workloads, { at })).principal;
  }
  return (await signStatement({ probe: true }, signer.privateKey, signer.registry)).principal;
}

/** Signs (or, for a workload, attaches the verified token to) a statement. */
export async function proveStatement(
  statement: ChangeStatement,
  signer: ChangeSigner,
): Promise<ProvedTransition> {
  if (signer.kind === 'oidc') {
    const verified = await verifyWorkloadToken(signer.token, signer.registry.workloads, {
      at: new Date(statement.at),
    });
    const proof: StatementProof = { kind: 'oidc', token: signer.token.trim() };
    return { statement, principal: verified.principal, proof };
  }
  const signed = await signStatement(statement, signer.privateKey, signer.registry);
  return { statement, principal: signed.principal, proof: signed.proof };
}

/** Signs the transition and records it: ledger entry first, then the projection row. */
export async function recordSignedTransition(
  store: Store,
  next: ChangeRecord,
  transition: Exclude<ChangeTransition, 'consumed'>,
  signer: ChangeSigner,
  now: Date,
  details: Record<string, unknown> = {},
): Promise<{ ledgerIndex: number; principal: Principal }> {
  const proved = await proveStatement(changeStatement(next, transition, now, details), signer);
  const { ledgerIndex } = await recordChange(store, next, transition, proved, now);
  return { ledgerIndex, principal: proved.principal };
}
