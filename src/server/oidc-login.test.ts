/**
 * OIDC sign-in against a real provider (oidc-provider on loopback) through openid-client: the
 * code flow with PKCE, state and nonce; the bootstrap token makes the first administrator once;
 * an unknown person gets no role; a callback with a tampered state is refused; a sign-in whose
 * ID token shows one factor leaves the privileged roles unusable in that session (decision 0010).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEntries, readHead } from '../ledger/index.js';
import { openStore, type Store } from '../store/index.js';
import {
  type LoginAuthentication,
  listenProvider,
  type TestProvider,
  testClientId,
  testClientSecret,
} from './__fixtures__/oidc-provider.js';
import { CookieClient, startTestServer, type TestServer } from './__fixtures__/server-harness.js';
import { grantRole, issueBootstrapToken, upsertUser } from './accounts.js';
import { defaultMultiFactorAcr } from './multi-factor.js';
import { sessionCookieName } from './sessions.js';

/** Follows the provider's dev login and consent forms; returns the callback URL it sends us to. */
async function signInAtProvider(client: CookieClient, start: string, provider: TestProvider, login: string) {
  let location = start;
  for (let hop = 0; hop < 12; hop += 1) {
    const url = new URL(location, provider.issuer);
    if (!url.href.startsWith(provider.issuer)) return url.href;
    const page = await client.request(url.href);
    if (page.location) {
      location = page.location;
      continue;
    }
    const action = /<form[^>]*action="([^"]+)"/.exec(page.body)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(page.body)?.[1];
    if (!action || !prompt) throw new Error(`unexpected provider page ${page.status}`);
    const form: Record<string, string> = prompt === 'login' ? { prompt, login, password: 'any' } : { prompt };
    const submitted = await client.request(new URL(action, provider.issuer).href, { form });
    location = submitted.location ?? '';
  }
  throw new Error('too many hops at the provider');
}

