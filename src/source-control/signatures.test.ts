import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestRepository, fixedEnvironment, type TestRepository } from '../testing/git-repository.js';
import { analyseReview } from './analysis.js';
import { parseCommit, signedPayload } from './commit.js';
import { openPgpIssuer } from './openpgp-issuer.js';

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
  it('verifies OpenPGP signatures in one git process: good, tampered, key not held, whatever the repository configures', async () => {
    repository = createTestRepository();
    const home = join(repository.path, '.git', 'gnupg');
    mkdirSync(home, { mode: 0o700 });
    const previous = process.env['GNUPGHOME'];
    process.env['GNUPGHOME'] = home;
    try {
      const gpg = (...args: string[]) =>
        execFileSync(
          'gpg',
          ['--batch', '--quiet', '--passphrase', '', '--pinentry-mode', 'loopback', ...args],
          {
            env: process.env,
          },
        ).toString();
      const fingerprint = (uid: string) =>
        /^fpr:+([0-9A-F]{40}):/m.exec(gpg('--with-colons', '--list-keys', uid))?.[1] ?? '';
      gpg('--quick-gen-key', 'Ada <ada@example.com>', 'ed25519', 'sign', 'never');
      gpg('--quick-gen-key', 'Gone <gone@example.com>', 'ed25519', 'sign', 'never');
      const ada = fingerprint('ada@example.com');
      const gone = fingerprint('gone@example.com');
      const sign = (message: string, key: string) => {
        repository.write({ [`${message}.txt`]: `${message}\n` });
        repository.git('add', '--all');
        // Not repository.git: its environment was fixed before GNUPGHOME was set.
        const signed = spawnSync(
          'git',
          [
            '-c',
            `user.signingkey=${key}`,
            '-c',
            'gpg.program=gpg',
            '-c',
            'gpg.format=openpgp',
            'commit',
            '--quiet',
            '-S',
            '-m',
            message,
          ],
          {
            cwd: repository.path,
            encoding: 'utf8',
            env: { ...process.env, ...fixedEnvironment },
          },
        );
        if (signed.status !== 0) throw new Error(`signing failed: ${signed.stderr}`);
        return repository.git('rev-parse', 'HEAD');
      };
      const good = sign('good', ada);
      const byGone = sign('by-gone', gone);
      const toTamper = sign('to-tamper', ada);
      const raw = execFileSync('git', ['cat-file', 'commit', toTamper], { cwd: repository.path });
      const tampered = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], {
        cwd: repository.path,
        input: Buffer.from(raw.toString('utf8').replace('to-tamper', 'tampered!')),
      })
        .toString()
        .trim();
      repository.git('update-ref', 'refs/heads/main', tampered);
      gpg('--yes', '--delete-secret-and-public-key', gone);

      // A repository's own configuration cannot choose the program that checks its signatures.
      repository.git('config', 'gpg.program', '/bin/true');
      const analysis = await analyseReview(repository.path, { window: { last: 100 } });
      expect(analysis.verifications.get(good)?.outcome).toBe('good');
      expect(analysis.verifications.get(tampered)?.outcome).toBe('bad');
      expect(analysis.verifications.get(byGone)?.outcome).toBe('unverifiable');
      expect(analysis.signatures).toMatchObject({
        signed: 3,
        byKind: { openpgp: 3 },
        outcomes: { good: 1, bad: 1, 'untrusted-key': 0, unverifiable: 1 },
      });
      expect(analysis.signatures.unverifiableReasons).toEqual([
        'the signing key is not in the local keyring',
      ]);
      // The issuer is read from the signature itself: the key that made it, whatever else is said.
      const armorOf = (commit: string) => {
        const headers = repository.git('cat-file', 'commit', commit).split('\n\n')[0] ?? '';
        const start = headers.indexOf('gpgsig ');
        return headers
          .slice(start + 'gpgsig '.length)
          .split('\n')
          .map((line) => line.replace(/^ /, ''))
          .join('\n');
      };
      expect(openPgpIssuer(armorOf(good))?.ids).toContain(ada);
      expect(openPgpIssuer(armorOf(byGone))?.ids).toContain(gone);
      expect(
        openPgpIssuer('-----BEGIN PGP SIGNATURE-----\n\nnot base64!\n-----END PGP SIGNATURE-----'),
      ).toBeUndefined();
      expect(openPgpIssuer('')).toBeUndefined();
    } finally {
      if (previous === undefined) delete process.env['GNUPGHOME'];
      else process.env['GNUPGHOME'] = previous;
      execFileSync('gpgconf', ['--kill', 'all'], { env: { ...process.env, GNUPGHOME: home } });
    }
  });

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
