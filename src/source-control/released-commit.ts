/**
 * One commit read as a change (what `shipguard review` judges, signature included), and the
 * review of a released commit: is it on the protected branch, and was the change that brought it
 * there reviewed by someone other than its authors?
 */
import { runGit, runGitText } from '../kernel/index.js';
import { type ClassifiedChange, classifyChange } from './classify.js';
import { parseCommit } from './commit.js';
import { SourceControlError } from './errors.js';
import { type Change, toChange } from './history.js';
import { describePerson } from './identity.js';

const maxCommitBytes = 16 * 1024 * 1024;
const commitPattern = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** Reads one commit as a change, with the author of a merge's second parent (who wrote what was merged). */
export async function readChange(root: string, id: string): Promise<Change> {
  const raw = await runGit(root, ['cat-file', 'commit', id], { maxOutputBytes: maxCommitBytes });
  const change = toChange(parseCommit(id, raw));
  const second = change.parents[1];
  if (second) {
    const tip = await runGit(root, ['cat-file', 'commit', second], { maxOutputBytes: maxCommitBytes });
    change.mergedAuthor = parseCommit(second, tip).author;
  }
  return change;
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
  const classified = classifyChange(await readChange(root, changeId));
  review.change = changeId;
  review.verdict = classified.verdict;
  review.reason = `${changeId === commit ? 'the commit' : `merge ${changeId.slice(0, 12)}`}: ${classified.reason}`;
  review.authors = classified.authors.map((person) => describePerson(person));
  return review;
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
