/**
 * Change control (policy 2.1): change records, their classes and transitions, and separation of
 * duties. Pure: the store and the ledger are in change-store.ts.
 *
 * - standard: a pre-approved template id; approved on creation.
 * - normal: N independent approvals (default 1).
 * - major: risk and data-protection assessments recorded, N approvals (default 2), one of them by
 *   someone holding the designated role.
 * - emergency: one approval suffices to deploy; a post-implementation review is due within a
 *   deadline after implementation.
 */
import {
  normaliseName,
  type Principal,
  principalMatchesPerson,
  samePersonName as sameNormalisedPerson,
  samePerson,
} from '../identity/index.js';
import type { ChangeSettings } from '../policy/index.js';
import { ChangeError } from './errors.js';

/** Who acts: a proved principal, or (only in records written before principals) a name. */
export type Actor = Principal | string;

function actorName(actor: Actor): string {
  return normaliseName(typeof actor === 'string' ? actor : actor.name);
}

function actorPrincipal(actor: Actor): { principal?: Principal } {
  return typeof actor === 'string' ? {} : { principal: actor };
}

export const changeClasses = ['standard', 'normal', 'major', 'emergency'] as const;
export type ChangeClass = (typeof changeClasses)[number];

export type ChangeStatus = 'requested' | 'approved' | 'rejected' | 'implemented' | 'reviewed';

export interface ChangeApproval {
  /** Display name (normalised). */
  by: string;
  at: string;
  roles: string[];
  /** The principal that proved the approval; separation of duties compares these. */
  principal?: Principal;
}

export interface ChangeRecord {
  id: string;
  class: ChangeClass;
  title: string;
  /** Display name of the author (normalised). */
  author: string;
  /** The principal that created the change. */
  authorPrincipal?: Principal;
  createdAt: string;
  status: ChangeStatus;
  /** Commits the change deploys, and who wrote them (`Name <email>`), read when it was created. */
  commits: string[];
  commitAuthors: string[];
  /** The one environment, when the change names exactly one (kept for older readers). */
  environment?: string;
  /** Environments the change approves deployments to; none: it approves nothing. */
  environments?: string[];
  /** Artefact digests (`sha256:<hex>`) the change approves, besides or instead of commits. */
  artifacts?: string[];
  template?: string;
  riskAssessment?: string;
  dataProtectionAssessment?: string;
  approvals: ChangeApproval[];
  /** Emergency changes: the approval lapses at this time (`changes.emergencyApprovalHours`). */
  expiresAt?: string;
  /** The deployment that used the approval (single use). */
  consumption?: { at: string; decision: string; environment: string; ledgerIndex?: number };
  rejection?: { by: string; at: string; reason: string };
  implementation?: { by: string; at: string };
  /** Emergency changes: when the post-implementation review is due. */
  reviewDueAt?: string;
  review?: { by: string; at: string; notes: string };
}

/** What a change is created from: the record's own fields, and who asks for it. */
export interface NewChange
  extends Pick<
      ChangeRecord,
      | 'id'
      | 'class'
      | 'title'
      | 'environment'
      | 'environments'
      | 'artifacts'
      | 'template'
      | 'riskAssessment'
      | 'dataProtectionAssessment'
    >,
    Partial<Pick<ChangeRecord, 'commits' | 'commitAuthors'>> {
  author: Actor;
}

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** A new change record; a standard change naming a known template is approved at once. */
export function createChange(input: NewChange, settings: ChangeSettings, now: Date): ChangeRecord {
  if (!idPattern.test(input.id)) {
    throw new ChangeError(
      'CHANGE_INVALID',
      'a change id is 1-100 letters, digits, dots, dashes or underscores',
    );
  }
  if (input.title.trim() === '') throw new ChangeError('CHANGE_INVALID', 'a change needs a title');
  const author = actorName(input.author);
  if (author === '') throw new ChangeError('CHANGE_INVALID', 'a change needs an author');
  const record: ChangeRecord = {
    id: input.id,
    class: input.class,
    title: input.title.trim().slice(0, 500),
    author,
    createdAt: now.toISOString(),
    status: 'requested',
    commits: input.commits ?? [],
    commitAuthors: input.commitAuthors ?? [],
    approvals: [],
  };
  if (typeof input.author !== 'string') record.authorPrincipal = input.author;
  const environments = [
    ...new Set([
      ...(input.environments ?? []),
      ...(input.environment === undefined ? [] : [input.environment]),
    ]),
  ].map((name) => name.trim());
  if (environments.some((name) => !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name))) {
    throw new ChangeError(
      'CHANGE_INVALID',
      'an environment name is 1-100 letters, digits, dots, dashes or underscores',
    );
  }
  if (environments.length > 0) record.environments = environments;
  if (environments.length === 1) record.environment = environments[0] ?? '';
  const artifacts = [...new Set(input.artifacts ?? [])];
  if (artifacts.some((digest) => !/^sha256:[0-9a-f]{64}$/.test(digest))) {
    throw new ChangeError('CHANGE_INVALID', 'an artefact is named by its digest, sha256:<64 hex>');
  }
  if (artifacts.length > 0) record.artifacts = artifacts;
  if (input.class === 'emergency') {
    record.expiresAt = new Date(now.getTime() + settings.emergencyApprovalHours * 3_600_000).toISOString();
  }
  if (input.class === 'standard') {
    const template = settings.standardTemplates.find((item) => item.id === input.template);
    if (!template) {
      const known = settings.standardTemplates.map((item) => item.id).join(', ') || 'none configured';
      throw new ChangeError(
        'CHANGE_INVALID',
        `a standard change names a pre-approved template (gate.changes.standardTemplates: ${known})`,
      );
    }
    record.template = template.id;
    record.status = 'approved';
  }
  if (input.class === 'major') {
    if (!input.riskAssessment?.trim() || !input.dataProtectionAssessment?.trim()) {
      throw new ChangeError(
        'CHANGE_INVALID',
        'a major change records a risk assessment and a data-protection assessment (--risk, --data-protection)',
      );
    }
  }
  if (input.riskAssessment?.trim()) record.riskAssessment = input.riskAssessment.trim().slice(0, 4000);
  if (input.dataProtectionAssessment?.trim())
    record.dataProtectionAssessment = input.dataProtectionAssessment.trim().slice(0, 4000);
  return record;
}

