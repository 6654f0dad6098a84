import type { ProtectedExceptions } from '../engine/index.js';
import { describeError, type RepositorySnapshot } from '../kernel/index.js';
import { type LoadedPolicy, readPolicyAtRevision } from '../policy/index.js';
import { resolveDefaultBranch } from '../source-control/index.js';

/**
 * The exceptions the protected default branch's policy holds (origin/HEAD's target, else main or
 * master, or review.defaultBranch): what `assess` may apply. A branch's own exceptions do not
 * count until they are merged there; without a readable default branch, none count.
 */
export async function readProtectedExceptions(
  repository: RepositorySnapshot,
  loaded: LoadedPolicy,
): Promise<ProtectedExceptions> {
  if (loaded.policy.exceptions.length === 0) return { ref: 'none needed', exceptions: [] };
  if (!repository.isGitRepository) return { unavailable: 'the folder is not a git repository' };
  try {
    const branch = await resolveDefaultBranch(repository.root, loaded.policy.review.defaultBranch);
    const held = await readPolicyAtRevision(repository.root, branch.head);
    return { ref: branch.ref, exceptions: held?.policy.exceptions ?? [] };
  } catch (error) {
    return { unavailable: describeError(error) };
  }
}
