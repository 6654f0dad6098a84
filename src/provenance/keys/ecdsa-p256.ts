import { type KeyObject, sign, verify } from 'node:crypto';
import { keyIdOf } from './key-id.js';
import type { Signer, Verifier } from './types.js';

/** How an ECDSA signature is encoded: ASN.1 DER (the default, what Sigstore uses) or raw r||s. */
export type EcdsaEncoding = 'der' | 'ieee-p1363';

/** ECDSA over P-256 with SHA-256. */
export function createEcdsaP256Signer(privateKey: KeyObject, encoding: EcdsaEncoding = 'der'): Signer {
  const keyId = keyIdOf(privateKey);
  return {
    keyId,
    keyType: 'ecdsa-p256',
    sign: async (data) => sign('sha256', data, { key: privateKey, dsaEncoding: encoding }),
  };
}

export function createEcdsaP256Verifier(publicKey: KeyObject, encoding: EcdsaEncoding = 'der'): Verifier {
  const keyId = keyIdOf(publicKey);
  return {
    keyId,
    keyType: 'ecdsa-p256',
    verify: async (data, signature) => {
      try {
        return verify('sha256', data, { key: publicKey, dsaEncoding: encoding }, signature);
      } catch {
        // A signature that is not even valid DER is simply not a valid signature.
        return false;
      }
    },
  };
}
