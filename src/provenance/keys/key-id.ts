import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/** Hex SHA-256 of the SubjectPublicKeyInfo DER of a key (or of a private key's public half). */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex');
}
