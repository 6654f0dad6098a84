/**
 * Signing and verifying behind one-method interfaces, so a KMS or hardware signer can be added
 * later without touching DSSE, attest or verify.
 */
export const keyTypes = ['ecdsa-p256', 'ed25519'] as const;
export type KeyType = (typeof keyTypes)[number];

export interface Signer {
  /** Hex SHA-256 of the public key's SPKI DER. */
  readonly keyId: string;
  readonly keyType: KeyType;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

export interface Verifier {
  readonly keyId: string;
  readonly keyType: KeyType;
  verify(data: Uint8Array, signature: Uint8Array): Promise<boolean>;
}
