/**
 * The gate's one question about a change — may it approve this deployment? — answered from the
 * ledger alone. The store's `changes` row is read only to report tampering: an approval counts
 * when its ledger entry is included under a checkpoint signed by a trusted ledger key, its
 * statement is signed by a registered principal (or proved by an accepted workload token), and
 * that principal is not the author. Events that take an approval away (rejected, implemented,
 * reviewed, consumed) count wherever they are found, verified or not: failing closed.
 */

import {
  IdentityError,
  type Principal,
  type PrincipalRegistry,
  principalMatchesPerson,
  verifyKeyStatement,
  verifyWorkloadToken,
} from '../identity/index.js';
import {
  canonicalize,
  findEntriesContaining,
  hashLeaf,
  LedgerError,
  type LedgerEvent,
  listCheckpoints,
  type NoteVerifier,
  proveInclusion,
  type StoredEntry,
  verifyCheckpoint,
  verifyInclusion,
} from '../ledger/index.js';
import type { ChangeSettings } from '../policy/index.js';
import type { Store } from '../store/index.js';
import { type ChangeStatement, changeStatementType, subjectOf } from './change-ledger.js';
import { createdLedgerIndex, getChange, listChangeRows, recordChange } from './change-store.js';
import { approvalState, approveChange, type ChangeRecord, createChange } from './changes.js';

export interface ApprovalRequest {
  changeId: string;
  /** The principal registry of the protected branch. */
  registry: PrincipalRegistry;
  /** Keys trusted to sign ledger checkpoints (the protected policy's `ledger.checkpointKeys`). */
  checkpointVerifiers: readonly NoteVerifier[];
  settings: ChangeSettings;
  environment: string;
  /** The released commit (full id), when known. */
  commit?: string;
  /** The artefact digest `sha256:<hex>`. */
  artifact?: string;
  /** Authors of the released commit as git says (`Name <email>`): none of them may be an approver. */
  releasedAuthors?: readonly string[];
  at: Date;
}

export interface VerifiedApproval {
  approved: boolean;
  reason: string;
  /** The change rebuilt from verified ledger entries only (undefined when none verified). */
  change?: ChangeRecord;
  approvers: Principal[];
  /** Ledger indexes of the entries that were verified and used. */
  ledgerIndexes: number[];
  /** Store rows or ledger entries that do not verify: reported, never counted. */
  tampering: string[];
}

const positive = new Set(['created', 'approved']);
const takesApprovalAway = new Set(['rejected', 'implemented', 'reviewed', 'consumed']);
/** A statement signed more than this long before or after its entry was appended is not taken. */
const maxStatementSkewMs = 10 * 60 * 1000;
const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

interface ParsedEntry {
  index: number;
  recordedAt: string;
  text: string;
  transition: string;
  data: Record<string, unknown>;
}

function parseChangeEntry(entry: StoredEntry, changeId: string): ParsedEntry | undefined {
  let value: { index?: unknown; recordedAt?: unknown; type?: unknown; data?: unknown };
  try {
    value = JSON.parse(entry.entry) as typeof value;
  } catch {
    return undefined;
  }
  if (typeof value.type !== 'string' || !value.type.startsWith('change.')) return undefined;
  const data = value.data as Record<string, unknown> | null;
  if (typeof data !== 'object' || data === null || data['change'] !== changeId) return undefined;
  return {
    index: entry.index,
    recordedAt: typeof value.recordedAt === 'string' ? value.recordedAt : '',
    text: entry.entry,
    transition: value.type.slice('change.'.length),
    data,
  };
}

const entriesPerPage = 10_000;

/**
 * Every ledger entry of the change from `from` on, parsed. Read page by page to the end: anyone
 * can add entries that name a change (every gate run with --change does), so a cut-off list could
 * hide the entry that used or withdrew the approval.
 */
