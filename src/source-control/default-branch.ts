import { runGitText } from '../kernel/index.js';
import { SourceControlError } from './errors.js';

export interface DefaultBranch {
  /** Short name, e.g. `main`. */
  name: string;
  /** The ref that is walked, e.g. `refs/remotes/origin/main` or `refs/heads/main`. */
  ref: string;
  /** Where the choice came from, said in reports. */
  source: 'policy' | 'origin-head' | 'conventional-name' | 'current-branch';
  head: string;
}

const refNamePattern = /^(?!.*\.\.)(?!.*\/\/)(?!\/)[A-Za-z0-9._/-]{1,255}$/;

async function resolveCommit(root: string, ref: string): Promise<string | undefined> {
  const id = await runGitText(
    root,
    ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`],
    {
      successExitCodes: [0, 1],
    },
  ).catch(() => '');
  return /^[0-9a-f]{40,64}$/.test(id) ? id : undefined;
}

/**
 * The branch whose history is reviewed: the policy's `review.defaultBranch`, else the target of
 * `origin/HEAD` (what reached the forge, not local commits not yet pushed), else `main` or
 * `master`, else the current branch. A detached HEAD with none of these is an error.
 */
export async function resolveDefaultBranch(root: string, configured?: string): Promise<DefaultBranch> {
  if (configured !== undefined) {
    if (!refNamePattern.test(configured)) {
      throw new SourceControlError(
        'SOURCE_CONTROL_NO_DEFAULT_BRANCH',
        `invalid branch name in policy: ${configured.slice(0, 80)}`,
      );
    }
    for (const ref of [`refs/heads/${configured}`, `refs/remotes/origin/${configured}`]) {
      const head = await resolveCommit(root, ref);
      if (head) return { name: configured, ref, source: 'policy', head };
    }
    throw new SourceControlError(
      'SOURCE_CONTROL_NO_DEFAULT_BRANCH',
      `the branch named in the policy (review.defaultBranch: ${configured}) does not exist locally or at origin`,
    );
  }
  const originHead = await runGitText(root, ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'], {
    successExitCodes: [0, 1],
  }).catch(() => '');
  if (originHead.startsWith('refs/remotes/origin/')) {
    const head = await resolveCommit(root, originHead);
    if (head)
      return {
        name: originHead.slice('refs/remotes/origin/'.length),
        ref: originHead,
        source: 'origin-head',
        head,
      };
  }
  for (const name of ['main', 'master']) {
    const head = await resolveCommit(root, `refs/heads/${name}`);
    if (head) return { name, ref: `refs/heads/${name}`, source: 'conventional-name', head };
  }
  const current = await runGitText(root, ['symbolic-ref', '--quiet', 'HEAD'], {
    successExitCodes: [0, 1],
  }).catch(() => '');
  if (current.startsWith('refs/heads/')) {
    const head = await resolveCommit(root, current);
    if (!head) {
      throw new SourceControlError('SOURCE_CONTROL_EMPTY_BRANCH', `${current.slice(11)} has no commits yet`);
    }
    return { name: current.slice(11), ref: current, source: 'current-branch', head };
  }
  throw new SourceControlError(
    'SOURCE_CONTROL_NO_DEFAULT_BRANCH',
    current === ''
      ? 'HEAD is detached and there is no origin/HEAD, main or master: name the branch in shipguard.yaml (review.defaultBranch)'
      : 'no default branch found: name it in shipguard.yaml (review.defaultBranch)',
  );
}
