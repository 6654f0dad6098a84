import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRepository, signingWith, type TestRepository } from '../testing/git-repository.js';
import { reviewReleasedCommit } from './released-commit.js';

/**
 * A release's review is `verified` only when the merge that brought it is signed by a key the
 * allowed-signers file allows for its committer, who is not an author; trailers alone are declared.
 */
describe('reviewReleasedCommit: evidence level', () => {
  let repository: TestRepository;
  let allowed: string;
  const keys: Record<string, string> = {};

  /** A feature commit by Dan merged with a Reviewed-by trailer, committed (and maybe signed) by `by`. */
  function merge(
    name: string,
    by: { name: string; email: string; key?: string | undefined },
  ): { feature: string; merge: string } {
    repository.git('checkout', '--quiet', '-b', name);
    repository.write({ [`${name}.txt`]: `${name}\n` });
    repository.commit(`Add ${name}`, { author: 'Dan Developer <dan@example.com>' });
    const feature = repository.git('rev-parse', 'HEAD');
    repository.git('checkout', '--quiet', 'main');
    const sign = by.key ? signingWith(by.key) : [];
    execFileSync(
      'git',
      [
        ...sign,
        'merge',
        '--quiet',
        '--no-ff',
        by.key ? '-S' : '--no-gpg-sign',
        '-m',
        `Merge ${name}\n\nReviewed-by: Rita <rita@example.com>`,
        name,
      ],
      {
        cwd: repository.path,
        env: {
          ...process.env,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_AUTHOR_NAME: by.name,
          GIT_AUTHOR_EMAIL: by.email,
          GIT_COMMITTER_NAME: by.name,
          GIT_COMMITTER_EMAIL: by.email,
        },
      },
    );
    return { feature, merge: repository.git('rev-parse', 'HEAD') };
  }

  beforeAll(() => {
    repository = createTestRepository();
    repository.write({ 'README.md': '# x\n' });
    repository.commit('Initial commit');
    for (const name of ['rita', 'dan', 'mallory']) {
      const path = join(repository.path, '.git', name);
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', path]);
      keys[name] = path;
    }
    allowed = join(repository.path, '.git', 'allowed_signers');
    const line = (email: string, name: string) =>
      `${email} namespaces="git" ${readFileSync(`${keys[name]}.pub`, 'utf8')}`;
    writeFileSync(allowed, line('rita@example.com', 'rita') + line('dan@example.com', 'dan'));
  });
  afterAll(() => repository.remove());

  it('is verified for a merge signed by an allowed reviewer who is not an author', async () => {
    const { feature } = merge('signed', { name: 'Rita', email: 'rita@example.com', key: keys['rita'] });
    const review = await reviewReleasedCommit(repository.path, feature, 'HEAD', {
      allowedSignersFile: allowed,
    });
    expect(review).toMatchObject({ verdict: 'reviewed', level: 'verified' });
    expect(review.levelReason).toContain('verified against the protected allowed signers');
  });

  it('is declared for an unsigned merge, for the author signing their own merge, and for a key not allowed', async () => {
    const unsigned = merge('unsigned', { name: 'Rita', email: 'rita@example.com' });
    const byAuthor = merge('by-author', {
      name: 'Dan Developer',
      email: 'dan@example.com',
      key: keys['dan'],
    });
    const notAllowed = merge('not-allowed', {
      name: 'Rita',
      email: 'rita@example.com',
      key: keys['mallory'],
    });
    const levels = await Promise.all(
      [unsigned, byAuthor, notAllowed].map((item) =>
        reviewReleasedCommit(repository.path, item.feature, 'HEAD', { allowedSignersFile: allowed }),
      ),
    );
    expect(levels.map((review) => review.level)).toEqual(['declared', 'declared', 'declared']);
    expect(levels[0]?.levelReason).toContain('not signed');
    expect(levels[1]?.levelReason).toContain('an author');
    expect(levels[2]?.levelReason).toContain('untrusted-key');
  });

  it('is declared without an allowed-signers file, whatever the signature', async () => {
    const { feature } = merge('no-file', { name: 'Rita', email: 'rita@example.com', key: keys['rita'] });
    const review = await reviewReleasedCommit(repository.path, feature, 'HEAD');
    expect(review).toMatchObject({ verdict: 'reviewed', level: 'declared' });
  });
});
