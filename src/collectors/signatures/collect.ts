import type { RepositorySnapshot } from '../../kernel/repository.js';
import type { Policy } from '../../policy/schema.js';
import { analyseSnapshot, type ReviewFacts } from '../../source-control/snapshot.js';

/** The same history analysis as the review collector (read once per snapshot). */
export function collectSignatures(repository: RepositorySnapshot, policy: Policy): Promise<ReviewFacts> {
  return analyseSnapshot(repository, policy);
}
