import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { analyseReview } from './analysis.js';
import { parseCommit, signedPayload } from './commit.js';

let repository: TestRepository;
afterEach(() => repository.remove());

function makeKey(name: string): string {
  const path = join(repository.path, '.git', name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', path]);
  return path;
}

function signedCommit(message: string, key: string): string {
  repository.write({ [`${message}.txt`]: `${message}\n` });
  repository.git('add', '--all');
  repository.git('-c', `user.signingkey=${key}`, 'commit', '--quiet', '-S', '-m', message);
  return repository.git('rev-parse', 'HEAD');
}

describe('commit signatures', () => {
  it('verifies SSH signatures against an allowed-signers file; tampered and unknown keys fail', async () => {
    repository = createTestRepository();
    repository.git('config', 'gpg.format', 'ssh');
    repository.git('config', 'commit.gpgsign', 'true');
    const trusted = makeKey('trusted');
    const stranger = makeKey('stranger');
    const allowed = join(repository.path, '.git', 'allowed_signers');
    writeFileSync(allowed, `ada@example.com namespaces="git" ${readFileSync(`${trusted}.pub`, 'utf8')}`);

    const good = signedCommit('good', trusted);
    const unknownKey = signedCommit('unknown', stranger);
    const signedByTrusted = signedCommit('to-tamper', trusted);
    // Same signature, different content: rewrite the message and store the object as a new commit.
    const raw = execFileSync('git', ['cat-file', 'commit', signedByTrusted], { cwd: repository.path });
    const tampered = Buffer.from(raw.toString('utf8').replace('to-tamper', 'tampered!'));
    const tamperedId = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], {
      cwd: repository.path,
      input: tampered,
    })
      .toString()
      .trim();
    repository.git('update-ref', 'refs/heads/main', tamperedId);
    repository.write({ 'plain.txt': 'x\n' });
    const unsigned = repository.commit('unsigned');

    const analysis = await analyseReview(repository.path, {
      window: { last: 100 },
      allowedSignersFile: allowed,
    });
    expect(analysis.verifications.get(good)?.outcome).toBe('good');
    expect(analysis.verifications.get(unknownKey)?.outcome).toBe('untrusted-key');
    expect(analysis.verifications.get(tamperedId)?.outcome).toBe('bad');
    expect(analysis.verifications.has(unsigned)).toBe(false);
    expect(analysis.signatures).toMatchObject({
      changes: 4,
      signed: 3,
      byKind: { ssh: 3, openpgp: 0, x509: 0, unrecognised: 0 },
      outcomes: { good: 1, bad: 1, 'untrusted-key': 1, unverifiable: 0 },
    });
    expect(analysis.signatures.failures.map((failure) => failure.commit).sort()).toEqual(
      [unknownKey, tamperedId].sort(),
    );

    const offline = await analyseReview(repository.path, { window: { last: 100 } });
    expect(offline.signatures.outcomes.unverifiable).toBe(3);
    expect(offline.signatures.unverifiableReasons[0]).toContain('allowed-signers');
  });

  it('removes exactly the signature header (and its continuation lines) from the payload', () => {
    const raw = Buffer.from(
      'tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\ngpgsig -----BEGIN SSH SIGNATURE-----\n U1NIU0lH\n -----END SSH SIGNATURE-----\n\nmessage\n',
    );
    expect(signedPayload(raw).toString()).toBe(
      'tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n\nmessage\n',
    );
    const commit = parseCommit('x', raw);
    expect(commit.signature).toEqual({
      header: 'gpgsig',
      kind: 'ssh',
      armor: '-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----',
    });
  });
});
