/**
 * One commit read as a change (what `shipguard review` judges, signature included), and the
 * review of a released commit: is it on the protected branch, and was the change that brought it
 * there reviewed by someone other than its authors?
 */
import { runGit, runGitText } from '../kernel/index.js';
import { type ClassifiedChange, classifyChange, reviewEvidenceLevel } from './classify.js';
import { parseCommit, type SignatureKind, signedPayload } from './commit.js';
import { SourceControlError } from './errors.js';
import { type Change, toChange } from './history.js';
import { describePerson } from './identity.js';
import { SignatureVerifier } from './signatures.js';

const maxCommitBytes = 16 * 1024 * 1024;
const commitPattern = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** Reads one commit as a change, with the author of a merge's second parent (who wrote what was merged). */
export async function readChange(root: string, id: string): Promise<Change> {
  return (await readChangeAndSignature(root, id)).change;
}

interface SignedChange {
  change: Change;
  /** The commit's signature and the bytes it signs, when it is signed. */
  signed?: { kind: SignatureKind; armor: string; payload: Buffer };
}

async function readChangeAndSignature(root: string, id: string): Promise<SignedChange> {
  const raw = await runGit(root, ['cat-file', 'commit', id], { maxOutputBytes: maxCommitBytes });
  const commit = parseCommit(id, raw);
  const change = toChange(commit);
  const second = change.parents[1];
  if (second) {
    const tip = await runGit(root, ['cat-file', 'commit', second], { maxOutputBytes: maxCommitBytes });
    change.mergedAuthor = parseCommit(second, tip).author;
  }
  const signature = commit.signature;
  return signature
    ? { change, signed: { kind: signature.kind, armor: signature.armor, payload: signedPayload(raw) } }
    : { change };
}

export interface ReleasedCommitReview {
  commit: string;
  reachable: boolean;
  /** The first-parent change that brought the commit to the branch: itself, or the merge. */
  change?: string;
  verdict?: ClassifiedChange['verdict'];
  reason?: string;
  /** Authors of that change, as `shipguard review` names them. */
  authors: string[];
  /**
   * How the review is known: `verified` when the merge is signed by a key the protected branch's
   * allowed-signers file allows for its committer, who is not an author; else `declared` (trailers
   * and request numbers the author can type).
   */
  level?: 'verified' | 'declared';
  /** Why that level, in one sentence. */
  levelReason?: string;
}

export interface ReleasedReviewOptions {
  /** An ssh allowed-signers file (absolute path) read from the protected branch. */
  allowedSignersFile?: string;
}

/**
 * Whether `commit` is reachable from `head` (`git merge-base --is-ancestor`), then the review
 * verdict of the first-parent change that brought it there: the commit itself when it is on the
 * first-parent line, else the merge that introduced it.
 */
export async function reviewReleasedCommit(
  root: string,
  commit: string,
  head: string,
  options: ReleasedReviewOptions = {},
): Promise<ReleasedCommitReview> {
  if (!commitPattern.test(commit)) {
    throw new SourceControlError(
      'SOURCE_CONTROL_INVALID_COMMIT',
      `not a full commit id: ${JSON.stringify(commit.slice(0, 80))}`,
    );
  }
  const review: ReleasedCommitReview = {
    commit,
    reachable: await isAncestor(root, commit, head),
    authors: [],
  };
  if (!review.reachable) return review;
  const path = await runGitText(root, [
    'rev-list',
    '--first-parent',
    '--ancestry-path',
    `${commit}..${head}`,
  ]);
  const descendants = path === '' ? [] : path.split('\n');
  const oldest = descendants[descendants.length - 1];
  let changeId = commit;
  if (oldest !== undefined) {
    const parents = (await runGitText(root, ['rev-parse', `${oldest}^@`])).split('\n');
    // On the first-parent line the next change's first parent is the commit; else `oldest` merged it.
    if (parents[0] !== commit) changeId = oldest;
  }
  const read = await readChangeAndSignature(root, changeId);
  const classified = classifyChange(read.change);
  review.change = changeId;
  review.verdict = classified.verdict;
  review.reason = `${changeId === commit ? 'the commit' : `merge ${changeId.slice(0, 12)}`}: ${classified.reason}`;
  review.authors = classified.authors.map((person) => describePerson(person));
  if (classified.verdict === 'reviewed') Object.assign(review, await levelOf(classified, read, options));
  return review;
}

/** The evidence level of a reviewed change: its merge signature checked against the allowed signers. */
async function levelOf(
  classified: ClassifiedChange,
  read: SignedChange,
  options: ReleasedReviewOptions,
): Promise<Pick<ReleasedCommitReview, 'level' | 'levelReason'>> {
  const committer = read.change.committer;
  if (read.signed === undefined || options.allowedSignersFile === undefined) {
    const why =
      read.signed === undefined ? 'the merge is not signed' : 'no allowed-signers file is configured';
    return { level: 'declared', levelReason: `review evidence is only what the commit says (${why})` };
  }
  const verifier = new SignatureVerifier({ allowedSignersFile: options.allowedSignersFile });
  try {
    const verification = await verifier.verify(
      read.signed.kind,
      read.signed.armor,
      read.signed.payload,
      committer.email,
    );
    const level = reviewEvidenceLevel(classified, verification);
    const levelReason =
      level === 'verified'
        ? `merged with a signature by ${describePerson(committer)}, verified against the protected allowed signers`
        : verification.outcome === 'good'
          ? `the merge is signed by ${describePerson(committer)}, who is an author of the change`
          : `the merge signature does not verify (${verification.outcome}: ${verification.reason})`;
    return { level, levelReason };
  } finally {
    await verifier.close();
  }
}

async function isAncestor(root: string, commit: string, head: string): Promise<boolean> {
  if (commit === head) return true;
  try {
    // Exit 1 (not an ancestor) and 128 (unknown commit) both mean "not reachable".
    await runGit(root, ['merge-base', '--is-ancestor', commit, head]);
    return true;
  } catch {
    return false;
  }
}
