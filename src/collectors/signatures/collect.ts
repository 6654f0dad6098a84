import type { RepositorySnapshot } from '../../kernel/index.js';
import type { Policy } from '../../policy/index.js';
import { analyseSnapshot, type ReviewFacts, type SnapshotContext } from '../../source-control/index.js';

/** The same history analysis as the review collector (read once per snapshot). */
export function collectSignatures(
  repository: RepositorySnapshot,
  policy: Policy,
  context: SnapshotContext = {},
): Promise<ReviewFacts> {
  return analyseSnapshot(repository, policy, context);
}
