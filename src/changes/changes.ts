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
import type { ChangeSettings } from '../policy/index.js';
import { ChangeError } from './errors.js';

export const changeClasses = ['standard', 'normal', 'major', 'emergency'] as const;
export type ChangeClass = (typeof changeClasses)[number];

export type ChangeStatus = 'requested' | 'approved' | 'rejected' | 'implemented' | 'reviewed';

export interface ChangeApproval {
  by: string;
  at: string;
  roles: string[];
}

export interface ChangeRecord {
  id: string;
  class: ChangeClass;
  title: string;
  author: string;
  createdAt: string;
  status: ChangeStatus;
  /** Commits the change deploys, and who wrote them (`Name <email>`), read when it was created. */
  commits: string[];
  commitAuthors: string[];
  environment?: string;
  template?: string;
  riskAssessment?: string;
  dataProtectionAssessment?: string;
  approvals: ChangeApproval[];
  rejection?: { by: string; at: string; reason: string };
  implementation?: { by: string; at: string };
  /** Emergency changes: when the post-implementation review is due. */
  reviewDueAt?: string;
  review?: { by: string; at: string; notes: string };
}

export interface NewChange {
  id: string;
  class: ChangeClass;
  title: string;
  author: string;
  commits?: string[];
  commitAuthors?: string[];
  environment?: string;
  template?: string;
  riskAssessment?: string;
  dataProtectionAssessment?: string;
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
  if (input.author.trim() === '') throw new ChangeError('CHANGE_INVALID', 'a change needs an author');
  const record: ChangeRecord = {
    id: input.id,
    class: input.class,
    title: input.title.trim().slice(0, 500),
    author: input.author.trim(),
    createdAt: now.toISOString(),
    status: 'requested',
    commits: input.commits ?? [],
    commitAuthors: input.commitAuthors ?? [],
    approvals: [],
  };
  if (input.environment !== undefined) record.environment = input.environment;
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

/** Same person: equal names or e-mails, ignoring case; `Name <email>` matches either part. */
export function samePersonName(a: string, b: string): boolean {
  const left = personKeys(a);
  return personKeys(b).some((key) => left.includes(key));
}

function personKeys(text: string): string[] {
  const keys: string[] = [];
  const open = text.indexOf('<');
  const close = text.indexOf('>', open);
  if (open !== -1 && close !== -1) {
    keys.push(
      text.slice(0, open).trim().toLowerCase(),
      text
        .slice(open + 1, close)
        .trim()
        .toLowerCase(),
    );
  } else {
    keys.push(text.trim().toLowerCase());
  }
  return keys.filter((key) => key !== '');
}

/** Why this person may not approve the change, or undefined when they may. */
export function separationIssue(change: ChangeRecord, approver: string): string | undefined {
  if (samePersonName(change.author, approver)) return `${approver} is the change's author`;
  const author = change.commitAuthors.find((item) => samePersonName(item, approver));
  if (author) return `${approver} wrote a commit of the change (${author})`;
  return undefined;
}

export function approveChange(
  change: ChangeRecord,
  approver: string,
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
  if (change.approvals.some((approval) => samePersonName(approval.by, approver))) {
    throw new ChangeError(
      'CHANGE_INVALID_TRANSITION',
      `${approver} has already approved change ${change.id}`,
    );
  }
  const roles = rolesOf(approver, settings);
  const next: ChangeRecord = {
    ...change,
    approvals: [...change.approvals, { by: approver.trim(), at: now.toISOString(), roles }],
  };
  next.status = approvalState(next, settings).approved ? 'approved' : 'requested';
  return next;
}

export function rejectChange(change: ChangeRecord, by: string, reason: string, now: Date): ChangeRecord {
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
  by: string,
  settings: ChangeSettings,
  now: Date,
): ChangeRecord {
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

export function reviewChange(change: ChangeRecord, by: string, notes: string, now: Date): ChangeRecord {
  if (change.status !== 'implemented') {
    throw new ChangeError(
      'CHANGE_INVALID_TRANSITION',
      `change ${change.id} is ${change.status}; only an implemented change is reviewed`,
    );
  }
  if (notes.trim() === '') throw new ChangeError('CHANGE_INVALID', 'a review records its findings (--notes)');
  // The review is a second pair of eyes: not by the author.
  if (samePersonName(change.author, by)) {
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

function rolesOf(person: string, settings: ChangeSettings): string[] {
  const roles = new Set<string>();
  for (const [name, list] of Object.entries(settings.roles)) {
    if (samePersonName(name, person)) for (const role of list) roles.add(role);
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
  const valid = change.approvals.filter((approval) => separationIssue(change, approval.by) === undefined);
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
      const withRole = valid.some((approval) => rolesOf(approval.by, settings).includes(role));
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
