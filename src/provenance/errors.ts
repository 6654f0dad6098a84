import { type ErrorKinds, errorWithKinds } from '../kernel/index.js';

export type ProvenanceErrorCode =
  /** A DSSE envelope or Sigstore bundle that is not well formed. */
  | 'ENVELOPE_MALFORMED'
  /** An envelope or bundle larger than shipguard reads. */
  | 'PAYLOAD_TOO_LARGE'
  /** No signature verifies with the given key or trust root. */
  | 'SIGNATURE_INVALID'
  /** The envelope signs another kind of payload than the one expected. */
  | 'PAYLOAD_TYPE_MISMATCH'
  /** The payload is not an in-toto Statement v1 with an SLSA Provenance v1 predicate. */
  | 'STATEMENT_MALFORMED'
  /** A key of a type shipguard does not sign or verify with, or an unreadable key file. */
  | 'KEY_TYPE_UNSUPPORTED'
  | 'KEY_INVALID'
  /** Refusing to overwrite an existing key file. */
  | 'KEY_EXISTS'
  /** The artefact's digest is not among the statement's subjects. */
  | 'SUBJECT_DIGEST_MISMATCH'
  /** Two subjects with the same name, or the same artefact given twice. */
  | 'SUBJECT_DUPLICATE'
  /** The provenance names another source repository than the expected one. */
  | 'SOURCE_MISMATCH'
  /** The provenance names another builder than the expected one. */
  | 'BUILDER_MISMATCH'
  /** The provenance names another branch or ref than the expected one. */
  | 'BRANCH_MISMATCH'
  /** The certificate identity or issuer is not the expected one. */
  | 'IDENTITY_MISMATCH'
  /** The Sigstore trust root is missing or not usable. */
  | 'TRUST_ROOT_INVALID'
  /** Sigstore verification failed (transparency log, timestamps, certificate chain). */
  | 'SIGSTORE_VERIFICATION_FAILED'
  /** The working tree has uncommitted changes and --allow-dirty was not given. */
  | 'SOURCE_DIRTY'
  /** The build's source (repository, commit) could not be determined. */
  | 'SOURCE_UNKNOWN'
  /** An artefact, SBOM or other input file that cannot be read. */
  | 'FILE_UNREADABLE';

/**
 * "The signature does not verify": the signature, or what it signs, is not about this artefact.
 * Thrown only as a VerificationError.
 */
export type VerificationErrorCode =
  | 'SIGNATURE_INVALID'
  | 'PAYLOAD_TYPE_MISMATCH'
  | 'SUBJECT_DIGEST_MISMATCH'
  | 'SIGSTORE_VERIFICATION_FAILED';

/**
 * "The signer is not trusted by policy": a sound signature whose claims (source, builder, branch,
 * certificate identity) are not the ones expected. Thrown only as a TrustPolicyError.
 */
export type TrustPolicyErrorCode =
  | 'SOURCE_MISMATCH'
  | 'BUILDER_MISMATCH'
  | 'BRANCH_MISMATCH'
  | 'IDENTITY_MISMATCH';

/** The kind of each code, which decides the exit code. */
const provenanceErrorKinds: ErrorKinds<ProvenanceErrorCode> = {
  // Hostile input that cannot be judged is refused like a bad signature: the artefact is not verified.
  ENVELOPE_MALFORMED: 'rejected',
  PAYLOAD_TOO_LARGE: 'rejected',
  STATEMENT_MALFORMED: 'rejected',
  SUBJECT_DUPLICATE: 'rejected',
  SIGNATURE_INVALID: 'rejected',
  PAYLOAD_TYPE_MISMATCH: 'rejected',
  SUBJECT_DIGEST_MISMATCH: 'rejected',
  SIGSTORE_VERIFICATION_FAILED: 'rejected',
  SOURCE_MISMATCH: 'rejected',
  BUILDER_MISMATCH: 'rejected',
  BRANCH_MISMATCH: 'rejected',
  IDENTITY_MISMATCH: 'rejected',
  KEY_TYPE_UNSUPPORTED: 'config',
  KEY_INVALID: 'config',
  TRUST_ROOT_INVALID: 'config',
  KEY_EXISTS: 'usage',
  SOURCE_DIRTY: 'usage',
  SOURCE_UNKNOWN: 'usage',
  FILE_UNREADABLE: 'usage',
};

const ProvenanceErrorBase = errorWithKinds(provenanceErrorKinds);

/** Provenance that could not be made, read or verified; see the two subclasses for refusals. */
export class ProvenanceError<
  Code extends ProvenanceErrorCode = ProvenanceErrorCode,
> extends ProvenanceErrorBase<Code> {}

/** The signature does not verify, or does not sign this artefact (sigstore-js's VerificationError). */
export class VerificationError extends ProvenanceError<VerificationErrorCode> {}

/** A signature that verifies, from a signer or build the policy does not trust (sigstore-js's PolicyError). */
export class TrustPolicyError extends ProvenanceError<TrustPolicyErrorCode> {}

/**
 * A refusal the signer or builder could have caused (a fail, exit 1), as opposed to input that
 * cannot be judged or a broken setup: what the gate counts as a failed check rather than an error.
 */
export function isVerificationRefusal(error: unknown): error is VerificationError | TrustPolicyError {
  return error instanceof VerificationError || error instanceof TrustPolicyError;
}
