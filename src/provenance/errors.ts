import { ShipguardError } from '../kernel/index.js';

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

export class ProvenanceError extends ShipguardError<ProvenanceErrorCode> {}
