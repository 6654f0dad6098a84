/**
 * The real server on a real port, on SQLite and PostgreSQL: cookie flags, sign-in rotation,
 * sign-out invalidation, idle and absolute expiry (injected clock), CSRF, every route with every
 * role, error reference ids, security headers, role grants ledgered.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEntries, readHead } from '../ledger/index.js';
import { openStore, type Store } from '../store/index.js';
import { describeOnEveryStore } from '../testing/store-backends.js';
import {
  CookieClient,
  signedInAs,
  startTestServer,
  type TestServer,
  withSession,
} from './__fixtures__/server-harness.js';
import { listUsers } from './accounts.js';
import { pageRoutes, serverRoles } from './pages/index.js';
import { sessionCookieName } from './sessions.js';

const manyRequests = 'rateLimit:\n  perMinute: 100000\n  signInPerMinute: 1000\n';
const localToken = ['local', 'sign', 'in', 'token', 'for', 'tests'].join('-');

async function ledgerTypes(store: Store): Promise<string[]> {
  const head = await readHead(store);
  const entries = await readEntries(store, 0, head.size);
  return entries.map((entry) => JSON.parse(entry.entry).type as string);
}

function concrete(path: string): string {
  return path.replace(/:[a-z0-9]+/gi, 'x');
}

await describeOnEveryStore('server', (label, backend) => {
  describe(`shipguard serve on ${label}`, () => {
    let store: Store;
    let server: TestServer;

    beforeEach(async () => {
      store = await openStore(await backend.createLocation());
      server = await startTestServer(store, {
        config: { fileText: manyRequests },
        server: { localSignInToken: localToken },
      });
    });

    afterEach(async () => {
      await server.close();
      await store.close();
    });

    async function localSignIn(client: CookieClient) {
      const signedIn = client.cookies.has(sessionCookieName);
      const csrf = await client.csrfFrom(`${server.url}${signedIn ? '/' : '/login'}`);
      return client.request(`${server.url}/login/local`, { form: { _csrf: csrf, token: localToken } });
    }

    it('sends the security headers and a CSP with no inline script or style', async () => {
      const page = await new CookieClient().request(`${server.url}/login`);
      const csp = page.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('script-src');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('x-powered-by')).toBeNull();
    });

    it('signs in locally with the printed token, in a __Host- cookie that is Secure, HttpOnly and SameSite', async () => {
      const client = new CookieClient();
      const signIn = await localSignIn(client);
      expect(signIn.status).toBe(303);
      expect(signIn.location).toBe('/');
      const cookie = signIn.setCookies.find((line) => line.startsWith(`${sessionCookieName}=`)) ?? '';
      expect(cookie).toMatch(/; Path=\/(;|$)/);
      expect(cookie).toContain('; Secure');
      expect(cookie).toContain('; HttpOnly');
      expect(cookie).toMatch(/; SameSite=(Lax|Strict)/);
      expect(cookie).not.toMatch(/Domain=/i);
      const portfolio = await client.request(`${server.url}/`);
      expect(portfolio.status).toBe(200);
      expect(portfolio.body).toContain('Local administrator');
      expect(await ledgerTypes(store)).toEqual(['server.role-granted', 'server.signed-in']);
    });

    it('refuses a wrong local sign-in token, and ledgers the refusal', async () => {
      const client = new CookieClient();
      const csrf = await client.csrfFrom(`${server.url}/login`);
      const refused = await client.request(`${server.url}/login/local`, {
        form: { _csrf: csrf, token: `${localToken}x` },
      });
      expect(refused.status).toBe(403);
      expect(client.cookies.has(sessionCookieName)).toBe(false);
      expect(await ledgerTypes(store)).toEqual(['server.sign-in-refused']);
    });

    it('stores only the SHA-256 of the session id', async () => {
      const client = new CookieClient();
      await localSignIn(client);
      const id = client.cookies.get(sessionCookieName) ?? '';
      const rows = await store.db
        .withTables<{ server_sessions: { id_hash: string } }>()
        .selectFrom('server_sessions')
        .select('id_hash')
        .execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]?.id_hash).not.toBe(id);
      expect(rows[0]?.id_hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('rotates the session id at sign-in: the session the browser had before is ended', async () => {
      const client = new CookieClient();
      await localSignIn(client);
      const first = client.cookies.get(sessionCookieName) ?? '';
      await localSignIn(client);
      const second = client.cookies.get(sessionCookieName) ?? '';
      expect(second).not.toBe(first);
      const old = withSession(new CookieClient(), first);
      expect((await old.request(`${server.url}/`)).status).toBe(303);
    });

    it('signs out server-side: the old cookie never works again', async () => {
      const client = new CookieClient();
      await localSignIn(client);
      const id = client.cookies.get(sessionCookieName) ?? '';
      const csrf = await client.csrfFrom(`${server.url}/`);
      const out = await client.request(`${server.url}/logout`, { form: { _csrf: csrf } });
      expect(out.status).toBe(303);
      expect(out.location).toBe('/login');
      const replay = withSession(new CookieClient(), id);
      const again = await replay.request(`${server.url}/`);
      expect(again.status).toBe(303);
      expect(again.location).toBe('/login');
      expect(await ledgerTypes(store)).toContain('server.signed-out');
    });

    it('ends a session after 30 idle minutes, and renews it by use', async () => {
      const id = await signedInAs(store, server, 'Ada', ['developer']);
      const client = withSession(new CookieClient(), id);
      server.clock.advance(29 * 60_000);
      expect((await client.request(`${server.url}/`)).status).toBe(200);
      server.clock.advance(29 * 60_000);
      expect((await client.request(`${server.url}/`)).status).toBe(200);
      server.clock.advance(30 * 60_000);
      const expired = await client.request(`${server.url}/`);
      expect(expired.status).toBe(303);
      expect(expired.location).toBe('/login');
      expect(await ledgerTypes(store)).toContain('server.session-expired');
    });

    it('ends a session 12 hours after sign-in however busy it is', async () => {
      const id = await signedInAs(store, server, 'Ada', ['developer']);
      const client = withSession(new CookieClient(), id);
      for (let minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
        server.clock.advance(20 * 60_000);
        expect((await client.request(`${server.url}/gate`)).status).toBe(200);
      }
      server.clock.advance(20 * 60_000);
      expect((await client.request(`${server.url}/gate`)).status).toBe(303);
    });

    it('gives a fresh browser a CSRF token that works on its first page with two forms', async () => {
      const client = withSession(new CookieClient(), await signedInAs(store, server, 'Fresh', ['developer']));
      const page = await client.request(`${server.url}/changes`);
      const tokens = [...page.body.matchAll(/name="_csrf" value="([^"]+)"/g)].map((match) => match[1]);
      expect(tokens.length).toBeGreaterThanOrEqual(2);
      expect(page.setCookies.filter((line) => line.startsWith('__Host-shipguard-csrf='))).toHaveLength(1);
      const posted = await client.request(`${server.url}/changes`, {
        form: { _csrf: tokens.at(-1) ?? '', title: 'x' },
      });
      expect(posted.status).not.toBe(403);
    });

    it('refuses a form that names a field twice, rather than choosing one (parameter pollution)', async () => {
      const client = withSession(new CookieClient(), await signedInAs(store, server, 'Twice', ['developer']));
      const csrf = await client.csrfFrom(`${server.url}/changes`);
      const twice = await client.request(`${server.url}/logout`, {
        body: new URLSearchParams([
          ['_csrf', csrf],
          ['_csrf', csrf],
        ]).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(twice.status).toBe(400);
      expect((await client.request(`${server.url}/changes`)).status).toBe(200); // still signed in
      const once = await client.request(`${server.url}/logout`, { form: { _csrf: csrf } });
      expect(once.status).toBe(303);
    });

    it('takes a form only as a form: a JSON or plain-text body is refused before it is read (no way around the rules above)', async () => {
      const client = withSession(new CookieClient(), await signedInAs(store, server, 'Json', ['developer']));
      const csrf = await client.csrfFrom(`${server.url}/changes`);
      // JSON.parse keeps the last of two equal keys: the repeated-field rule must not be sidestepped.
      const json = await client.request(`${server.url}/changes`, {
        body: `{"_csrf":${JSON.stringify(csrf)},"class":"normal","title":"first","title":"second"}`,
        headers: { 'content-type': 'application/json' },
      });
      expect(json.status).toBe(415);
      const text = await client.request(`${server.url}/changes`, {
        body: 'title=plain',
        headers: { 'content-type': 'text/plain', 'x-csrf-token': csrf },
      });
      expect(text.status).toBe(415);
      expect((await client.request(`${server.url}/changes`)).body).not.toContain('second');
    });

    it('sends an unauthenticated GET to sign in and refuses an unauthenticated POST with 401', async () => {
      const client = new CookieClient();
      const get = await client.request(`${server.url}/records`);
      expect(get.status).toBe(303);
      expect(get.location).toBe('/login');
      const post = await client.request(`${server.url}/changes`, { form: { title: 'x' } });
      expect(post.status).toBe(401);
    });

    it('refuses a state change without its CSRF token, or with another session’s', async () => {
      const id = await signedInAs(store, server, 'Dev', ['developer']);
      const client = withSession(new CookieClient(), id);
      await client.csrfFrom(`${server.url}/changes`);
      const missing = await client.request(`${server.url}/changes`, { form: { title: 'no token' } });
      expect(missing.status).toBe(403);
      expect(missing.body).toContain('CSRF');
      const otherId = await signedInAs(store, server, 'Other', ['developer']);
      const other = withSession(new CookieClient(), otherId);
      const foreign = await other.csrfFrom(`${server.url}/changes`);
      const forged = await client.request(`${server.url}/changes`, {
        form: { _csrf: foreign, title: 'forged' },
      });
      expect(forged.status).toBe(403);
    });

    it('lets every role reach exactly the routes that allow it', async () => {
      const adminRoutes = [
        { method: 'GET', path: '/admin/roles', allow: ['administrator'] },
        { method: 'POST', path: '/admin/roles/grant', allow: ['administrator'] },
        { method: 'POST', path: '/admin/roles/revoke', allow: ['administrator'] },
        { method: 'POST', path: '/admin/sessions/end', allow: ['administrator'] },
      ];
      const routes = [...pageRoutes, ...adminRoutes];
      for (const role of serverRoles) {
        const id = await signedInAs(store, server, `user-${role}`, [role]);
        const client = withSession(new CookieClient(), id);
        const csrf = await client.csrfFrom(`${server.url}/`);
        const reached: string[] = [];
        for (const route of routes) {
          const url = `${server.url}${concrete(route.path)}`;
          const hop =
            route.method === 'GET'
              ? await client.request(url)
              : await client.request(url, { form: { _csrf: csrf } });
          expect(hop.status, `${role} ${route.method} ${route.path}`).not.toBe(401);
          if (hop.status !== 403) reached.push(`${route.method} ${route.path}`);
        }
        const expected = routes
          .filter((route) => (route.allow as readonly string[]).includes(role) && role !== 'ci')
          .map((route) => `${route.method} ${route.path}`);
        expect(reached, role).toEqual(expected);
      }
    });

    it('shows a person with no role the page that says to ask an administrator', async () => {
      const id = await signedInAs(store, server, 'Newcomer', []);
      const page = await withSession(new CookieClient(), id).request(`${server.url}/`);
      expect(page.status).toBe(403);
      expect(page.body).toContain('Ask an administrator');
      expect(await ledgerTypes(store)).toContain('server.access-denied');
    });

    it('grants and revokes roles from the admin page, ledgered; an auditor grant must end', async () => {
      const admin = withSession(
        new CookieClient(),
        await signedInAs(store, server, 'Admin', ['administrator']),
      );
      await signedInAs(store, server, 'Iris', []);
      const iris = (await listUsers(store)).find((user) => user.name === 'Iris');
      const csrf = await admin.csrfFrom(`${server.url}/admin/roles`);
      const noEnd = await admin.request(`${server.url}/admin/roles/grant`, {
        form: { _csrf: csrf, user: iris?.id ?? '', role: 'auditor' },
      });
      expect(noEnd.status).toBe(400);
      expect(noEnd.body).toContain('an auditor grant must end');
      const granted = await admin.request(`${server.url}/admin/roles/grant`, {
        form: { _csrf: csrf, user: iris?.id ?? '', role: 'auditor', expires: '2026-12-31' },
      });
      expect(granted.status).toBe(303);
      const revoked = await admin.request(`${server.url}/admin/roles/revoke`, {
        form: { _csrf: csrf, user: iris?.id ?? '', role: 'auditor' },
      });
      expect(revoked.status).toBe(303);
      const types = await ledgerTypes(store);
      expect(types.filter((type) => type === 'server.role-revoked')).toHaveLength(1);
      expect(types.filter((type) => type === 'server.role-granted').length).toBeGreaterThanOrEqual(2);
    });

    it('needs a recent sign-in to change roles (a session open for 20 minutes is refused, then a new one works)', async () => {
      const admin = withSession(
        new CookieClient(),
        await signedInAs(store, server, 'Ada Admin', ['administrator']),
      );
      await signedInAs(store, server, 'Ivo', []);
      const ivo = (await listUsers(store)).find((user) => user.name === 'Ivo');
      const before = (await ledgerTypes(store)).length;
      server.clock.advance(10 * 60_000);
      expect((await admin.request(`${server.url}/admin/roles`)).status).toBe(200);
      server.clock.advance(10 * 60_000);
      const csrf = await admin.csrfFrom(`${server.url}/admin/roles`);
      const stale = await admin.request(`${server.url}/admin/roles/grant`, {
        form: { _csrf: csrf, user: ivo?.id ?? '', role: 'developer' },
      });
      expect(stale.status).toBe(401);
      expect(stale.body).toContain('needs a sign-in within the last 15 minutes');
      expect((await ledgerTypes(store)).length).toBe(before);
      const again = withSession(
        new CookieClient(),
        await signedInAs(store, server, 'Ada Admin', ['administrator']),
      );
      const granted = await again.request(`${server.url}/admin/roles/grant`, {
        form: {
          _csrf: await again.csrfFrom(`${server.url}/admin/roles`),
          user: ivo?.id ?? '',
          role: 'developer',
        },
      });
      expect(granted.status).toBe(303);
    });

    it('lists a person’s own sessions and ends another of them, never someone else’s; an administrator ends all of a person’s', async () => {
      const first = withSession(new CookieClient(), await signedInAs(store, server, 'Sam', ['developer']));
      const second = withSession(new CookieClient(), await signedInAs(store, server, 'Sam', ['developer']));
      const other = withSession(new CookieClient(), await signedInAs(store, server, 'Tess', ['developer']));
      const listed = await first.request(`${server.url}/account/sessions`);
      expect(listed.status).toBe(200);
      const references = [...listed.body.matchAll(/<code>([0-9a-f]{16})<\/code>/g)].map((match) => match[1]);
      expect(references).toHaveLength(2);
      expect(listed.body).toContain('(this browser)');
      // Tess cannot end Sam's sessions by naming them.
      const tessCsrf = await other.csrfFrom(`${server.url}/account/sessions`);
      for (const reference of references)
        await other.request(`${server.url}/account/sessions/end`, {
          form: { _csrf: tessCsrf, session: reference ?? '' },
        });
      expect((await second.request(`${server.url}/`)).status).toBe(200);
      // Sam ends every other session from the first browser: the second is signed out.
      const csrf = await first.csrfFrom(`${server.url}/account/sessions`);
      const ended = await first.request(`${server.url}/account/sessions/end`, {
        form: { _csrf: csrf, session: 'others' },
      });
      expect(ended.status).toBe(303);
      expect((await second.request(`${server.url}/`)).status).toBe(303);
      expect((await first.request(`${server.url}/`)).status).toBe(200);
      expect(await ledgerTypes(store)).toContain('server.sessions-ended');
      // An administrator ends all of Tess's sessions.
      const admin = withSession(
        new CookieClient(),
        await signedInAs(store, server, 'Root', ['administrator']),
      );
      const tess = (await listUsers(store)).find((user) => user.name === 'Tess');
      const byAdmin = await admin.request(`${server.url}/admin/sessions/end`, {
        form: { _csrf: await admin.csrfFrom(`${server.url}/admin/roles`), user: tess?.id ?? '' },
      });
      expect(byAdmin.status).toBe(303);
      expect((await other.request(`${server.url}/`)).status).toBe(303);
    });

    it('an auditor grant that has ended grants nothing', async () => {
      const id = await signedInAs(store, server, 'Ida', ['auditor']);
      const client = withSession(new CookieClient(), id);
      expect((await client.request(`${server.url}/`)).status).toBe(200);
      server.clock.advance(31 * 86_400_000);
      const fresh = withSession(new CookieClient(), await signedInAs(store, server, 'Ida', []));
      expect((await fresh.request(`${server.url}/`)).status).toBe(403);
    });
  });
});

describe('errors show a reference, never internals', () => {
  let store: Store;
  let server: TestServer;

  beforeEach(async () => {
    store = await openStore({ kind: 'sqlite', path: ':memory:' });
    server = await startTestServer(store, {
      server: {
        plugins: [
          async (app) => {
            app.get('/boom', async () => {
              throw new Error('database password is hunter2 at /srv/secret/path');
            });
          },
        ],
      },
    });
  });

  afterEach(async () => {
    await server.close();
    await store.close();
  });

  it('answers 500 with a reference id that the log holds with the whole error', async () => {
    const hop = await new CookieClient().request(`${server.url}/boom`, { headers: { cookie: 'a=b' } });
    expect(hop.status).toBe(500);
    expect(hop.body).not.toContain('hunter2');
    expect(hop.body).not.toContain('/srv/secret');
    const reference = /Reference <code>([0-9a-f-]{36})<\/code>/.exec(hop.body)?.[1] ?? '';
    expect(reference).not.toBe('');
    const logged = server.logLines
      .map((line) => JSON.parse(line))
      .find((line) => line.reference === reference);
    expect(logged?.err?.message).toContain('hunter2');
    expect(server.logLines.join('\n')).not.toContain('a=b');
  });

  it('answers a form whose store write fails with 500 and a reference, never the store’s message', async () => {
    const id = await signedInAs(store, server, 'Dev', ['developer']);
    const client = withSession(new CookieClient(), id);
    const csrf = await client.csrfFrom(`${server.url}/changes`);
    // The store fails under the form: the ledger refuses every append (a full disk, say).
    await sql`create trigger refuse_appends before insert on ledger_entries begin select raise(abort, 'disk full at /srv/secret/path'); end`.execute(
      store.db,
    );
    const hop = await client.request(`${server.url}/changes`, {
      form: { _csrf: csrf, class: 'normal', title: 'a change' },
    });
    expect(hop.status).toBe(500);
    expect(hop.body).not.toContain('/srv/secret');
    expect(hop.body).not.toContain(':memory:');
    const reference = /Reference <code>([0-9a-f-]{36})<\/code>/.exec(hop.body)?.[1] ?? '';
    const logged = server.logLines
      .map((line) => JSON.parse(line))
      .find((line) => line.reference === reference);
    expect(logged?.err?.message).toContain('/srv/secret/path');
  });

  it('answers an oversized body with 413 and no internals', async () => {
    const hop = await new CookieClient().request(`${server.url}/login/local`, {
      body: 'x'.repeat(2 * 1024 * 1024),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(hop.status).toBe(413);
    expect(hop.body).toContain('too large');
  });
});

describe('rate limits and transport headers', () => {
  let store: Store;
  let server: TestServer;

  beforeEach(async () => {
    store = await openStore({ kind: 'sqlite', path: ':memory:' });
    server = await startTestServer(store, {
      // Behind a proxy at a public address: only with an identity provider (no local sign-in).
      config: {
        fileText:
          'publicUrl: https://shipguard.example.com\noidc:\n  issuer: https://id.example.com\n  clientId: shipguard\nrateLimit:\n  signInPerMinute: 3\n',
        oidcClientSecret: ['oidc', 'client', 'secret'].join('-'),
      },
    });
  });

  afterEach(async () => {
    await server.close();
    await store.close();
  });

  it('slows sign-in attempts down: the fourth in a minute is 429', async () => {
    const client = new CookieClient();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1)
      statuses.push((await client.request(`${server.url}/login`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('sends HSTS when the public URL is https', async () => {
    const page = await new CookieClient().request(`${server.url}/login`);
    expect(page.headers.get('strict-transport-security')).toContain('max-age=31536000');
  });
});
