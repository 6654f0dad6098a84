import type { ForgeReviewResult } from '../classify.js';
import type { Change } from '../history.js';

/** Reads review decisions from a forge's API with a read-only token. One method per question. */
export interface ForgeAdapter {
  readonly kind: 'github' | 'gitlab';
  /** The review of the request a change came from (by its number, else by its commit). */
  reviewOf(change: Change): Promise<ForgeReviewResult>;
  /** HTTP requests made so far (cache revalidations included). */
  readonly requestCount: number;
}
