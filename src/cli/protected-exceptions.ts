import type { ProtectedExceptions } from '../engine/index.js';
import { describeError, type RepositorySnapshot } from '../kernel/index.js';
import { type LoadedPolicy, readPolicyAtRevision } from '../policy/index.js';
import { resolveDefaultBranch } from '../source-control/index.js';

type Threshold = LoadedPolicy['policy']['failOn'];

/** What the protected default branch's policy says, read once per command. */
export interface ProtectedPolicy {
  exceptions: ProtectedExceptions;
  /** The exit thresholds held there; undefined when the branch could not be read (its reason is in `exceptions`). */
  thresholds?: { ref: string; failOn: Threshold; failOnUnknown: Threshold };
}

/**
 * The exceptions and exit thresholds the protected default branch's policy holds (origin/HEAD's
 * target, else main or master, or review.defaultBranch): what `assess` may apply. A branch's own
 * exceptions do not count until they are merged there, and a branch cannot lower the thresholds;
 * without a readable default branch, no exception counts.
 */
export async function readProtectedPolicy(
  repository: RepositorySnapshot,
  loaded: LoadedPolicy,
): Promise<ProtectedPolicy> {
  if (!repository.isGitRepository)
    return {
      exceptions:
        loaded.policy.exceptions.length === 0
          ? { ref: 'none needed', exceptions: [] }
          : { unavailable: 'the folder is not a git repository' },
    };
  try {
    const branch = await resolveDefaultBranch(repository.root, loaded.policy.review.defaultBranch);
    const held = await readPolicyAtRevision(repository.root, branch.head);
    const policy = held?.policy;
    return {
      exceptions: { ref: branch.ref, exceptions: policy?.exceptions ?? [] },
      ...(policy
        ? { thresholds: { ref: branch.ref, failOn: policy.failOn, failOnUnknown: policy.failOnUnknown } }
        : {}),
    };
  } catch (error) {
    return { exceptions: { unavailable: describeError(error) } };
  }
}

/** The exceptions part alone (see readProtectedPolicy). */
export async function readProtectedExceptions(
  repository: RepositorySnapshot,
  loaded: LoadedPolicy,
): Promise<ProtectedExceptions> {
  if (loaded.policy.exceptions.length === 0) return { ref: 'none needed', exceptions: [] };
  return (await readProtectedPolicy(repository, loaded)).exceptions;
}

const strictness: readonly Threshold[] = ['none', 'critical', 'high', 'medium', 'low', 'info'];

/** The threshold that exits 1 on more: a working tree may raise a threshold, never lower it. */
export function stricterThreshold(a: Threshold, b: Threshold): Threshold {
  return strictness.indexOf(a) >= strictness.indexOf(b) ? a : b;
}