async function changeEntries(store: Store, changeId: string, from: number): Promise<ParsedEntry[]> {
  const entries: ParsedEntry[] = [];
  for (let next = from; ; ) {
    const page = await findEntriesContaining(store, `"change":"${changeId}"`, entriesPerPage, next);
    for (const entry of page) {
      const parsed = parseChangeEntry(entry, changeId);
      if (parsed) entries.push(parsed);
    }
    const last = page.at(-1);
    if (page.length < entriesPerPage || last === undefined) return entries;
    next = last.index + 1;
  }
}

/** The newest stored checkpoint that a trusted key signed, or undefined. */
async function trustedCheckpoint(
  store: Store,
  verifiers: readonly NoteVerifier[],
  tampering: string[],
): Promise<{ size: number; root: Uint8Array } | undefined> {
  if (verifiers.length === 0) return undefined;
  for (const stored of await listCheckpoints(store, 50)) {
    try {
      const checkpoint = verifyCheckpoint(stored.note, verifiers);
      if (checkpoint.size !== stored.size) {
        tampering.push(`the checkpoint row at size ${stored.size} holds a note for size ${checkpoint.size}`);
        continue;
      }
      return { size: checkpoint.size, root: checkpoint.root };
    } catch (error) {
      if (!(error instanceof LedgerError)) throw error;
      tampering.push(`the stored checkpoint at size ${stored.size} does not verify: ${error.message}`);
    }
  }
  return undefined;
}

/** Whether the entry text is included at its index in the signed tree (its hash is recomputed). */
async function includedUnder(
  store: Store,
  entry: ParsedEntry,
  checkpoint: { size: number; root: Uint8Array },
): Promise<boolean> {
  if (entry.index >= checkpoint.size) return false;
  try {
    const proof = await proveInclusion(store, entry.index, checkpoint.size);
    verifyInclusion({
      leafIndex: entry.index,
      treeSize: checkpoint.size,
      leafHash: hashLeaf(Buffer.from(entry.text, 'utf8')),
      proof: proof.proof,
      root: checkpoint.root,
    });
    return true;
  } catch (error) {
    if (error instanceof LedgerError) return false;
    throw error;
  }
}

function readStatement(entry: ParsedEntry, changeId: string): ChangeStatement | string {
  const statement = entry.data['statement'] as ChangeStatement | undefined;
  if (typeof statement !== 'object' || statement === null) return 'it carries no signed statement';
  if (statement.type !== changeStatementType) return 'its statement is not a change statement';
  if (statement.change !== changeId || statement.transition !== entry.transition) {
    return 'its statement is for another change or transition';
  }
  const skew = Math.abs(Date.parse(statement.at) - Date.parse(entry.recordedAt));
  if (!(skew <= maxStatementSkewMs)) return 'its statement was signed at another time than it was recorded';
  return statement;
}

/** The principal that proved the statement, or why not. */
async function provePrincipal(
  store: Store,
  entry: ParsedEntry,
  statement: ChangeStatement,
  registry: PrincipalRegistry,
  usedTokens: Set<string>,
): Promise<Principal | string> {
  const proof = entry.data['proof'] as
    | { kind?: unknown; keyId?: unknown; signature?: unknown; token?: unknown }
    | undefined;
  try {
    if (proof?.kind === 'key' && typeof proof.keyId === 'string' && typeof proof.signature === 'string') {
      return await verifyKeyStatement(
        statement,
        { keyId: proof.keyId, signature: proof.signature },
        registry,
      );
    }
    if (proof?.kind === 'oidc' && typeof proof.token === 'string') {
      const verified = await verifyWorkloadToken(proof.token, registry.workloads, {
        at: new Date(entry.recordedAt),
      });
      // A workload token is a bearer credential: each one proves one statement only, the first
      // the ledger holds (for this change or any other).
      const tokenKey = `${verified.claims.issuer}#${verified.claims.tokenId ?? proof.token}`;
      if (usedTokens.has(tokenKey)) return 'its workload token was already used for another statement';
      usedTokens.add(tokenKey);
      const first = (await findEntriesContaining(store, proof.token, 1))[0];
      if (first !== undefined && first.index < entry.index) {
        return `its workload token was already used in ledger entry ${first.index}`;
      }
      return verified.principal;
    }
    return 'it has no signature or token';
  } catch (error) {
    if (error instanceof IdentityError) return `${error.message} [${error.code}]`;
    throw error;
  }
}

