import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { runCli } from '../../testing/run-cli.js';

const run = runCli;

/** `shipguard verify` of an artefact against an attestation with a public key. */
function verify(artifact: string, attestation: string, publicKey: string, ...extra: string[]) {
  return run('verify', '--artifact', artifact, '--attestation', attestation, '--key', publicKey, ...extra);
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function setUp(): { repository: TestRepository; keys: string } {
  const repository = createTestRepository();
  repository.write({ 'src/index.ts': 'export {}', 'dist/app.js': 'built' });
  repository.commit('first');
  const keys = mkdtempSync(join(tmpdir(), 'shipguard-cli-keys-'));
  const cwd = process.cwd();
  process.chdir(repository.path);
  cleanups.push(() => {
    process.chdir(cwd);
    repository.remove();
    rmSync(keys, { recursive: true, force: true });
  });
  return { repository, keys };
}

describe('shipguard keys, attest, verify', () => {
  it('generates keys, attests an artefact and verifies it; rejects a changed artefact with exit 1', async () => {
    const { keys } = setUp();
    const generateRelease = () =>
      run('keys', 'generate', '--type', 'ed25519', '--out-dir', keys, '--name', 'release');
    const generated = await generateRelease();
    expect(generated.code).toBe(0);
    expect(JSON.parse(generated.stdout).keyId).toMatch(/^[0-9a-f]{64}$/);
    // Where the key was written is printed whole: a path is not a secret.
    expect(JSON.parse(generated.stdout)).toMatchObject({
      keyFile: join(keys, 'release.key'),
      publicKeyFile: join(keys, 'release.pub'),
    });
    expect(statSync(join(keys, 'release.key')).mode & 0o777).toBe(0o600);
    expect((await generateRelease()).code).toBe(2);
    expect((await run('keys', 'generate', '--type', 'rsa', '--out-dir', keys)).code).toBe(2);

    const attested = await run(
      'attest',
      '--artifact',
      'dist/app.js',
      '--key',
      join(keys, 'release.key'),
      '--out',
      'app.intoto.json',
    );
    expect(attested.code, attested.stderr).toBe(0);
    const envelope = JSON.parse(readFileSync('app.intoto.json', 'utf8'));
    expect(envelope.payloadType).toBe('application/vnd.in-toto+json');

    const publicKey = join(keys, 'release.pub');
    const ok = await verify(
      'dist/app.js',
      'app.intoto.json',
      publicKey,
      '--branch',
      'main',
      '--format',
      'json',
    );
    expect(ok.code, ok.stdout).toBe(0);
    expect(JSON.parse(ok.stdout).subject).toBe('dist/app.js');

    writeFileSync('dist/app.js', 'tampered');
    const rejected = await verify('dist/app.js', 'app.intoto.json', publicKey, '--format', 'json');
    expect(rejected.code).toBe(1);
    expect(JSON.parse(rejected.stdout).code).toBe('SUBJECT_DIGEST_MISMATCH');

    const wrongBranch = await verify('app.intoto.json', 'app.intoto.json', publicKey);
    expect(wrongBranch.code).toBe(1);
    expect(wrongBranch.stdout).toContain('SUBJECT_DIGEST_MISMATCH');

    writeFileSync('bad.json', '{"payload": 1}');
    const malformed = await verify('dist/app.js', 'bad.json', publicKey, '--format', 'json');
    expect(malformed.code).toBe(1);
    expect(JSON.parse(malformed.stdout).code).toBe('ENVELOPE_MALFORMED');
  });

  it('refuses a dirty tree (exit 2) and misuse of verify (exit 2)', async () => {
    const { keys } = setUp();
    await run('keys', 'generate', '--type', 'ecdsa-p256', '--out-dir', keys);
    writeFileSync('src/index.ts', 'export const changed = 1;');
    const attest = (...extra: string[]) =>
      run('attest', '--artifact', 'dist/app.js', '--key', join(keys, 'shipguard.key'), ...extra);
    const dirty = await attest();
    expect(dirty.code).toBe(2);
    expect(dirty.stderr).toContain('SOURCE_DIRTY');
    expect((await attest('--allow-dirty')).code).toBe(0);
    expect((await run('verify', '--artifact', 'dist/app.js')).code).toBe(2);
    // --bundle without --trusted-root uses the embedded public-good root; a missing bundle is the
    // user's to fix (exit 2, FILE_UNREADABLE), not a rejected artefact.
    const missingBundle = await run('verify', '--artifact', 'dist/app.js', '--bundle', 'x.json');
    expect(missingBundle.code).toBe(2);
    expect(missingBundle.stderr).toContain('FILE_UNREADABLE');
  });
});
