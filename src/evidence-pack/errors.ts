import { type ErrorKinds, errorWithKinds } from '../kernel/index.js';

export type EvidencePackErrorCode =
  /** --from/--to do not form a period of calendar dates. */
  | 'PACK_PERIOD_INVALID'
  /** The store has no signed ledger checkpoint, or none that covers every item of the period. */
  | 'PACK_CHECKPOINT_MISSING'
  /** An item of the period has no ledger entry, or its stored copy differs from what was ledgered. */
  | 'PACK_ITEM_UNPROVEN'
  /** The period holds more than a pack may carry. */
  | 'PACK_TOO_LARGE'
  /** The pack just built does not verify (a bug or a store that changed underneath). */
  | 'PACK_SELF_CHECK_FAILED';

const evidencePackErrorKinds: ErrorKinds<EvidencePackErrorCode> = {
  PACK_PERIOD_INVALID: 'usage',
  PACK_CHECKPOINT_MISSING: 'rejected',
  PACK_ITEM_UNPROVEN: 'rejected',
  PACK_TOO_LARGE: 'rejected',
  PACK_SELF_CHECK_FAILED: 'internal',
};

/** Building a pack failed; verifying one never throws this, it reports named problems instead. */
export class EvidencePackError extends errorWithKinds(evidencePackErrorKinds) {}
