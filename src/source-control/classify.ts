import type { Change } from './history.js';
import { type Person, samePerson } from './identity.js';
import type { Trailer } from './trailers.js';

/** How a change says it went through a pull or merge request. */
export interface RequestReference {
  system: 'github' | 'gitlab' | 'gerrit' | 'phabricator' | 'bitbucket' | 'azure-devops';
  via: 'merge-commit' | 'squash-subject' | 'merge-request-line' | 'reviewed-on' | 'differential-revision';
  /** Pull/merge request number (GitLab: the iid). */
  number?: number;
  /** GitLab `group/project`, a Gerrit or Phabricator URL. */
  project?: string;
  url?: string;
}

const githubMerge = /^Merge pull request #(\d{1,9}) from \S/;
const bitbucketMerge = /^Merged in \S{1,300} \(pull request #(\d{1,9})\)/;
const azureMerge = /^Merged PR (\d{1,9}):/;
const squashSuffix = /\(#(\d{1,9})\)$/;
const mergeRequestLine = /^See merge request ([A-Za-z0-9_.\-/]{1,300})!(\d{1,9})$/;

/** Finds the pull/merge request a commit message names, if any. Lines are tested one by one. */
export function findRequestReference(
  message: string,
  trailers: readonly Trailer[],
  isMerge: boolean,
): RequestReference | undefined {
  const lines = message.split('\n', 2000);
  const subject = (lines[0] ?? '').trim().slice(0, 400);
  for (const line of lines) {
    const match = mergeRequestLine.exec(line.trim().slice(0, 400));
    if (match) {
      return {
        system: 'gitlab',
        via: 'merge-request-line',
        project: match[1] ?? '',
        number: Number(match[2]),
      };
    }
  }
  if (isMerge) {
    const github = githubMerge.exec(subject);
    if (github) return { system: 'github', via: 'merge-commit', number: Number(github[1]) };
    const bitbucket = bitbucketMerge.exec(subject);
    if (bitbucket) return { system: 'bitbucket', via: 'merge-commit', number: Number(bitbucket[1]) };
  }
  const azure = azureMerge.exec(subject);
  if (azure) return { system: 'azure-devops', via: 'merge-commit', number: Number(azure[1]) };
  const gerrit = trailers.find((trailer) => trailer.key === 'reviewed-on');
  if (gerrit) return { system: 'gerrit', via: 'reviewed-on', url: gerrit.value.slice(0, 300) };
  const phabricator = trailers.find((trailer) => trailer.key === 'differential-revision');
  if (phabricator)
    return { system: 'phabricator', via: 'differential-revision', url: phabricator.value.slice(0, 300) };
  const squash = squashSuffix.exec(subject);
  if (squash) return { system: 'github', via: 'squash-subject', number: Number(squash[1]) };
  return undefined;
}

/** What a forge said about a change's request, when a token was configured. */
export type ForgeReviewResult =
  | {
      state: 'found';
      /** Request URL or number, for evidence. */
      request: string;
      approvals: Person[];
      changesRequested: Person[];
      author?: Person;
    }
  | { state: 'no-request'; reason: string }
  | { state: 'error'; reason: string };

export type ReviewVerdict = 'reviewed' | 'unverified' | 'unreviewed';

export interface ReviewerEvidence {
  source: 'trailer' | 'forge';
  /** `reviewed-by`, `approved-by`, `acked-by`, or `approved` from a forge. */
  kind: string;
  person: Person;
}

export interface ClassifiedChange {
  change: Change;
  class: 'request' | 'direct';
  verdict: ReviewVerdict;
  /** One sentence: why this verdict. */
  reason: string;
  /** Who wrote it: the merged branch's author for a merge, else the commit author, plus co-authors. */
  authors: Person[];
  /** Independent approvals (not by an author). */
  approvers: Person[];
  /** Approvals by an author of the change. */
  selfApprovals: Person[];
  /** Who put it on the branch: the committer, unless a forge committed on someone's behalf. */
  merger?: Person;
  evidence: ReviewerEvidence[];
}

const reviewKeys = new Set(['reviewed-by', 'approved-by', 'acked-by']);

export function trailerPerson(value: string): Person {
  const open = value.indexOf('<');
  const close = value.indexOf('>', open);
  if (open === -1 || close === -1) {
    const trimmed = value.trim();
    if (trimmed.startsWith('@')) return { name: '', email: '', login: trimmed.slice(1) };
    return trimmed.includes('@') && !trimmed.includes(' ')
      ? { name: '', email: trimmed }
      : { name: trimmed, email: '' };
  }
  return { name: value.slice(0, open).trim(), email: value.slice(open + 1, close).trim() };
}

/** Judges one change from its commit (and, when asked, its forge review). Pure. */
export function classifyChange(change: Change, forge?: ForgeReviewResult): ClassifiedChange {
  const authors: Person[] = [change.mergedAuthor ?? change.author];
  if (forge?.state === 'found' && forge.author) authors.push(forge.author);
  for (const trailer of change.trailers) {
    if (trailer.key === 'co-authored-by') authors.push(trailerPerson(trailer.value));
  }
  const evidence: ReviewerEvidence[] = [];
  for (const trailer of change.trailers) {
    if (reviewKeys.has(trailer.key)) {
      evidence.push({ source: 'trailer', kind: trailer.key, person: trailerPerson(trailer.value) });
    }
  }
  if (forge?.state === 'found') {
    for (const person of forge.approvals) evidence.push({ source: 'forge', kind: 'approved', person });
  }
  const approvers: Person[] = [];
  const selfApprovals: Person[] = [];
  for (const item of evidence) {
    if (authors.some((author) => samePerson(author, item.person))) selfApprovals.push(item.person);
    else if (!approvers.some((known) => samePerson(known, item.person))) approvers.push(item.person);
  }
  const isRequest = change.request !== undefined;
  const classified: ClassifiedChange = {
    change,
    class: isRequest ? 'request' : 'direct',
    verdict: 'unreviewed',
    reason: '',
    authors,
    approvers,
    selfApprovals,
    evidence,
  };
  const merger = change.committer;
  if (!['noreply@github.com', 'noreply@gitlab.com'].includes(merger.email.toLowerCase())) {
    classified.merger = merger;
  }
  if (approvers.length > 0) {
    classified.verdict = 'reviewed';
    classified.reason = `approved by ${approvers.length} reviewer(s) other than the author`;
  } else if (!isRequest) {
    classified.reason =
      selfApprovals.length > 0
        ? 'pushed directly; the only approval is the author’s own'
        : 'pushed directly, with no review recorded';
  } else if (forge?.state === 'found') {
    classified.reason = `merged through ${forge.request} without an approving review by someone other than the author`;
  } else {
    classified.verdict = 'unverified';
    classified.reason =
      forge?.state === 'error'
        ? `merged through a request; the forge could not be asked (${forge.reason})`
        : 'merged through a request; no review evidence offline (configure a forge token to see approvals)';
  }
  return classified;
}

const forgeCommitters = new Set(['noreply@github.com', 'noreply@gitlab.com']);

/**
 * How a reviewed change's review is known: `verified` from approvals shipguard fetched from the
 * forge itself, or from a merge whose signature it checked, made by someone other than the
 * author; `declared` when only the author's own words say so (a Reviewed-by trailer, `(#1)`).
 * Pure: `verification` is the merge commit's signature check, when one was made.
 */
export function reviewEvidenceLevel(
  item: ClassifiedChange,
  verification: { outcome: string } | undefined,
): 'verified' | 'declared' {
  const byOther = (person: Person) => !item.authors.some((author) => samePerson(author, person));
  if (item.evidence.some((evidence) => evidence.source === 'forge' && byOther(evidence.person))) {
    return 'verified';
  }
  if (verification?.outcome !== 'good' || item.change.parents.length < 2) return 'declared';
  const committer = item.change.committer;
  if (forgeCommitters.has(committer.email.toLowerCase())) return 'verified';
  return byOther(committer) ? 'verified' : 'declared';
}

export interface DirectPush {
  commit: string;
  author: Person;
  date: string;
  subject: string;
}

export interface SeparationIssue {
  commit: string;
  kind: 'self-approval' | 'self-merge-without-review';
  author: Person;
  other: Person;
}

export interface ReviewFigures {
  changes: number;
  throughRequest: number;
  direct: number;
  reviewed: number;
  unverified: number;
  unreviewed: number;
  /** reviewed / changes, 0..1; undefined for no changes. */
  coverage?: number;
  directPushes: DirectPush[];
  separationIssues: SeparationIssue[];
}

export function isoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/** Counts and lists over classified changes. Pure. */
export function computeReviewFigures(changes: readonly ClassifiedChange[]): ReviewFigures {
  const figures: ReviewFigures = {
    changes: changes.length,
    throughRequest: 0,
    direct: 0,
    reviewed: 0,
    unverified: 0,
    unreviewed: 0,
    directPushes: [],
    separationIssues: [],
  };
  for (const item of changes) {
    if (item.class === 'request') figures.throughRequest += 1;
    else figures.direct += 1;
    figures[item.verdict] += 1;
    const author = item.authors[0] as Person;
    if (item.class === 'direct' && item.verdict !== 'reviewed') {
      figures.directPushes.push({
        commit: item.change.commit,
        author,
        date: isoDate(item.change.authorTime),
        subject: item.change.subject,
      });
    }
    for (const approver of item.selfApprovals) {
      figures.separationIssues.push({
        commit: item.change.commit,
        kind: 'self-approval',
        author,
        other: approver,
      });
    }
    if (
      item.class === 'request' &&
      item.approvers.length === 0 &&
      item.verdict !== 'unverified' &&
      item.merger &&
      item.authors.some((person) => item.merger !== undefined && samePerson(person, item.merger))
    ) {
      figures.separationIssues.push({
        commit: item.change.commit,
        kind: 'self-merge-without-review',
        author,
        other: item.merger,
      });
    }
  }
  if (changes.length > 0) figures.coverage = figures.reviewed / changes.length;
  return figures;
}
