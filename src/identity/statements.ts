/**
 * Signed statements: a principal signs the canonical JSON (RFC 8785) of what it does, with a
 * domain-separation prefix so a statement signature can never be replayed as another kind of
 * signature made with the same key (a DSSE envelope, a checkpoint).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { InputFileError, readInputFile } from '../kernel/index.js';
import { canonicalBytes } from '../ledger/index.js';
import { createSigner, createVerifier, keyIdOf, parsePrivateKey } from '../provenance/index.js';
import { IdentityError } from './errors.js';
import type { Principal } from './principal.js';
import { type PrincipalRegistry, principalOfKey } from './registry.js';
import { parseOpenSshPrivateKey } from './ssh-keys.js';

export const statementDomain = 'shipguard-statement-v1\n';

/** How a principal proved a statement: a key signature, or a CI workload's ID token. */
export type StatementProof =
  | { kind: 'key'; keyId: string; signature: string }
  | { kind: 'oidc'; token: string };

function signedBytes(statement: Record<string, unknown>): Buffer {
  return Buffer.concat([Buffer.from(statementDomain, 'utf8'), canonicalBytes(statement)]);
}

const maxKeyFileBytes = 64 * 1024;

/** A private key file: PKCS#8 PEM (`shipguard keys generate`) or an unencrypted OpenSSH key. */
export async function loadSigningKey(path: string): Promise<KeyObject> {
  let bytes: Buffer;
  try {
    // Bounded by reading: a FIFO or /dev/zero is refused after the limit, not read to its end.
    bytes = await readInputFile(path, 'key file', { maxBytes: maxKeyFileBytes });
  } catch (error) {
    const tooLarge = error instanceof InputFileError && error.code === 'INPUT_FILE_TOO_LARGE';
    throw new IdentityError(
      'IDENTITY_REGISTRY_INVALID',
      tooLarge ? `${path} is larger than ${maxKeyFileBytes} bytes` : `cannot read key file ${path}`,
      { cause: error, location: { path } },
    );
  }
  const text = bytes.toString('utf8');
  return text.includes('-----BEGIN OPENSSH PRIVATE KEY-----')
    ? parseOpenSshPrivateKey(text, path)
    : parsePrivateKey(text, path);
}

/** Signs a statement with a private key; the registry must know the key (else nobody could check it). */
export async function signStatement(
  statement: Record<string, unknown>,
  privateKey: KeyObject,
  registry: PrincipalRegistry,
): Promise<{ principal: Principal; proof: StatementProof }> {
  const keyId = keyIdOf(createPublicKey(privateKey));
  const registered = principalOfKey(registry, keyId);
  const signature = await createSigner(privateKey).sign(signedBytes(statement));
  return {
    principal: registered.principal,
    proof: { kind: 'key', keyId, signature: Buffer.from(signature).toString('base64') },
  };
}

/** The principal whose registered key made this signature over the statement, or an error. */
export async function verifyKeyStatement(
  statement: Record<string, unknown>,
  proof: { keyId: string; signature: string },
  registry: PrincipalRegistry,
): Promise<Principal> {
  const registered = principalOfKey(registry, proof.keyId);
  const signature = Buffer.from(proof.signature, 'base64');
  const valid = await createVerifier(registered.publicKey).verify(signedBytes(statement), signature);
  if (!valid) {
    throw new IdentityError(
      'IDENTITY_SIGNATURE_INVALID',
      `the signature by ${registered.principal.name} does not verify: the statement was changed or signed by another key`,
    );
  }
  return registered.principal;
}
