import type { RepositorySnapshot } from '../../kernel/index.js';
import type { Policy } from '../../policy/index.js';
import { analyseSnapshot, type ReviewFacts, type SnapshotContext } from '../../source-control/index.js';

export type { ReviewFacts };

/** Reads the default branch's history once (shared with the signatures collector). */
export function collectReview(
  repository: RepositorySnapshot,
  policy: Policy,
  context: SnapshotContext = {},
): Promise<ReviewFacts> {
  return analyseSnapshot(repository, policy, context);
}