interface Rebuilt {
  change?: ChangeRecord;
  approvers: Principal[];
  ledgerIndexes: number[];
  tampering: string[];
  /** Why the approval is gone, when an event took it away. */
  withdrawn?: string;
  consumedBy?: string;
}

/** Replays the change's ledger entries through the same state machine `shipguard change` uses. */
async function rebuildFromLedger(store: Store, request: ApprovalRequest): Promise<Rebuilt> {
  const result: Rebuilt = { approvers: [], ledgerIndexes: [], tampering: [] };
  const checkpoint = await trustedCheckpoint(store, request.checkpointVerifiers, result.tampering);
  // Read from where the row says the change was created: a wrong hint can hide the creation
  // (no approval), never a later entry that takes the approval away.
  const from = await createdLedgerIndex(store, request.changeId).catch(() => 0);
  const entries = await changeEntries(store, request.changeId, from);
  const usedTokens = new Set<string>();
  for (const entry of entries) {
    const where = `ledger entry ${entry.index} (change.${entry.transition})`;
    if (takesApprovalAway.has(entry.transition)) {
      if (entry.transition === 'rejected') result.withdrawn = `rejected (${where})`;
      else if (entry.transition === 'consumed') {
        const decision = (entry.data['record'] as ChangeRecord | undefined)?.consumption?.decision;
        result.consumedBy = `already used by gate decision ${decision ?? '?'} (${where})`;
      } else result.withdrawn = `already ${entry.transition} (${where}): an approval is used once`;
      continue;
    }
    if (!positive.has(entry.transition)) continue;
    if (checkpoint === undefined) continue;
    if (!(await includedUnder(store, entry, checkpoint))) {
      if (entry.index < checkpoint.size) result.tampering.push(`${where} is not in the signed tree (edited)`);
      continue;
    }
    const statement = readStatement(entry, request.changeId);
    if (typeof statement === 'string') {
      result.tampering.push(`${where} is not counted: ${statement}`);
      continue;
    }
    const principal = await provePrincipal(store, entry, statement, request.registry, usedTokens);
    if (typeof principal === 'string') {
      result.tampering.push(`${where} is not counted: ${principal}`);
      continue;
    }
    const at = new Date(entry.recordedAt);
    try {
      if (entry.transition === 'created') {
        if (result.change) {
          result.tampering.push(`${where} creates the change a second time: ignored`);
          continue;
        }
        const details = statement.details as Record<string, unknown>;
        const change = createChange(
          {
            id: request.changeId,
            class: details['class'] as ChangeRecord['class'],
            title: String(details['title'] ?? ''),
            author: principal,
            commits: (details['commits'] as string[] | undefined) ?? [],
            commitAuthors: (details['commitAuthors'] as string[] | undefined) ?? [],
            environments: (details['environments'] as string[] | undefined) ?? [],
            artifacts: (details['artifacts'] as string[] | undefined) ?? [],
            ...(typeof details['template'] === 'string' ? { template: details['template'] } : {}),
            ...(typeof details['riskAssessment'] === 'string'
              ? { riskAssessment: details['riskAssessment'] }
              : {}),
            ...(typeof details['dataProtectionAssessment'] === 'string'
              ? { dataProtectionAssessment: details['dataProtectionAssessment'] }
              : {}),
          },
          request.settings,
          at,
        );
        if (subjectOf(change) !== statement.subject) {
          result.tampering.push(`${where} is not counted: its subject does not match its content`);
          continue;
        }
        result.change = change;
        result.ledgerIndexes.push(entry.index);
        continue;
      }
      if (!result.change) {
        result.tampering.push(`${where} approves a change that has no verified creation`);
        continue;
      }
      if (statement.subject !== subjectOf(result.change)) {
        result.tampering.push(`${where} approves other content than was created: ignored`);
        continue;
      }
      const released = request.releasedAuthors?.find((author) => samePersonOf(principal, author));
      if (released) {
        result.tampering.push(
          `${where} is not counted: ${principal.name} wrote the released commit (${released})`,
        );
        continue;
      }
      result.change = approveChange(result.change, principal, request.settings, at);
      result.approvers.push(principal);
      result.ledgerIndexes.push(entry.index);
    } catch (error) {
      result.tampering.push(
        `${where} is not counted: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return result;
}

function samePersonOf(principal: Principal, author: string): boolean {
  return principalMatchesPerson(principal, author);
}

/** Why a verified, approved change does not approve this deployment, or undefined when it does. */
export function bindingIssue(
  change: ChangeRecord,
  request: Pick<ApprovalRequest, 'environment' | 'commit' | 'artifact' | 'at'>,
): string | undefined {
  const environments = change.environments ?? (change.environment ? [change.environment] : []);
  const artifacts = change.artifacts ?? [];
  if (environments.length === 0) return `change ${change.id} names no environment, so it approves nothing`;
  if (change.commits.length === 0 && artifacts.length === 0) {
    return `change ${change.id} names no commit and no artefact, so it approves nothing`;
  }
  if (!environments.includes(request.environment)) {
    return `change ${change.id} is for ${environments.join(', ')}, not ${request.environment}`;
  }
  if (change.commits.length > 0 && !(request.commit && change.commits.includes(request.commit))) {
    return `change ${change.id} does not name the released commit ${request.commit ?? '(unknown)'}`;
  }
  if (artifacts.length > 0 && !(request.artifact && artifacts.includes(request.artifact))) {
    return `change ${change.id} does not name the artefact ${request.artifact ?? '(unknown)'}`;
  }
  if (change.expiresAt !== undefined && Date.parse(change.expiresAt) <= request.at.getTime()) {
    return `emergency change ${change.id} expired at ${change.expiresAt}`;
  }
  return undefined;
}

/**
 * Whether the change approves deploying `commit`/`artifact` to `environment` now, from verified
 * ledger entries only. Never throws for bad data: everything wrong is a reason or a tampering note.
 */
export async function findVerifiedApproval(
  store: Store,
  request: ApprovalRequest,
): Promise<VerifiedApproval> {
  if (!idPattern.test(request.changeId)) {
    return { approved: false, reason: 'not a change id', approvers: [], ledgerIndexes: [], tampering: [] };
  }
  const rebuilt = await rebuildFromLedger(store, request);
  const row = await getChange(store, request.changeId).catch(() => undefined);
  const tampering = [...rebuilt.tampering];
  const deny = (reason: string): VerifiedApproval => ({
    approved: false,
    reason,
    ...(rebuilt.change ? { change: rebuilt.change } : {}),
    approvers: rebuilt.approvers,
    ledgerIndexes: rebuilt.ledgerIndexes,
    tampering,
  });
  if (row && !rebuilt.change) {
    tampering.push(
      `the store holds change ${request.changeId} but no verified ledger entry creates it: the row is ignored`,
    );
  }
  if (row && rebuilt.change && row.approvals.length > rebuilt.change.approvals.length) {
    tampering.push(
      `the store's row of change ${request.changeId} lists ${row.approvals.length} approval(s), the verified ledger ${rebuilt.change.approvals.length}: the extra ones are ignored`,
    );
  }
  if (request.checkpointVerifiers.length === 0) {
    return deny(
      'no ledger checkpoint key is configured (ledger.checkpointKeys), so no approval can be verified',
    );
  }
  if (!rebuilt.change) {
    return deny(
      `no verified ledger entry creates change ${request.changeId} (are its entries under a signed checkpoint? run shipguard ledger checkpoint)`,
    );
  }
  if (rebuilt.withdrawn) return deny(`change ${request.changeId} is ${rebuilt.withdrawn}`);
  if (rebuilt.consumedBy) return deny(`change ${request.changeId} was ${rebuilt.consumedBy}`);
  const state = approvalState(rebuilt.change, request.settings);
  if (!state.approved) return deny(state.reason);
  const binding = bindingIssue(rebuilt.change, request);
  if (binding) return deny(binding);
  return {
    approved: true,
    reason: `${state.reason} (verified in ledger entries ${rebuilt.ledgerIndexes.join(', ')})`,
    change: rebuilt.change,
    approvers: rebuilt.approvers,
    ledgerIndexes: rebuilt.ledgerIndexes,
    tampering,
  };
}

/** The ledger event that uses up a change's approval; append it with the gate decision. */
export function consumptionEvent(
  change: ChangeRecord,
  use: { decision: string; environment: string; at: Date; commit?: string; artifact?: string },
): { event: LedgerEvent; record: ChangeRecord } {
  const record: ChangeRecord = {
    ...change,
    consumption: { at: use.at.toISOString(), decision: use.decision, environment: use.environment },
  };
  return {
    record,
    event: {
      type: 'change.consumed',
      data: {
        change: change.id,
        class: change.class,
        status: change.status,
        actor: 'shipguard gate',
        decision: use.decision,
        environment: use.environment,
        commit: use.commit ?? null,
        artifact: use.artifact ?? null,
        record: JSON.parse(JSON.stringify(record)),
      },
    },
  };
}

/**
 * Uses up the approval (ledger first, then the projection). Returns false when another decision
 * consumed it first (two gates racing): the later one must not deploy.
 */
export async function consumeApproval(
  store: Store,
  change: ChangeRecord,
  use: { decision: string; environment: string; at: Date; commit?: string; artifact?: string },
): Promise<{ consumed: boolean; ledgerIndex: number }> {
  const { record } = consumptionEvent(change, use);
  const { ledgerIndex } = await recordChange(store, record, 'consumed', 'shipguard gate', use.at);
  const from = await createdLedgerIndex(store, change.id).catch(() => 0);
  const earlier = (await changeEntries(store, change.id, from)).find(
    (entry) => entry.transition === 'consumed' && entry.index < ledgerIndex,
  );
  return { consumed: earlier === undefined, ledgerIndex };
}

/**
 * `ledger verify`'s check of the change projections: every row must equal the record of the
 * newest ledger entry of its change, and every ledgered change must have a row.
 */
export async function checkChangeProjections(store: Store): Promise<string[]> {
  const latest = new Map<string, { index: number; record: unknown }>();
  for (const entry of await findEntriesContaining(store, '"type":"change.', 100_000)) {
    let value: { type?: unknown; data?: { change?: unknown; record?: unknown } };
    try {
      value = JSON.parse(entry.entry) as typeof value;
    } catch {
      continue;
    }
    if (typeof value.type !== 'string' || !value.type.startsWith('change.')) continue;
    const id = value.data?.change;
    if (typeof id !== 'string') continue;
    latest.set(id, { index: entry.index, record: value.data?.record });
  }
  const problems: string[] = [];
  const rows = await listChangeRows(store);
  const seen = new Set<string>();
  for (const row of rows) {
    seen.add(row.id);
    const ledgered = latest.get(row.id);
    if (!ledgered) {
      problems.push(`change ${row.id} is in the store but in no ledger entry (written outside shipguard)`);
      continue;
    }
    let document: unknown;
    try {
      document = JSON.parse(row.document);
    } catch {
      problems.push(`change ${row.id}: the stored row is not JSON`);
      continue;
    }
    if (canonicalize(document) !== canonicalize(ledgered.record ?? null)) {
      problems.push(
        `change ${row.id}: the stored row differs from its newest ledger entry (${ledgered.index})`,
      );
    }
  }
  for (const [id, ledgered] of latest) {
    if (!seen.has(id))
      problems.push(`change ${id} is in the ledger (entry ${ledgered.index}) but its store row is missing`);
  }
  return problems;
}
