/**
 * The one place where key files become Signers and Verifiers. Adding a key type means adding
 * it to `keyTypes`, writing its two factories, and one case in each function below.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { type FileHandle, mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ProvenanceError } from '../errors.js';
import { createEcdsaP256Signer, createEcdsaP256Verifier, type EcdsaEncoding } from './ecdsa-p256.js';
import { createEd25519Signer, createEd25519Verifier } from './ed25519.js';
import { keyIdOf } from './key-id.js';
import { type KeyType, keyTypes, type Signer, type Verifier } from './types.js';

export { keyIdOf } from './key-id.js';
export type { KeyType, Signer, Verifier } from './types.js';
export { keyTypes } from './types.js';

const maxKeyFileBytes = 64 * 1024;

/** The shipguard key type of a node:crypto key, or an error for any other kind of key. */
export function keyTypeOf(key: KeyObject): KeyType {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1')
    return 'ecdsa-p256';
  const detail = key.asymmetricKeyDetails?.namedCurve ?? key.asymmetricKeyType ?? key.type;
  throw new ProvenanceError(
    'KEY_TYPE_UNSUPPORTED',
    `unsupported key type ${detail}; shipguard signs with ${keyTypes.join(' or ')}`,
  );
}

export function createSigner(privateKey: KeyObject): Signer {
  if (privateKey.type !== 'private')
    throw new ProvenanceError('KEY_INVALID', 'a signing key must be a private key');
  switch (keyTypeOf(privateKey)) {
    case 'ed25519':
      return createEd25519Signer(privateKey);
    case 'ecdsa-p256':
      return createEcdsaP256Signer(privateKey);
  }
}

export function createVerifier(
  publicKey: KeyObject,
  options: { ecdsaEncoding?: EcdsaEncoding } = {},
): Verifier {
  const key = publicKey.type === 'private' ? createPublicKey(publicKey) : publicKey;
  switch (keyTypeOf(key)) {
    case 'ed25519':
      return createEd25519Verifier(key);
    case 'ecdsa-p256':
      return createEcdsaP256Verifier(key, options.ecdsaEncoding);
  }
}

async function readKeyFile(path: string): Promise<string> {
  let text: Buffer;
  try {
    text = await readFile(path);
  } catch (error) {
    throw new ProvenanceError('KEY_INVALID', `cannot read key file ${path}`, {
      cause: error,
      location: { path },
    });
  }
  if (text.length > maxKeyFileBytes) {
    throw new ProvenanceError('KEY_INVALID', `key file is larger than ${maxKeyFileBytes} bytes`, {
      location: { path },
    });
  }
  return text.toString('utf8');
}

export function parsePrivateKey(pem: string, path = '<private key>'): KeyObject {
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new ProvenanceError('KEY_INVALID', 'not a PEM private key (encrypted keys are not supported)', {
      cause: error,
      location: { path },
    });
  }
}

export function parsePublicKey(pem: string, path = '<public key>'): KeyObject {
  try {
    return createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new ProvenanceError('KEY_INVALID', 'not a PEM public key', { cause: error, location: { path } });
  }
}

export async function loadSigner(path: string): Promise<Signer> {
  return createSigner(parsePrivateKey(await readKeyFile(path), path));
}

export async function loadVerifier(path: string): Promise<Verifier> {
  return createVerifier(parsePublicKey(await readKeyFile(path), path));
}

export interface GeneratedKeyPair {
  keyType: KeyType;
  keyId: string;
  privateKeyPath: string;
  publicKeyPath: string;
}

export function generateKeyObjects(keyType: KeyType): { privateKey: KeyObject; publicKey: KeyObject } {
  switch (keyType) {
    case 'ed25519':
      return generateKeyPairSync('ed25519');
    case 'ecdsa-p256':
      return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  }
}

/**
 * Writes `<name>.key` (PKCS#8 PEM, mode 0600) and `<name>.pub` (SPKI PEM) into `outDir`.
 * Never overwrites: an existing file is an error, and nothing is written.
 */
export async function generateKeyPair(
  keyType: KeyType,
  outDir: string,
  name: string,
): Promise<GeneratedKeyPair> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) {
    throw new ProvenanceError(
      'KEY_INVALID',
      `key name ${JSON.stringify(name)} must be letters, digits, . _ -`,
    );
  }
  const { privateKey, publicKey } = generateKeyObjects(keyType);
  await mkdir(outDir, { recursive: true, mode: 0o700 });
  const privateKeyPath = join(outDir, `${name}.key`);
  const publicKeyPath = join(outDir, `${name}.pub`);
  const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const publicPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  // 'wx' fails when the file exists, atomically: no check-then-write race. Both files are
  // created before either is written, so a refusal leaves no half-written pair behind.
  const privateFile = await createExclusive(privateKeyPath, 0o600);
  let publicFile: FileHandle;
  try {
    publicFile = await createExclusive(publicKeyPath, 0o644);
  } catch (error) {
    await privateFile.close();
    await rm(privateKeyPath, { force: true });
    throw error;
  }
  try {
    await privateFile.writeFile(privatePem);
    await publicFile.writeFile(publicPem);
  } finally {
    await privateFile.close();
    await publicFile.close();
  }
  return { keyType, keyId: keyIdOf(publicKey), privateKeyPath, publicKeyPath };
}

async function createExclusive(path: string, mode: number): Promise<FileHandle> {
  try {
    return await open(path, 'wx', mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ProvenanceError('KEY_EXISTS', `${path} exists; refusing to overwrite a key`, {
        location: { path },
      });
    }
    throw error;
  }
}

export { createEcdsaP256Signer, createEcdsaP256Verifier } from './ecdsa-p256.js';
export { createEd25519Signer } from './ed25519.js';
