import type { RepositorySnapshot } from '../../kernel/index.js';
import type { Policy } from '../../policy/index.js';
import { analyseSnapshot, type ReviewFacts } from '../../source-control/index.js';

export type { ReviewFacts };

/** Reads the default branch's history once (shared with the signatures collector). */
export function collectReview(repository: RepositorySnapshot, policy: Policy): Promise<ReviewFacts> {
  return analyseSnapshot(repository, policy);
}
