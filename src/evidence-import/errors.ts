import { type ErrorKinds, errorWithKinds } from '../kernel/index.js';

export type EvidenceImportErrorCode =
  /** The file's format could not be recognised (give --format). */
  | 'EVIDENCE_FORMAT_UNKNOWN'
  /** The file does not parse as the format it claims, or breaks a bound. */
  | 'EVIDENCE_MALFORMED'
  /** A commit that is not a full or abbreviated hexadecimal object name, or that cannot be resolved. */
  | 'EVIDENCE_COMMIT_INVALID'
  /** --sign-with a key that is not registered to a person (records signer add). */
  | 'EVIDENCE_SIGNER_UNKNOWN'
  /** A stored import row that does not match its ledger entry. */
  | 'EVIDENCE_STORE_INVALID';

const evidenceImportErrorKinds: ErrorKinds<EvidenceImportErrorCode> = {
  EVIDENCE_FORMAT_UNKNOWN: 'usage',
  EVIDENCE_MALFORMED: 'usage',
  EVIDENCE_COMMIT_INVALID: 'usage',
  EVIDENCE_SIGNER_UNKNOWN: 'config',
  EVIDENCE_STORE_INVALID: 'internal',
};

/** An evidence file handed to `shipguard evidence import` that cannot be taken in. */
export class EvidenceImportError extends errorWithKinds(evidenceImportErrorKinds) {}
