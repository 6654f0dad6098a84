/** Signed, ledgered records the policy asks for, and what they say about each control. */
export { bundleDigest, exportBundle, exportFolder, importBundle } from './bundle.js';
export {
  buildRecord,
  deriveRecordId,
  EvidenceFile,
  kindOf,
  parseRecordDocument,
  type RecordDocument,
  RecordInput,
  recordPayloadType,
  sha256Hex,
} from './document.js';
export { type CoverageGap, type DueItem, listDueItems, peopleCoverage } from './due.js';
export { RecordError, type RecordErrorCode } from './errors.js';
export {
  controlsWithRecordRules,
  evaluateRecordControls,
  type RecordControlOutcome,
  type RecordSet,
  refusedRecords,
  type SourcedRecord,
} from './evaluate.js';
export { type GatheredRecords, gatherRecords } from './gather.js';
export { type CsvImportOptions, parseColumnMap, recordsFromCsv } from './import-csv.js';
export { type RecordKind, recordKinds } from './kinds/index.js';
export {
  type FolderProblem,
  type FolderRecords,
  loadRecordsFolder,
  readProtectedSigners,
  recordsFolder,
} from './repository-folder.js';
export { openSignedRoster, signRoster } from './roster-signing.js';
export {
  createSignerDirectory,
  openSignedRecord,
  type RegisteredSigner,
  type SignedRecord,
  type SignerDirectory,
  sealEnvelope,
  signRecord,
  type VerifiedRecord,
} from './signing.js';
export {
  addRecords,
  describeEvidence,
  type EvidenceContent,
  keepEvidence,
  listEvidence,
  listSigners,
  loadVerifiedRecords,
  maxEvidenceBytes,
  type RecordsVerification,
  type RecordTables,
  readEvidence,
  registerSigner,
  storeSignerDirectory,
  verifyRecords,
} from './store.js';
