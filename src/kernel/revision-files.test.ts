import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { openRevisionFiles } from './revision-files.js';

describe('openRevisionFiles', () => {
  let repository: TestRepository;
  let first: string;

  beforeAll(() => {
    repository = createTestRepository();
    repository.write({
      'a.txt': 'alpha\n',
      'keys/b.pub': 'beta\n',
      'same.txt': 'alpha\n',
      'big.bin': 'x'.repeat(5000),
    });
    symlinkSync('a.txt', join(repository.path, 'link.txt'));
    first = repository.commit('files');
    repository.write({ 'a.txt': 'changed\n' });
    repository.commit('later');
  });
  afterAll(() => repository.remove());

  it('reads files of the named commit, not of HEAD or the work tree, all asked together', async () => {
    const files = openRevisionFiles(repository.path, first);
    const [a, b, same, absent] = await Promise.all([
      files.read('a.txt', 100),
      files.read('keys/b.pub', 100),
      files.read('same.txt', 100),
      files.read('missing.txt', 100),
    ]);
    expect(a?.toString()).toBe('alpha\n');
    expect(b?.toString()).toBe('beta\n');
    expect(same?.toString()).toBe('alpha\n');
    expect(absent).toBeUndefined();
  });

  it('refuses a symbolic link and a file above the bound, without failing the other reads', async () => {
    const files = openRevisionFiles(repository.path, first);
    const [link, big, fine] = await Promise.allSettled([
      files.read('link.txt', 100),
      files.read('big.bin', 100),
      files.read('a.txt', 100),
    ]);
    expect(link.status === 'rejected' && String(link.reason)).toContain('not a regular file');
    expect(big.status === 'rejected' && String(big.reason)).toContain('larger than 100 bytes');
    expect(fine.status === 'fulfilled' && fine.value?.toString()).toBe('alpha\n');
  });

  it('answers a repeated read from the first answer', async () => {
    const files = openRevisionFiles(repository.path, first);
    const once = files.read('a.txt', 100);
    expect(files.read('a.txt', 100)).toBe(once);
    expect((await once)?.toString()).toBe('alpha\n');
  });
});
