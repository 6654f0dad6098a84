import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PrincipalSettings } from '../policy/index.js';
import { keyIdOf } from '../provenance/index.js';
import { endlessFifo } from '../testing/endless-fifo.js';
import { temporaryRepositories } from '../testing/temporary-repositories.js';
import { rejectedCode } from '../testing/thrown-code.js';
import { IdentityError } from './errors.js';
import {
  createRegistry,
  loadPrincipalRegistry,
  loadSigningKey,
  normaliseName,
  parseAllowedSigners,
  principalMatchesPerson,
  proveActor,
  sameName,
  samePersonName,
  signStatement,
  verifyKeyStatement,
} from './index.js';

const temporaryRepository = temporaryRepositories();

const codeOf = (run: () => unknown) => rejectedCode(IdentityError, run);

describe('names', () => {
  it('strips zero-width and other format characters and folds compatibility forms', () => {
    expect(normaliseName('al\u200Bice')).toBe('alice');
    expect(normaliseName('al\u00ADice')).toBe('alice');
    expect(normaliseName('\u202Ealice\u202C')).toBe('alice');
    expect(normaliseName('ａｌｉｃｅ')).toBe('alice');
    expect(normaliseName('  Alice \n  Example ')).toBe('Alice Example');
    expect(sameName('Alice', 'al\u200Dice')).toBe(true);
    expect(sameName('alice', 'alicia')).toBe(false);
    expect(sameName('', '\u200B')).toBe(false);
  });
  it('matches a person by either part of `Name <email>`, normalised', () => {
    expect(samePersonName('Dan <dan@example.com>', 'DAN@example.com')).toBe(true);
    expect(samePersonName('Dan <dan@example.com>', 'D\u200Ban')).toBe(true);
    expect(samePersonName('Dan <dan@example.com>', 'Erin <erin@example.com>')).toBe(false);
  });
});