/** Same person: equal names or e-mails, normalised and ignoring case; `Name <email>` matches either part. */
export function samePersonName(a: string, b: string): boolean {
  return sameNormalisedPerson(a, b);
}

/** Whether an actor is the person a free-text name stands for. */
function actorIs(actor: Actor, person: string): boolean {
  return typeof actor === 'string' ? samePersonName(actor, person) : principalMatchesPerson(actor, person);
}

function sameActor(a: Actor, b: Actor): boolean {
  // Two keys of one person (matching registered names or e-mails) are one approver.
  if (typeof a !== 'string' && typeof b !== 'string') return samePerson(a, b);
  return samePersonName(actorName(a), actorName(b));
}

/** Why this person may not approve the change, or undefined when they may. */
export function separationIssue(change: ChangeRecord, approver: Actor): string | undefined {
  const name = actorName(approver);
  if (change.authorPrincipal && typeof approver !== 'string') {
    if (change.authorPrincipal.id === approver.id)
      return `${name} is the change's author (the same principal)`;
    if (samePerson(change.authorPrincipal, approver)) {
      return `${name} is the change's author (another key with the author's registered name or e-mail)`;
    }
  }
  if (actorIs(approver, change.author)) return `${name} is the change's author`;
  const author = change.commitAuthors.find((item) => actorIs(approver, item));
  if (author) return `${name} wrote a commit of the change (${author})`;
  return undefined;
}

export function approveChange(
  change: ChangeRecord,
  approver: Actor,
  settings: ChangeSettings,
  now: Date,
): ChangeRecord {
  if (change.status !== 'requested' && change.status !== 'approved') {
    throw new ChangeError(
      'CHANGE_INVALID_TRANSITION',
      `change ${change.id} is ${change.status}; it cannot be approved`,
    );
  }
  const issue = separationIssue(change, approver);
  if (issue) throw new ChangeError('CHANGE_SEPARATION_OF_DUTIES', `separation of duties: ${issue}`);
  if (change.approvals.some((approval) => sameActor(approval.principal ?? approval.by, approver))) {
    throw new ChangeError(
      'CHANGE_INVALID_TRANSITION',
      `${actorName(approver)} has already approved change ${change.id}`,
    );
  }
  const roles = rolesOf(approver, settings);
  const next: ChangeRecord = {
    ...change,
    approvals: [
      ...change.approvals,
      { by: actorName(approver), at: now.toISOString(), roles, ...actorPrincipal(approver) },
    ],
  };
  next.status = approvalState(next, settings).approved ? 'approved' : 'requested';
  return next;
}

export function rejectChange(change: ChangeRecord, actor: Actor, reason: string, now: Date): ChangeRecord {
  const by = actorName(actor);
  if (change.status !== 'requested' && change.status !== 'approved') {
    throw new ChangeError(
      'CHANGE_INVALID_TRANSITION',
      `change ${change.id} is ${change.status}; it cannot be rejected`,
    );
  }
  if (reason.trim() === '')
    throw new ChangeError('CHANGE_INVALID', 'say why the change is rejected (--reason)');
  return {
    ...change,
    status: 'rejected',
    rejection: { by, at: now.toISOString(), reason: reason.trim().slice(0, 2000) },
  };
}

