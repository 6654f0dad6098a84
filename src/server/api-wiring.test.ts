/**
 * The API inside the real server, wired as `shipguard serve` wires it: a bearer token is a
 * principal in the server's own hook, the API's routes sit under the server's headers, and a
 * person's session never uploads. SQLite here; the API's own suite covers PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/index.js';
import { maxEvidenceBytes } from '../records/index.js';
import { openStore, type Store } from '../store/index.js';
import * as harness from './__fixtures__/server-harness.js';
import { createApiToken } from './api/index.js';
import { apiServerOptions } from './api-wiring.js';
import { resolveServerConfig } from './config.js';

/** The store, server and folder of the running test, closed and removed after it. */
let store: Store | undefined;
let server: harness.TestServer | undefined;
let folder: string | undefined;
afterEach(async () => {
  await server?.close();
  await store?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
  [store, server, folder] = [undefined, undefined, undefined];
});

/** A SQLite store in a folder of its own, which also takes the uploads. */
async function freshStore(): Promise<[Store, string]> {
  const created = mkdtempSync(join(tmpdir(), 'shipguard-wiring-'));
  folder = created;
  store = await openStore({ kind: 'sqlite', path: join(created, 'store.db') });
  return [store, created];
}

/** The server as `shipguard serve` wires it, with the configuration file `fileText`. */
async function startWired(fileText: string, clock?: harness.TestClock): Promise<[Store, harness.TestServer]> {
  const [opened, uploads] = await freshStore();
  const config = resolveServerConfig({ host: '127.0.0.1', port: 0, sessionSecret: 'x'.repeat(40), fileText });
  const started = await harness.startTestServer(opened, {
    ...(clock ? { clock } : {}),
    config: { fileText },
    server: apiServerOptions(opened, config, {
      catalog: loadCatalog(),
      uploadFolder: uploads,
      ...(clock ? { now: clock.now } : {}),
    }),
  });
  server = started;
  return [opened, started];
}

/** An auditor's API token for every repository, valid for 30 days from `now`. */
function auditorToken(opened: Store, now: Date) {
  return createApiToken(opened, {
    name: 'dashboard',
    roles: ['auditor'],
    repositories: ['*'],
    createdBy: 'test',
    expiresAt: new Date(now.getTime() + 30 * 86_400_000),
    now,
  });
}

