export { EvidenceImportError, type EvidenceImportErrorCode } from './errors.js';
export {
  type CommitSource,
  type EvidenceFormat,
  type EvidenceImport,
  type EvidenceKind,
  type EvidenceSummary,
  evidenceFormats,
  evidenceKinds,
  type FindingCounts,
  type FindingSample,
  type FindingSeverity,
  kindOfFormat,
  type ParsedEvidence,
  type RanAtSource,
  type WeaknessCount,
} from './model.js';
export { detectFormat, type FormatChoice, maxEvidenceFileBytes, parseEvidenceFile } from './parse.js';
export {
  evidenceImportedEvent,
  type ImportInput,
  importEvidence,
  type ListedImports,
  type ListImportsQuery,
  listImports,
} from './store.js';
