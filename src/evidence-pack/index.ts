/** The auditor's evidence pack: one file for a period, built from the store, verified offline. */
export {
  type BuildPackOptions,
  type BuiltPack,
  buildEvidencePack,
  checkPeriod,
  type PackPeriod,
} from './build.js';
export { EvidencePackError, type EvidencePackErrorCode } from './errors.js';
export { decodePack, isSafeEntryName, maxPackBytes, type PackDocument, packSchema } from './format.js';
export {
  type PackProblem,
  type PackProblemCode,
  type PackVerification,
  packProblemCodes,
  type VerifyPackOptions,
  verifyEvidencePack,
} from './verify.js';
