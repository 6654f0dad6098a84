import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rejectedCode } from '../../testing/thrown-code.js';
import { ProvenanceError } from '../errors.js';
import {
  createSigner,
  createVerifier,
  generateKeyObjects,
  generateKeyPair,
  type KeyType,
  keyIdOf,
  keyTypes,
  loadSigner,
  loadVerifier,
} from './index.js';

const folders: string[] = [];
function temporaryFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'shipguard-keys-'));
  folders.push(folder);
  return folder;
}
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const codeOf = (run: () => unknown) => rejectedCode(ProvenanceError, run);

// One suite, run against every key type.
describe.each(keyTypes.map((type) => [type]))('%s signer and verifier', (keyType: KeyType) => {
  it('verifies its own signatures and rejects changed data or signatures', async () => {
    const { privateKey, publicKey } = generateKeyObjects(keyType);
    const signer = createSigner(privateKey);
    const verifier = createVerifier(publicKey);
    expect(signer.keyType).toBe(keyType);
    expect(signer.keyId).toBe(verifier.keyId);
    expect(signer.keyId).toMatch(/^[0-9a-f]{64}$/);
    const data = Buffer.from('build provenance');
    const signature = await signer.sign(data);
    expect(await verifier.verify(data, signature)).toBe(true);
    expect(await verifier.verify(Buffer.from('build provenancE'), signature)).toBe(false);
    const flipped = Buffer.from(signature);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
    expect(await verifier.verify(data, flipped)).toBe(false);
    expect(await verifier.verify(data, new Uint8Array())).toBe(false);
    const other = createVerifier(generateKeyObjects(keyType).publicKey);
    expect(await other.verify(data, signature)).toBe(false);
  });

  it('writes a 0600 PKCS#8 private key and an SPKI public key, and loads them back', async () => {
    const folder = temporaryFolder();
    const pair = await generateKeyPair(keyType, join(folder, 'keys'), 'release');
    expect(statSync(pair.privateKeyPath).mode & 0o777).toBe(0o600);
    expect(readFileSync(pair.privateKeyPath, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(readFileSync(pair.publicKeyPath, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const signer = await loadSigner(pair.privateKeyPath);
    const verifier = await loadVerifier(pair.publicKeyPath);
    expect(signer.keyId).toBe(pair.keyId);
    expect(verifier.keyId).toBe(pair.keyId);
    expect(await verifier.verify(Buffer.from('x'), await signer.sign(Buffer.from('x')))).toBe(true);
  });

  it('refuses to overwrite an existing key', async () => {
    const folder = temporaryFolder();
    await generateKeyPair(keyType, folder, 'release');
    const before = readFileSync(join(folder, 'release.key'), 'utf8');
    expect(await codeOf(() => generateKeyPair(keyType, folder, 'release'))).toBe('KEY_EXISTS');
    expect(readFileSync(join(folder, 'release.key'), 'utf8')).toBe(before);
  });
});

describe('key handling', () => {
  it('rejects key types it does not support', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => createSigner(rsa.privateKey)).toThrow(ProvenanceError);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    let code: string | undefined;
    try {
      createVerifier(p384.publicKey);
    } catch (error) {
      code = error instanceof ProvenanceError ? error.code : undefined;
    }
    expect(code).toBe('KEY_TYPE_UNSUPPORTED');
  });

  it('rejects unreadable and non-PEM key files, and leaves no half pair', async () => {
    const folder = temporaryFolder();
    writeFileSync(join(folder, 'bad.key'), 'not a key');
    expect(await codeOf(() => loadSigner(join(folder, 'bad.key')))).toBe('KEY_INVALID');
    expect(await codeOf(() => loadVerifier(join(folder, 'missing.pub')))).toBe('KEY_INVALID');
    writeFileSync(join(folder, 'half.pub'), 'existing');
    expect(await codeOf(() => generateKeyPair('ed25519', folder, 'half'))).toBe('KEY_EXISTS');
    expect(() => statSync(join(folder, 'half.key'))).toThrow();
    expect(await codeOf(() => generateKeyPair('ed25519', folder, '../escape'))).toBe('KEY_INVALID');
  });

  it('derives the key id from the SPKI DER', () => {
    const { privateKey, publicKey } = generateKeyObjects('ed25519');
    expect(keyIdOf(privateKey)).toBe(keyIdOf(publicKey));
  });
});