describe('registered keys', () => {
  it('signs a statement that verifies only with the registered key and only unchanged', async () => {
    const alice = generateKeyPairSync('ed25519');
    const bob = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const registry = createRegistry([
      { name: 'Alice', emails: ['alice@example.com'], publicKey: alice.publicKey, source: 'test' },
      { name: 'Bob', publicKey: bob.publicKey, source: 'test' },
    ]);
    const statement = { change: 'CHG-1', transition: 'approved' };
    const signed = await signStatement(statement, alice.privateKey, registry);
    expect(signed.principal).toMatchObject({
      kind: 'key',
      name: 'Alice',
      id: `key:${keyIdOf(alice.publicKey)}`,
    });
    expect((await verifyKeyStatement(statement, signed.proof as never, registry)).name).toBe('Alice');
    expect(
      await codeOf(() =>
        verifyKeyStatement({ ...statement, change: 'CHG-2' }, signed.proof as never, registry),
      ),
    ).toBe('IDENTITY_SIGNATURE_INVALID');
    // Bob's key id with Alice's signature: the signature is checked with Bob's key.
    const swapped = {
      kind: 'key',
      keyId: keyIdOf(bob.publicKey),
      signature: (signed.proof as { signature: string }).signature,
    };
    expect(await codeOf(() => verifyKeyStatement(statement, swapped as never, registry))).toBe(
      'IDENTITY_SIGNATURE_INVALID',
    );
    const stranger = generateKeyPairSync('ed25519');
    expect(await codeOf(() => signStatement(statement, stranger.privateKey, registry))).toBe(
      'IDENTITY_KEY_UNREGISTERED',
    );
    expect(principalMatchesPerson(signed.principal, 'Someone <ALICE@example.com>')).toBe(true);
  });

  it('refuses one key registered under two names', async () => {
    const key = generateKeyPairSync('ed25519');
    expect(
      await codeOf(() =>
        createRegistry([
          { name: 'alice', publicKey: key.publicKey, source: 'a' },
          { name: 'mallory', publicKey: key.publicKey, source: 'b' },
        ]),
      ),
    ).toBe('IDENTITY_REGISTRY_INVALID');
  });

  it('reads the registry from the protected branch, not from the working tree or another branch', async () => {
    const repository = temporaryRepository();
    const alice = generateKeyPairSync('ed25519');
    const mallory = generateKeyPairSync('ed25519');
    const pem = (key: typeof alice) => key.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    // A real OpenSSH key, made by ssh-keygen, registered in an allowed_signers file.
    execFileSync('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-C',
      'bob@example.com',
      '-f',
      join(repository.path, 'bob'),
    ]);
    const bobPublic = readFileSync(join(repository.path, 'bob.pub'), 'utf8').trim().split(' ');
    repository.write({
      'keys/alice.pub': pem(alice),
      '.shipguard/allowed_signers': [
        '# people who may approve',
        `bob@example.com,robert@example.com namespaces="git,shipguard" ${bobPublic[0]} ${bobPublic[1]}`,
        `carol@example.com namespaces="git" ${bobPublic[0]} ${bobPublic[1]}`,
        `* cert-authority ${bobPublic[0]} ${bobPublic[1]}`,
        '',
      ].join('\n'),
    });
    repository.commit('register principals');
    // The working tree (and an unreviewed branch) swaps Alice's key for Mallory's: not taken.
    repository.git('checkout', '--quiet', '-b', 'feature');
    repository.write({ 'keys/alice.pub': pem(mallory) });
    repository.commit('swap the key');
    repository.write({ 'keys/alice.pub': pem(mallory) });
    const settings = PrincipalSettings.parse({
      keys: [{ name: 'Alice', emails: ['alice@example.com'], publicKey: 'keys/alice.pub' }],
      allowedSigners: '.shipguard/allowed_signers',
    });
    const registry = await loadPrincipalRegistry(repository.path, settings, 'main');
    expect(registry.keys.has(keyIdOf(alice.publicKey))).toBe(true);
    expect(registry.keys.has(keyIdOf(mallory.publicKey))).toBe(false);
    expect(registry.problems).toHaveLength(2);
    const bobKey = await loadSigningKey(join(repository.path, 'bob'));
    const signed = await signStatement({ hello: 'world' }, bobKey, registry);
    expect(signed.principal).toMatchObject({
      name: 'bob@example.com',
      emails: ['bob@example.com', 'robert@example.com'],
    });
    const onFeature = await loadPrincipalRegistry(repository.path, settings, 'feature');
    expect(onFeature.keys.has(keyIdOf(mallory.publicKey))).toBe(true);
    expect(
      await codeOf(() =>
        loadPrincipalRegistry(repository.path, { ...settings, allowedSigners: '../outside' }, 'main'),
      ),
    ).toBe('IDENTITY_REGISTRY_INVALID');
  });

  it('reads an OpenSSH ECDSA P-256 key and its allowed_signers line as the same key', async () => {
    const repository = temporaryRepository({ git: false });
    execFileSync('ssh-keygen', [
      '-q',
      '-t',
      'ecdsa',
      '-b',
      '256',
      '-N',
      '',
      '-f',
      join(repository.path, 'k'),
    ]);
    const [type, blob] = readFileSync(join(repository.path, 'k.pub'), 'utf8').trim().split(' ');
    const parsed = parseAllowedSigners(`carol@example.com ${type} ${blob}\n`, 'allowed_signers');
    const registry = createRegistry(
      parsed.signers.map((signer) => ({ name: 'Carol', publicKey: signer.publicKey, source: 'test' })),
    );
    const signed = await signStatement({ x: 1 }, await loadSigningKey(join(repository.path, 'k')), registry);
    expect(signed.principal.name).toBe('Carol');
    expect((await verifyKeyStatement({ x: 1 }, signed.proof as never, registry)).name).toBe('Carol');
  });

  it('refuses an encrypted OpenSSH key with a clear reason', async () => {
    const repository = temporaryRepository({ git: false });
    execFileSync('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      'secret passphrase',
      '-f',
      join(repository.path, 'k'),
    ]);
    expect(await codeOf(() => loadSigningKey(join(repository.path, 'k')))).toBe('IDENTITY_REGISTRY_INVALID');
    writeFileSync(
      join(repository.path, 'junk'),
      '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n',
    );
    expect(await codeOf(() => loadSigningKey(join(repository.path, 'junk')))).toBe(
      'IDENTITY_REGISTRY_INVALID',
    );
  });
});

describe('reading a signing key', () => {
  it('reads at most the key size from an endless input, without waiting for its end', async () => {
    const fifo = endlessFifo(temporaryRepository({ git: false }).path, 'endless.key');
    try {
      expect(await codeOf(() => loadSigningKey(fifo.path))).toBe('IDENTITY_REGISTRY_INVALID');
    } finally {
      fifo.stop();
    }
  }, 10_000);
});

describe('proving an actor', () => {
  it('signs the statement with a registered key, and refuses none or both proofs', async () => {
    const repository = temporaryRepository({ git: false });
    const erin = generateKeyPairSync('ed25519');
    writeFileSync(
      join(repository.path, 'erin.key'),
      erin.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    );
    const registry = createRegistry([{ name: 'Erin', publicKey: erin.publicKey, source: 'test' }]);
    const statement = {
      type: 'shipguard.deploy/v1',
      artifact: `sha256:${'a'.repeat(64)}`,
      environment: 'production',
    };
    const proved = await proveActor(statement, { keyFile: join(repository.path, 'erin.key') }, registry);
    expect(proved.principal.name).toBe('Erin');
    expect((await verifyKeyStatement(statement, proved.proof as never, registry)).name).toBe('Erin');
    expect(await codeOf(() => proveActor(statement, {}, registry))).toBe('IDENTITY_TOKEN_INVALID');
    expect(
      await codeOf(() =>
        proveActor(statement, { keyFile: join(repository.path, 'erin.key'), token: 'x' }, registry),
      ),
    ).toBe('IDENTITY_TOKEN_INVALID');
  });
});
