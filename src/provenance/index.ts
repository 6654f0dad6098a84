export { attest } from './attest.js';
export type { Envelope } from './dsse.js';
export { parseEnvelope, signEnvelope, toEnvelope, verifyEnvelope } from './dsse.js';
export type { ProvenanceErrorCode, TrustPolicyErrorCode, VerificationErrorCode } from './errors.js';
export { isVerificationRefusal, ProvenanceError, TrustPolicyError, VerificationError } from './errors.js';
export type { KeyType, Signer, Verifier } from './keys/index.js';
export {
  createEd25519Signer,
  createSigner,
  createVerifier,
  generateKeyPair,
  keyIdOf,
  keyTypeOf,
  keyTypes,
  loadSigner,
  loadVerifier,
  parsePrivateKey,
  parsePublicKey,
} from './keys/index.js';
export { inTotoPayloadType, parseSlsaPredicate, parseStatement } from './statement.js';
export type { AttestationSubject, Expectations, VerificationResult } from './verify.js';
export { verifyAttestation, verifyBundle } from './verify.js';
