import type { RepositorySnapshot } from '../../kernel/index.js';
import type { Policy } from '../../policy/index.js';
import { analyseSnapshot, type ReviewFacts } from '../../source-control/index.js';

/** The same history analysis as the review collector (read once per snapshot). */
export function collectSignatures(repository: RepositorySnapshot, policy: Policy): Promise<ReviewFacts> {
  return analyseSnapshot(repository, policy);
}
