export { assessmentCompletedEvent, assessmentDigest } from './assessment-event.js';
export { canonicalBytes, canonicalize, parseCanonical } from './canonical-json.js';
export type { NoteVerifier } from './checkpoint.js';
export {
  formatVerifierKey,
  noteKeyId,
  parseSignedCheckpoint,
  parseVerifierKey,
  verifyCheckpoint,
} from './checkpoint.js';
export { LedgerError } from './errors.js';
export type { LedgerEvent, LedgerHead, StoredEntry } from './ledger.js';
export {
  appendEvents,
  appendToLedger,
  createCheckpoint,
  findEntriesContaining,
  latestCheckpoint,
  listCheckpoints,
  proveConsistency,
  proveInclusion,
  readEntries,
  readHead,
  verifyLedger,
} from './ledger.js';
export { hashLeaf, verifyConsistency, verifyInclusion } from './merkle.js';
export {
  decodeBase64,
  encodeBase64,
  formatConsistencyProofFile,
  formatInclusionProofFile,
  parseConsistencyProofFile,
  parseInclusionProofFile,
} from './proof-file.js';
