import { type ErrorKinds, errorWithKinds } from '../kernel/index.js';

export type LedgerErrorCode =
  /** A proof, hash or size is not well formed (wrong length, out of range, bad encoding). */
  | 'PROOF_MALFORMED'
  /** A well-formed proof that does not lead to the claimed root. */
  | 'PROOF_INVALID'
  /** A checkpoint note that cannot be parsed. */
  | 'CHECKPOINT_MALFORMED'
  /** A checkpoint whose signature is missing, unknown or wrong. */
  | 'CHECKPOINT_SIGNATURE_INVALID'
  /** A value that canonical JSON (RFC 8785) cannot represent. */
  | 'CANONICAL_JSON_INVALID'
  /** An event that cannot be appended (bad shape, too large). */
  | 'EVENT_INVALID'
  /** The stored log does not match what it should be: an edited, missing or reordered entry. */
  | 'LEDGER_TAMPERED'
  /** The stored log is not consistent with a checkpoint kept earlier (truncated or forked). */
  | 'LEDGER_INCONSISTENT'
  /** A request for an entry or size that the log does not have. */
  | 'LEDGER_OUT_OF_RANGE'
  /** The store refused the append (disk full, read-only, unreachable): nothing was appended. */
  | 'LEDGER_WRITE_FAILED';

/** The kind of each code, which decides the exit code. */
const ledgerErrorKinds: ErrorKinds<LedgerErrorCode> = {
  PROOF_MALFORMED: 'rejected',
  PROOF_INVALID: 'rejected',
  CHECKPOINT_MALFORMED: 'rejected',
  CHECKPOINT_SIGNATURE_INVALID: 'rejected',
  CANONICAL_JSON_INVALID: 'internal',
  EVENT_INVALID: 'internal',
  LEDGER_TAMPERED: 'rejected',
  LEDGER_INCONSISTENT: 'rejected',
  LEDGER_OUT_OF_RANGE: 'usage',
  LEDGER_WRITE_FAILED: 'internal',
};

export class LedgerError extends errorWithKinds(ledgerErrorKinds) {}
