/**
 * Authenticated principals: people and workloads identified by what they prove (a registered
 * signing key, a CI workload's OIDC ID token), never by a name they type. Names are normalised
 * before any comparison or display.
 */

export { type ActorProofInput, proveActor } from './actor.js';
export { IdentityError, type IdentityErrorCode } from './errors.js';
export { nameKey, normaliseName, sameName, samePersonName, splitNameAndEmail } from './names.js';
export {
  readWorkloadClaims,
  type VerifiedWorkload,
  type VerifyWorkloadOptions,
  verifyWorkloadToken,
  type WorkloadClaims,
} from './oidc.js';
export {
  keyPrincipalId,
  type Principal,
  principalDisplay,
  principalMatchesPerson,
  samePerson,
  samePrincipal,
  workloadPrincipalId,
} from './principal.js';
export {
  createRegistry,
  type KeyRegistration,
  loadPrincipalRegistry,
  type PrincipalRegistry,
  principalOfKey,
  type RegisteredKey,
  readFileAtRef,
} from './registry.js';
export { parseAllowedSigners, parseOpenSshPrivateKey, parseSshPublicKeyBlob } from './ssh-keys.js';
export {
  loadSigningKey,
  type StatementProof,
  signStatement,
  statementDomain,
  verifyKeyStatement,
} from './statements.js';
