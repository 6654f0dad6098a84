import { ShipguardError } from '../kernel/index.js';

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

export class IdentityError extends ShipguardError<IdentityErrorCode> {}
