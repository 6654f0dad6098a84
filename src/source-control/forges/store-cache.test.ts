import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { squashedChange as change } from '../../testing/forge-changes.js';
import { describeOnEveryStore, type StoreBackend, storePerTest } from '../../testing/store-backends.js';
import { GitHubAdapter } from './github.js';
import { forgeCacheKey } from './http.js';
import { StoreForgeCache } from './store-cache.js';

// Built at run time so no token-shaped literal sits in the repository.
const token = ['cache', 'test', 'token', String(process.pid)].join('-');
const noSleep = async () => {};

/** The same behaviour from every store the cache can live in. */
function describeStoreCache(name: string, harness: StoreBackend): void {
  describe(`forge cache in the store: ${name}`, () => {
    const open = storePerTest(harness, { busyTimeoutMs: 2_000, connectTimeoutMs: 5_000 });
    let server: Server | undefined;
    const received: { path: string; ifNoneMatch?: string; authorization?: string }[] = [];

    afterEach(async () => {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = undefined;
      received.length = 0;
    });

    async function serveGitHub(): Promise<string> {
      const etags: Record<string, string> = {
        '/repos/acme/app/pulls/12': '"pull-v1"',
        '/repos/acme/app/pulls/12/reviews': '"reviews-v1"',
      };
      const bodies: Record<string, unknown> = {
        '/repos/acme/app/pulls/12': { number: 12, user: { login: 'carol' } },
        '/repos/acme/app/pulls/12/reviews': [{ user: { login: 'bob' }, state: 'APPROVED' }],
      };
      const created = createServer((request, response) => {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        const entry: (typeof received)[number] = { path: url.pathname };
        if (typeof request.headers['if-none-match'] === 'string')
          entry.ifNoneMatch = request.headers['if-none-match'];
        if (typeof request.headers.authorization === 'string')
          entry.authorization = request.headers.authorization;
        received.push(entry);
        const etag = etags[url.pathname];
        if (!etag) {
          response.writeHead(404, { 'content-type': 'application/json' });
          response.end('{}');
          return;
        }
        if (request.headers['if-none-match'] === etag) {
          response.writeHead(304, { etag });
          response.end();
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json', etag });
        response.end(JSON.stringify(bodies[url.pathname]));
      });
      server = created;
      await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', () => resolve()));
      return `http://127.0.0.1:${(created.address() as AddressInfo).port}`;
    }

    it('stores, reads back and replaces an entry', async () => {
      const store = await open();
      const cache = new StoreForgeCache(store, () => new Date('2026-06-01T00:00:00Z'));
      expect(await cache.get('github api.example/repos/a/b')).toBeUndefined();
      await cache.put('github api.example/repos/a/b', { etag: '"1"', body: '[1]' });
      expect(await cache.get('github api.example/repos/a/b')).toEqual({ etag: '"1"', body: '[1]' });
      await cache.put('github api.example/repos/a/b', {
        lastModified: 'Mon, 01 Jun 2026 00:00:00 GMT',
        body: '[2]',
      });
      expect(await cache.get('github api.example/repos/a/b')).toEqual({
        lastModified: 'Mon, 01 Jun 2026 00:00:00 GMT',
        body: '[2]',
      });
      const rows = await store.db
        .withTables<{ forge_responses: { key: string; forge: string; fetched_at: string } }>()
        .selectFrom('forge_responses')
        .select(['key', 'forge', 'fetched_at'])
        .execute();
      expect(rows).toEqual([
        { key: 'github api.example/repos/a/b', forge: 'github', fetched_at: '2026-06-01T00:00:00.000Z' },
      ]);
    });

    it('a second review, with a new store connection, revalidates with If-None-Match and reuses the body on 304', async () => {
      const base = await serveGitHub();
      const first = await open();
      const firstAdapter = new GitHubAdapter({
        project: 'acme/app',
        token,
        apiUrl: base,
        cache: new StoreForgeCache(first),
        sleep: noSleep,
      });
      const expected = {
        state: 'found',
        request: 'pull request #12',
        approvals: [{ name: '', email: '', login: 'bob' }],
        changesRequested: [],
        author: { name: '', email: '', login: 'carol' },
      };
      expect(await firstAdapter.reviewOf(change())).toEqual(expected);
      expect(received.map((request) => request.ifNoneMatch)).toEqual([undefined, undefined]);
      await first.close();

      const second = await open();
      const secondAdapter = new GitHubAdapter({
        project: 'acme/app',
        token,
        apiUrl: base,
        cache: new StoreForgeCache(second),
        sleep: noSleep,
      });
      expect(await secondAdapter.reviewOf(change())).toEqual(expected);
      expect(received.slice(2)).toEqual([
        { path: '/repos/acme/app/pulls/12', ifNoneMatch: '"pull-v1"', authorization: `Bearer ${token}` },
        {
          path: '/repos/acme/app/pulls/12/reviews',
          ifNoneMatch: '"reviews-v1"',
          authorization: `Bearer ${token}`,
        },
      ]);

      // Nothing the store keeps holds the token.
      const rows = await second.db
        .withTables<{ forge_responses: Record<string, string | null> }>()
        .selectFrom('forge_responses')
        .selectAll()
        .execute();
      expect(rows).toHaveLength(2);
      expect(JSON.stringify(rows)).not.toContain(token);
      expect(rows.map((row) => row['key']).sort()).toEqual([
        `github ${new URL(base).host}/repos/acme/app/pulls/12`,
        `github ${new URL(base).host}/repos/acme/app/pulls/12/reviews?per_page=100`,
      ]);
    });
  });
}

describe('forgeCacheKey', () => {
  it('keeps forge, host, path and query, and drops user information and token parameters', () => {
    const url = new URL(
      `https://user:${token}@gitlab.example/api/v4/projects/1?page=2&private_token=${token}`,
    );
    expect(forgeCacheKey('gitlab', url)).toBe('gitlab gitlab.example/api/v4/projects/1?page=2');
  });
});

await describeOnEveryStore('forge cache', describeStoreCache);