describe('the API in the real server', () => {
  it('answers a bearer token by its roles, refuses no or a bad token, and never lets a session upload', async () => {
    const [opened, uploads] = await freshStore();
    // The same configuration the server resolves, so the API sees the server's limits and issuers.
    const config = resolveServerConfig({ host: '127.0.0.1', port: 0, sessionSecret: 'x'.repeat(40) });
    server = await harness.startTestServer(opened, {
      server: apiServerOptions(opened, config, {
        catalog: loadCatalog(),
        uploadFolder: uploads,
        portfolioFreshMs: 0,
      }),
    });
    const base = server.url;
    const now = server.clock.now();
    const reader = await auditorToken(opened, now);

    const read = await fetch(`${base}/api/v1/portfolio`, {
      headers: { authorization: `Bearer ${reader.token}` },
    });
    expect(read.status).toBe(200);
    // The server's security headers apply to the API as to the pages.
    expect(read.headers.get('referrer-policy')).toBe('no-referrer');
    expect(read.headers.get('content-security-policy')).toContain("default-src 'none'");

    expect((await fetch(`${base}/api/v1/portfolio`)).status).toBe(401);
    const forged = `${reader.token.slice(0, -4)}AAAA`;
    expect(
      (await fetch(`${base}/api/v1/portfolio`, { headers: { authorization: `Bearer ${forged}` } })).status,
    ).toBe(401);
    // An auditor's token reads but never writes.
    const upload = await fetch(`${base}/api/v1/assessments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${reader.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(upload.status).toBe(403);

    // A person signed in to the pages cannot upload through the API with the session cookie.
    const session = await harness.signedInAs(opened, server, 'ada', ['administrator']);
    const client = harness.withSession(new harness.CookieClient(), session);
    const byCookie = await client.request(`${base}/api/v1/assessments`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect([401, 403]).toContain(byCookie.status);

    const openapi = await fetch(`${base}/api/openapi.json`);
    expect(openapi.status).toBe(200);
    expect(Object.keys(((await openapi.json()) as { paths: object }).paths)).toContain('/api/v1/portfolio');
  });
});

describe('the API under the server’s limits', () => {
  async function start(perMinute: number) {
    const clock = harness.testClock();
    const [opened, running] = await startWired(`rateLimit:\n  perMinute: ${perMinute}\n`, clock);
    const now = clock.now();
    const reader = await auditorToken(opened, now);
    return { base: running.url, token: reader.token };
  }

  it('answers a client past the limit 429 in JSON, not a server failure', async () => {
    const { base, token } = await start(3);
    const answers: Response[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1)
      answers.push(
        await fetch(`${base}/api/v1/portfolio`, { headers: { authorization: `Bearer ${token}` } }),
      );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
    const refused = answers[3] as Response;
    expect(refused.headers.get('retry-after')).not.toBeNull();
    expect(((await refused.json()) as { error: string }).error).toBe('RATE_LIMITED');
  });

  it('counts requests refused before their route runs: no credential, no session', async () => {
    const { base } = await start(3);
    const statuses: number[] = [];
    // Each is refused by its route's own access check; the limit still sees every one.
    for (let attempt = 0; attempt < 4; attempt += 1)
      statuses.push((await fetch(`${base}/api/v1/portfolio`)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const page = await fetch(`${base}/records`, { redirect: 'manual' });
    expect(page.status).toBe(429);
  });

  it('takes no upload past what the evidence store keeps (10 MiB), whatever the form limit: 413 before it is read', async () => {
    const { base } = await start(1000);
    const opened = store as Store;
    const now = (server as harness.TestServer).clock.now();
    const ci = await createApiToken(opened, {
      name: 'CI of api',
      roles: ['ci'],
      repositories: ['github.com/acme/api'],
      createdBy: 'test',
      expiresAt: new Date(now.getTime() + 30 * 86_400_000),
      now,
    });
    // The default form file limit (limits.uploadBytes) is 25 MiB; the API's is the evidence store's.
    const sbom = JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      padding: 'x'.repeat(maxEvidenceBytes),
    });
    const answer = await fetch(`${base}/api/v1/sboms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ci.token}`, 'content-type': 'application/json' },
      body: sbom,
    });
    expect(answer.status).toBe(413);
    expect(((await answer.json()) as { error: string }).error).toBe('API_UPLOAD_TOO_LARGE');
  });
});

/** Every route the server registered, as `METHOD /path` (HEAD aside), read from Fastify's route tree. */
function registeredRoutes(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const parents: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = `${depth === 0 ? '' : parents[depth - 1]}${match[2]}`;
    parents[depth] = path;
    for (const method of match[3]?.split(', ') ?? []) if (method !== 'HEAD') routes.push(`${method} ${path}`);
  }
  return routes.sort();
}

/** Routes anyone may reach: signing in and out, the stylesheet, the API's description. */
const publicRoutes = [
  'GET /assets/pages.css',
  'GET /login',
  'POST /login',
  'POST /login/bootstrap',
  'POST /login/local',
  'GET /auth/callback',
  'POST /logout',
  'GET /account/sessions',
  'POST /account/sessions/end',
  'GET /api/openapi.json',
];

describe('every route of the server', () => {
  it('refuses anonymous requests and people with no role on every route but the few public ones (a route added without a role check fails this)', async () => {
    const [opened, running] = await startWired('rateLimit:\n  perMinute: 100000\n  signInPerMinute: 1000\n');
    const routes = registeredRoutes(running.app);
    expect(routes).toContain('GET /api/v1/portfolio');
    expect(routes).toContain('POST /changes/:id/approve');
    expect(routes.filter((route) => publicRoutes.includes(route)).sort()).toEqual([...publicRoutes].sort());
    // A person with no role is refused too: every other route checks a role, not only a session.
    const roleless = await harness.signedInAs(opened, running, 'Newcomer', []);
    for (const route of routes.filter((candidate) => !publicRoutes.includes(candidate))) {
      const [method = '', path = ''] = route.split(' ');
      const url = `${running.url}${path.replace(/:[a-z0-9]+/gi, 'x')}`;
      const form =
        method === 'GET'
          ? {}
          : { body: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
      const anonymous = await new harness.CookieClient().request(url, { method, ...form });
      const toSignIn = anonymous.status === 303 && anonymous.location === '/login';
      expect(
        toSignIn || anonymous.status === 401,
        `${route}: ${anonymous.status} to an anonymous request`,
      ).toBe(true);
      const person = await harness
        .withSession(new harness.CookieClient(), roleless)
        .request(url, { method, ...form });
      expect(person.status, `${route}: ${person.status} to a person with no role`).toBe(403);
    }
  });
});
