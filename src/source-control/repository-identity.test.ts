import { describe, expect, it } from 'vitest';
import { createTestRepository } from '../testing/git-repository.js';
import {
  identifyFolder,
  identifyRepository,
  normaliseRemoteUrl,
  normaliseSubfolder,
  withSubfolder,
} from './repository-identity.js';

const credential = ['ghp', '_', 'a'.repeat(36)].join('');

describe('normaliseRemoteUrl', () => {
  it.each([
    ['git@github.com:Acme/api.git', 'github.com/Acme/api'],
    ['ssh://git@GitHub.com/Acme/api', 'github.com/Acme/api'],
    ['ssh://git@github.com:2222/Acme/api.git', 'github.com/Acme/api'],
    ['HTTPS://GITHUB.COM/Acme/api.git/', 'github.com/Acme/api'],
    [`https://x-access-token:${credential}@github.com/Acme/api.git`, 'github.com/Acme/api'],
    ['https://github.com:443/Acme/api', 'github.com/Acme/api'],
    ['https://git.example.com:8443/team/api.git', 'git.example.com:8443/team/api'],
    ['git://example.org//team//api.git', 'example.org/team/api'],
    ['git+ssh://git@gitlab.com/group/sub/api.git', 'gitlab.com/group/sub/api'],
  ])('%s → %s', (url, key) => {
    expect(normaliseRemoteUrl(url).key).toBe(key);
  });

  it('keeps no credential in the fetch URL', () => {
    const { url } = normaliseRemoteUrl(`https://user:${credential}@github.com/Acme/api.git`);
    expect(url).toBe('https://github.com/Acme/api.git');
    expect(url).not.toContain(credential);
  });

  it('keys a local bare repository by its absolute path', () => {
    expect(normaliseRemoteUrl('../origin.git', '/srv/work').key).toBe('file:///srv/origin');
    expect(normaliseRemoteUrl('file:///srv/origin.git').key).toBe('file:///srv/origin');
  });

  it.each([
    '',
    'https://github.com/',
    'git@github.com:a/../../b',
    'ftp://example.org/a',
    'ext::sh -c touch% /tmp/pwned',
    'git@host:team/repo with space',
    'https://exa\u0000mple.org/a',
  ])('refuses %j', (url) => {
    expect(() => normaliseRemoteUrl(url)).toThrow(
      expect.objectContaining({ code: 'SOURCE_CONTROL_INVALID_REPOSITORY' }),
    );
  });
});

describe('subfolders', () => {
  it('adds a monorepo package to the key, normalised', () => {
    expect(withSubfolder('github.com/acme/mono', './packages//api/')).toBe(
      'github.com/acme/mono//packages/api',
    );
    expect(withSubfolder('github.com/acme/mono', undefined)).toBe('github.com/acme/mono');
    expect(() => normaliseSubfolder('../elsewhere')).toThrow(
      expect.objectContaining({ code: 'SOURCE_CONTROL_INVALID_REPOSITORY' }),
    );
  });
});

describe('identifyFolder', () => {
  it('uses origin, so two clones of one repository share one key', async () => {
    using first = createTestRepository();
    using second = createTestRepository();
    first.git('remote', 'add', 'origin', 'git@github.com:Acme/api.git');
    second.git('remote', 'add', 'origin', 'https://github.com/Acme/api');
    const [a, b] = [await identifyFolder(first.path), await identifyFolder(second.path)];
    expect(a.key).toBe('github.com/Acme/api');
    expect(b.key).toBe(a.key);
    expect(a.source).toBe('remote');
  });

  it('falls back to the path when there is no remote, and says so', async () => {
    using repository = createTestRepository();
    const identity = await identifyFolder(repository.path);
    expect(identity.source).toBe('path');
    expect(identity.key.startsWith('/')).toBe(true);
    expect(identity.note).toMatch(/no remote/);
  });

  it('names which remote it used when there are several and none is origin', async () => {
    using repository = createTestRepository();
    repository.git('remote', 'add', 'upstream', 'https://github.com/acme/upstream.git');
    repository.git('remote', 'add', 'fork', 'https://github.com/me/fork.git');
    const identity = await identifyRepository(repository.path, { subfolder: 'packages/api' });
    expect(identity.key).toBe('github.com/me/fork//packages/api');
    expect(identity.note).toContain('"fork" (of 2 remotes)');
  });
});
