import { type ErrorKinds, errorWithKinds } from '../kernel/index.js';

export type IdentityErrorCode =
  /** A signing key that no registered principal holds (not in the protected branch's registry). */
  | 'IDENTITY_KEY_UNREGISTERED'
  /** A statement whose signature does not verify with the principal's registered key. */
  | 'IDENTITY_SIGNATURE_INVALID'
  /** An OIDC ID token that does not verify (signature, issuer, audience, expiry, algorithm). */
  | 'IDENTITY_TOKEN_INVALID'
  /** A verified token whose claims (repository, ref, environment) no workload rule allows. */
  | 'IDENTITY_WORKLOAD_NOT_ALLOWED'
  /** The issuer's discovery document or key set could not be fetched or read. */
  | 'IDENTITY_ISSUER_UNAVAILABLE'
  /** The principal registry (keys, allowed signers) cannot be read or is malformed. */
  | 'IDENTITY_REGISTRY_INVALID';

// A proof that does not hold is a refusal (1); an unreadable registry is configuration (2); an
// issuer that cannot be reached is internal (3): the caller cannot fix it by changing input.
const identityErrorKinds: ErrorKinds<IdentityErrorCode> = {
  IDENTITY_KEY_UNREGISTERED: 'rejected',
  IDENTITY_SIGNATURE_INVALID: 'rejected',
  IDENTITY_TOKEN_INVALID: 'rejected',
  IDENTITY_WORKLOAD_NOT_ALLOWED: 'rejected',
  IDENTITY_ISSUER_UNAVAILABLE: 'internal',
  IDENTITY_REGISTRY_INVALID: 'config',
};

export class IdentityError extends errorWithKinds(identityErrorKinds) {}