export function implementChange(
  change: ChangeRecord,
  actor: Actor,
  settings: ChangeSettings,
  now: Date,
): ChangeRecord {
  const by = actorName(actor);
  if (change.status !== 'approved') {
    throw new ChangeError(
      'CHANGE_INVALID_TRANSITION',
      `change ${change.id} is ${change.status}; only an approved change is implemented`,
    );
  }
  const next: ChangeRecord = {
    ...change,
    status: 'implemented',
    implementation: { by, at: now.toISOString() },
  };
  if (change.class === 'emergency') {
    next.reviewDueAt = new Date(now.getTime() + settings.emergencyReviewHours * 3_600_000).toISOString();
  }
  return next;
}

export function reviewChange(change: ChangeRecord, actor: Actor, notes: string, now: Date): ChangeRecord {
  const by = actorName(actor);
  if (change.status !== 'implemented') {
    throw new ChangeError(
      'CHANGE_INVALID_TRANSITION',
      `change ${change.id} is ${change.status}; only an implemented change is reviewed`,
    );
  }
  if (notes.trim() === '') throw new ChangeError('CHANGE_INVALID', 'a review records its findings (--notes)');
  // The review is a second pair of eyes: not by the author.
  if (separationIssue(change, actor)?.includes("change's author")) {
    throw new ChangeError(
      'CHANGE_SEPARATION_OF_DUTIES',
      `separation of duties: ${by} is the change's author`,
    );
  }
  return {
    ...change,
    status: 'reviewed',
    review: { by, at: now.toISOString(), notes: notes.trim().slice(0, 4000) },
  };
}

/** Roles are given to people by name or e-mail in the protected policy; a principal matches by its registered name or e-mails. */
function rolesOf(person: Actor, settings: ChangeSettings): string[] {
  const roles = new Set<string>();
  for (const [name, list] of Object.entries(settings.roles)) {
    if (actorIs(person, name)) for (const role of list) roles.add(role);
  }
  return [...roles].sort();
}

export interface ApprovalState {
  approved: boolean;
  reason: string;
  /** Independent approvals that count (separation of duties re-checked). */
  approvers: string[];
}

/**
 * Whether the change's approvals satisfy its class, re-checking separation of duties on every
 * approval (a record edited in the store cannot smuggle in a self-approval).
 */
export function approvalState(change: ChangeRecord, settings: ChangeSettings): ApprovalState {
  const valid = change.approvals.filter(
    (approval, index) =>
      separationIssue(change, approval.principal ?? approval.by) === undefined &&
      // One principal approving twice counts once.
      change.approvals.findIndex((other) =>
        sameActor(other.principal ?? other.by, approval.principal ?? approval.by),
      ) === index,
  );
  const approvers = valid.map((approval) => approval.by);
  const ignored = change.approvals.length - valid.length;
  const note = ignored > 0 ? ` (${ignored} approval(s) by an author ignored)` : '';
  if (change.status === 'rejected') {
    return {
      approved: false,
      reason: `change ${change.id} was rejected by ${change.rejection?.by ?? '?'}`,
      approvers,
    };
  }
  switch (change.class) {
    case 'standard': {
      const template = settings.standardTemplates.find((item) => item.id === change.template);
      return template
        ? { approved: true, reason: `standard change from pre-approved template ${template.id}`, approvers }
        : {
            approved: false,
            reason: `template ${change.template ?? '?'} is not pre-approved in the policy`,
            approvers,
          };
    }
    case 'normal': {
      const needed = settings.normalApprovals;
      return valid.length >= needed
        ? { approved: true, reason: `normal change approved by ${approvers.join(', ')}`, approvers }
        : {
            approved: false,
            reason: `normal change has ${valid.length} of ${needed} independent approval(s)${note}`,
            approvers,
          };
    }
    case 'major': {
      if (!change.riskAssessment || !change.dataProtectionAssessment) {
        return {
          approved: false,
          reason: 'major change lacks a risk or data-protection assessment',
          approvers,
        };
      }
      const needed = settings.majorApprovals;
      const role = settings.majorApproverRole;
      const withRole = valid.some((approval) =>
        rolesOf(approval.principal ?? approval.by, settings).includes(role),
      );
      if (valid.length < needed) {
        return {
          approved: false,
          reason: `major change has ${valid.length} of ${needed} independent approvals${note}`,
          approvers,
        };
      }
      if (!withRole) {
        return {
          approved: false,
          reason: `major change needs an approval by someone with the role ${role}`,
          approvers,
        };
      }
      return {
        approved: true,
        reason: `major change approved by ${approvers.join(', ')} (including ${role})`,
        approvers,
      };
    }
    case 'emergency':
      return valid.length >= 1
        ? { approved: true, reason: `emergency change approved by ${approvers.join(', ')}`, approvers }
        : { approved: false, reason: `emergency change has no independent approval${note}`, approvers };
  }
}

/** An emergency change implemented and not reviewed by its due time. */
export function isReviewOverdue(change: ChangeRecord, now: Date): boolean {
  return (
    change.class === 'emergency' &&
    change.status === 'implemented' &&
    change.reviewDueAt !== undefined &&
    Date.parse(change.reviewDueAt) < now.getTime()
  );
}
