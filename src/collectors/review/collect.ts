import type { RepositorySnapshot } from '../../kernel/repository.js';
import type { Policy } from '../../policy/schema.js';
import { analyseSnapshot, type ReviewFacts } from '../../source-control/snapshot.js';

export type { ReviewFacts };

/** Reads the default branch's history once (shared with the signatures collector). */
export function collectReview(repository: RepositorySnapshot, policy: Policy): Promise<ReviewFacts> {
  return analyseSnapshot(repository, policy);
}
