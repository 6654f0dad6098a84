import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { squashedChange as change } from '../../testing/forge-changes.js';
import { GitHubAdapter } from './github.js';
import { GitLabAdapter } from './gitlab.js';
import { ForgeHttp, MemoryForgeCache } from './http.js';

type Handler = (request: IncomingMessage, response: ServerResponse, url: URL) => void;
let server: Server | undefined;
const seen: string[] = [];
// Built at run time so no token-shaped literal sits in the repository.
const token = ['test', 'token', String(Date.now())].join('-');

afterEach(async () => {
  seen.length = 0;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(handler: Handler): Promise<string> {
  const created = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    seen.push(`${url.pathname}${url.search}`);
    handler(request, response, url);
  });
  server = created;
  await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(created.address() as AddressInfo).port}`;
}

function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

const noSleep = async () => {};

/** A pull request review as GitHub's API lists it. */
function review(login: string, state: string, submittedAt: string, commit: string) {
  return { user: { login }, state, submitted_at: submittedAt, commit_id: commit };
}

describe('GitHub adapter', () => {
  it('reads every page of reviews, keeps each reviewer’s latest decision, and sends the token', async () => {
    let authorization = '';
    const base = await serve((request, response, url) => {
      authorization = request.headers.authorization ?? '';
      if (url.pathname === '/repos/acme/app/pulls/12')
        return json(response, 200, { number: 12, user: { login: 'carol' } });
      if (url.pathname === '/repos/acme/app/pulls/12/reviews' && url.searchParams.get('page') === null) {
        return json(
          response,
          200,
          [
            review('bob', 'CHANGES_REQUESTED', '2026-01-01T00:00:00Z', 'c1'),
            review('dan', 'COMMENTED', '2026-01-01T00:00:00Z', 'c1'),
          ],
          { link: `<${base}/repos/acme/app/pulls/12/reviews?per_page=100&page=2>; rel="next"` },
        );
      }
      if (url.pathname === '/repos/acme/app/pulls/12/reviews') {
        return json(response, 200, [
          review('bob', 'APPROVED', '2026-01-02T00:00:00Z', 'c2'),
          review('erin', 'CHANGES_REQUESTED', '2026-01-02T00:00:00Z', 'c2'),
        ]);
      }
      json(response, 404, { message: 'Not Found' });
    });
    const adapter = new GitHubAdapter({ project: 'acme/app', token, apiUrl: base, sleep: noSleep });
    const result = await adapter.reviewOf(change());
    expect(result).toEqual({
      state: 'found',
      request: 'pull request #12',
      approvals: [{ name: '', email: '', login: 'bob' }],
      changesRequested: [{ name: '', email: '', login: 'erin' }],
      author: { name: '', email: '', login: 'carol' },
    });
    expect(authorization).toBe(`Bearer ${token}`);
    expect(seen).toEqual([
      '/repos/acme/app/pulls/12',
      '/repos/acme/app/pulls/12/reviews?per_page=100',
      '/repos/acme/app/pulls/12/reviews?per_page=100&page=2',
    ]);
  });

  it('finds the pull request of a commit without a number', async () => {
    const base = await serve((_request, response, url) => {
      if (url.pathname.endsWith('/pulls') && url.pathname.includes('/commits/')) {
        return json(response, 200, [
          { number: 3, user: { login: 'carol' }, merged_at: '2026-01-01T00:00:00Z' },
        ]);
      }
      if (url.pathname === '/repos/acme/app/pulls/3/reviews') return json(response, 200, []);
      json(response, 404, {});
    });
    const adapter = new GitHubAdapter({ project: 'acme/app', token, apiUrl: base, sleep: noSleep });
    const { request: _request, ...direct } = change({ subject: 'Rebased' });
    const result = await adapter.reviewOf(direct);
    expect(result).toMatchObject({ state: 'found', request: 'pull request #3', approvals: [] });
  });

  it('waits out a 429 with Retry-After and retries a 5xx, within the cap', async () => {
    const waits: number[] = [];
    let calls = 0;
    const base = await serve((_request, response) => {
      calls += 1;
      if (calls === 1) return json(response, 429, { message: 'slow down' }, { 'retry-after': '2' });
      if (calls === 2) return json(response, 502, { message: 'bad gateway' });
      if (calls === 3)
        return json(
          response,
          403,
          {},
          { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 5) },
        );
      json(response, 200, [{ ok: true }]);
    });
    const http = new ForgeHttp({
      baseUrl: base,
      token,
      authorization: () => ({}),
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(await http.getAll('list')).toEqual([{ ok: true }]);
    expect(calls).toBe(4);
    expect(waits[0]).toBe(2000);
    expect(waits[1]).toBe(500);
    expect(waits[2]).toBeGreaterThan(3000);
    expect(waits[2]).toBeLessThanOrEqual(5000);
  });

  it('gives up with typed errors: rate limit beyond the cap, persistent 5xx, malformed JSON (path, no token)', async () => {
    const base = await serve((_request, response, url) => {
      if (url.pathname === '/limited') return json(response, 429, {}, { 'retry-after': '3600' });
      if (url.pathname === '/broken') return json(response, 503, {});
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"user": ');
    });
    const http = new ForgeHttp({
      baseUrl: base,
      token,
      authorization: (value) => ({ authorization: value }),
      sleep: noSleep,
      maxWaitMs: 60_000,
    });
    await expect(http.get('limited')).rejects.toMatchObject({ code: 'FORGE_RATE_LIMITED' });
    await expect(http.get('broken')).rejects.toMatchObject({ code: 'FORGE_SERVER_ERROR' });
    const malformed = await http.get('repos/acme/app/pulls/1').catch((error: unknown) => error as Error);
    expect(malformed).toMatchObject({ code: 'FORGE_MALFORMED_RESPONSE' });
    expect((malformed as Error).message).toContain('/repos/acme/app/pulls/1');
    expect((malformed as Error).message).not.toContain(token);
    const adapter = new GitHubAdapter({ project: 'acme/app', token, apiUrl: base, sleep: noSleep });
    expect(await adapter.reviewOf(change())).toMatchObject({ state: 'error' });
  });

  it('revalidates with the ETag and reuses the cached body on 304', async () => {
    const base = await serve((request, response) => {
      if (request.headers['if-none-match'] === '"v1"') {
        response.writeHead(304);
        response.end();
        return;
      }
      json(response, 200, [{ n: 1 }], { etag: '"v1"' });
    });
    const cache = new MemoryForgeCache();
    const http = new ForgeHttp({ baseUrl: base, token, authorization: () => ({}), cache, sleep: noSleep });
    expect(await http.getAll('items')).toEqual([{ n: 1 }]);
    expect(await http.getAll('items')).toEqual([{ n: 1 }]);
    expect(seen).toHaveLength(2);
  });

  it('refuses a next-page link to another host (the token stays home)', async () => {
    const base = await serve((_request, response) =>
      json(response, 200, [], { link: '<http://127.0.0.2:1/steal?page=2>; rel="next"' }),
    );
    const http = new ForgeHttp({ baseUrl: base, token, authorization: () => ({}), sleep: noSleep });
    await expect(http.getAll('items')).rejects.toMatchObject({ code: 'FORGE_MALFORMED_RESPONSE' });
  });
});

describe('GitLab adapter', () => {
  it('reads merge request approvals, following x-next-page to find a commit’s merge request', async () => {
    let privateToken = '';
    const base = await serve((request, response, url) => {
      privateToken = String(request.headers['private-token'] ?? '');
      if (url.pathname.endsWith('/merge_requests') && url.pathname.includes('/repository/commits/')) {
        if (url.searchParams.get('page') === '2') {
          return json(response, 200, [
            { iid: 5, state: 'merged', author: { username: 'carol', name: 'Carol' } },
          ]);
        }
        return json(response, 200, [{ iid: 4, state: 'closed', author: { username: 'carol' } }], {
          'x-next-page': '2',
        });
      }
      if (url.pathname === '/projects/group%2Fproject/merge_requests/5/approvals') {
        return json(response, 200, {
          approved: true,
          approved_by: [{ user: { username: 'bob', name: 'Bob' } }],
        });
      }
      json(response, 404, {});
    });
    const adapter = new GitLabAdapter({ project: 'group/project', token, apiUrl: base, sleep: noSleep });
    const { request: _request, ...withoutReference } = change();
    const result = await adapter.reviewOf(withoutReference);
    expect(result).toEqual({
      state: 'found',
      request: 'merge request !5',
      approvals: [{ name: 'Bob', email: '', login: 'bob' }],
      changesRequested: [],
      author: { name: 'Carol', email: '', login: 'carol' },
    });
    expect(privateToken).toBe(token);
  });
});