describe('OIDC sign-in with a real provider', () => {
  let store: Store;
  let provider: TestProvider;
  let server: TestServer;
  /** How the provider says the next login authenticated (default: password and one-time code). */
  let authentication: LoginAuthentication;

  beforeEach(async () => {
    store = await openStore({ kind: 'sqlite', path: ':memory:' });
    authentication = { amr: ['pwd', 'otp'] };
    provider = await listenProvider(() => authentication);
    server = await startTestServer(store, {
      config: {
        fileText: `oidc:\n  issuer: ${provider.issuer}\n  clientId: ${testClientId}\n`,
        oidcClientSecret: testClientSecret,
      },
    });
    provider.start(`${server.url}/auth/callback`);
  });

  afterEach(async () => {
    await server.close();
    await provider.close();
    await store.close();
  });

  async function beginSignIn(client: CookieClient, path = '/login', fields: Record<string, string> = {}) {
    const csrf = await client.csrfFrom(`${server.url}/login`);
    const begin = await client.request(`${server.url}${path}`, { form: { _csrf: csrf, ...fields } });
    expect(begin.status).toBe(303);
    const authorize = new URL(begin.location ?? '');
    expect(authorize.origin).toBe(provider.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    return authorize.href;
  }

  it('signs a person in with PKCE, state and nonce; with no grant they hold no role', async () => {
    const client = new CookieClient();
    const callback = await signInAtProvider(client, await beginSignIn(client), provider, 'grace');
    expect(callback.startsWith(`${server.url}/auth/callback?`)).toBe(true);
    const done = await client.request(callback);
    expect(done.status).toBe(303);
    expect(client.cookies.has(sessionCookieName)).toBe(true);
    const page = await client.request(`${server.url}/`);
    expect(page.status).toBe(403);
    expect(page.body).toContain('Person grace');
    expect(page.body).toContain('Ask an administrator');
  });

  it('makes the first administrator with the bootstrap token, once', async () => {
    const token = await issueBootstrapToken(store, server.clock.now());
    const first = new CookieClient();
    await first.request(
      await signInAtProvider(first, await beginSignIn(first, '/login/bootstrap', { token }), provider, 'ada'),
    );
    const roles = await first.request(`${server.url}/admin/roles`);
    expect(roles.status).toBe(200);
    expect(roles.body).toContain('Person ada');
    const second = new CookieClient();
    const csrf = await second.csrfFrom(`${server.url}/login`);
    const again = await second.request(`${server.url}/login/bootstrap`, { form: { _csrf: csrf, token } });
    expect(again.status).toBe(403);
    // The sign-in cookie never carried the token itself.
    expect(JSON.stringify([...first.cookies.values()])).not.toContain(token);
  });

  it('refuses a bootstrap token printed more than a day ago', async () => {
    const token = await issueBootstrapToken(store, server.clock.now());
    server.clock.advance(24 * 3_600_000 + 1_000);
    const client = new CookieClient();
    const csrf = await client.csrfFrom(`${server.url}/login`);
    const late = await client.request(`${server.url}/login/bootstrap`, { form: { _csrf: csrf, token } });
    expect(late.status).toBe(403);
    expect(late.body).toContain('more than a day ago');
    const fresh = await issueBootstrapToken(store, server.clock.now());
    const again = await client.request(`${server.url}/login/bootstrap`, {
      form: { _csrf: await client.csrfFrom(`${server.url}/login`), token: fresh },
    });
    expect(again.status).toBe(303);
  });

  it('offers no local sign-in when OIDC is configured', async () => {
    const client = new CookieClient();
    const page = await client.request(`${server.url}/login`);
    expect(page.body).not.toContain('Local development sign-in');
    const csrf = await client.csrfFrom(`${server.url}/login`);
    const local = await client.request(`${server.url}/login/local`, {
      form: { _csrf: csrf, token: 'anything' },
    });
    expect(local.status).toBe(404);
  });

  it('refuses a callback whose state does not match the sign-in it began', async () => {
    const client = new CookieClient();
    const callback = new URL(await signInAtProvider(client, await beginSignIn(client), provider, 'mallory'));
    callback.searchParams.set('state', 'forged-state');
    const refused = await client.request(callback.href);
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('Reference');
    expect(client.cookies.has(sessionCookieName)).toBe(false);
  });

  it('refuses a callback with no sign-in in progress (no sign-in cookie)', async () => {
    const client = new CookieClient();
    const callback = await signInAtProvider(client, await beginSignIn(client), provider, 'eve');
    const stranger = new CookieClient();
    const refused = await stranger.request(callback);
    expect(refused.status).toBe(400);
  });

  async function signedInEntries(): Promise<Record<string, unknown>[]> {
    const entries = await readEntries(store, 0, (await readHead(store)).size);
    return entries
      .map((entry) => JSON.parse(entry.entry) as { type: string; data: Record<string, unknown> })
      .filter((entry) => entry.type === 'server.signed-in')
      .map((entry) => entry.data);
  }

  it('withholds the privileged roles of a one-factor sign-in, says why, and gives them after a second factor', async () => {
    const now = server.clock.now();
    const bob = await upsertUser(store, { issuer: provider.issuer, subject: 'bob', name: 'Person bob' }, now);
    for (const role of ['administrator', 'auditor'])
      await grantRole(store, {
        userId: bob.id,
        role,
        grantedBy: 'test',
        ...(role === 'auditor' ? { expiresAt: new Date(now.getTime() + 86_400_000) } : {}),
        now,
      });
    for (const oneFactor of [{ amr: ['pwd'] }, { amr: ['pwd', 'kba'] }, {}]) {
      authentication = oneFactor;
      const client = new CookieClient();
      await client.request(await signInAtProvider(client, await beginSignIn(client), provider, 'bob'));
      const home = await client.request(`${server.url}/`);
      expect(home.status).toBe(200); // the auditor role needs no second factor
      expect(home.body).toContain('need');
      expect(home.body).toContain('second factor');
      expect((await client.request(`${server.url}/admin/roles`)).status).toBe(403);
    }
    expect((await signedInEntries()).at(-1)).toMatchObject({
      multiFactor: false,
      withheldRoles: ['administrator'],
    });
    for (const secondFactor of [
      { amr: ['pwd', 'otp'] },
      { amr: ['mfa'] },
      { acr: defaultMultiFactorAcr[0] as string },
    ]) {
      authentication = secondFactor;
      const client = new CookieClient();
      await client.request(await signInAtProvider(client, await beginSignIn(client), provider, 'bob'));
      expect((await client.request(`${server.url}/admin/roles`)).status).toBe(200);
      expect((await client.request(`${server.url}/`)).body).not.toContain('second factor');
    }
    const last = (await signedInEntries()).at(-1);
    expect(last).toMatchObject({ multiFactor: true });
    expect(last).not.toHaveProperty('withheldRoles');
  });

  it('asks the provider for a multi-factor class when configured to', async () => {
    const asking = await startTestServer(store, {
      config: {
        fileText: `oidc:\n  issuer: ${provider.issuer}\n  clientId: ${testClientId}\n  multiFactor:\n    requestAcr: true\n    acr: [urn:example:mfa]\n`,
        oidcClientSecret: testClientSecret,
      },
    });
    try {
      const client = new CookieClient();
      const csrf = await client.csrfFrom(`${asking.url}/login`);
      const begin = await client.request(`${asking.url}/login`, { form: { _csrf: csrf } });
      expect(new URL(begin.location ?? '').searchParams.get('acr_values')).toBe('urn:example:mfa');
    } finally {
      await asking.close();
    }
    const plain = new CookieClient();
    expect(new URL(await beginSignIn(plain)).searchParams.has('acr_values')).toBe(false);
  });
});
