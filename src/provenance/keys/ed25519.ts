import { type KeyObject, sign, verify } from 'node:crypto';
import { keyIdOf } from './key-id.js';
import type { Signer, Verifier } from './types.js';

/** Ed25519 (RFC 8032, pure): signs the message itself, 64-byte signatures. */
export function createEd25519Signer(privateKey: KeyObject): Signer {
  const keyId = keyIdOf(privateKey);
  return {
    keyId,
    keyType: 'ed25519',
    sign: async (data) => sign(null, data, privateKey),
  };
}

export function createEd25519Verifier(publicKey: KeyObject): Verifier {
  const keyId = keyIdOf(publicKey);
  return {
    keyId,
    keyType: 'ed25519',
    verify: async (data, signature) => signature.length === 64 && verify(null, data, publicKey, signature),
  };
}
