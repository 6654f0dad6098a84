/**
 * OIDC sign-in in real headless Chromium against the real server and a real provider: the first
 * administrator pastes the bootstrap token, signs in through the provider's login and consent
 * forms, and lands on the portfolio under the CSP with no violation; after 30 idle minutes
 * (the server's injected clock) the session is refused and the browser is sent to sign in; after
 * signing out, the old cookie never works again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/index.js';
import { openTemporaryStore, type TemporaryStore } from '../testing/temporary-store.js';
import {
  listenProvider,
  type TestProvider,
  testClientId,
  testClientSecret,
} from './__fixtures__/oidc-provider.js';
import { startTestServer, type TestServer, testClock } from './__fixtures__/server-harness.js';
import { issueBootstrapToken } from './accounts.js';
import { type Browser, launchBrowser } from './pages/__fixtures__/browser.js';
import { now, seedDataset } from './pages/__fixtures__/seed.js';
import { sessionCookieName } from './sessions.js';

describe('OIDC sign-in in Chromium', () => {
  let temporary: TemporaryStore;
  let store: Store;
  let provider: TestProvider;
  let server: TestServer;
  let browser: Browser;
  let bootstrapToken: string;

  beforeAll(async () => {
    temporary = await openTemporaryStore('shipguard-sign-in-');
    store = temporary.store;
    await seedDataset(store, { repositories: 2, assessments: 3 });
    provider = await listenProvider();
    server = await startTestServer(store, {
      clock: testClock(now),
      config: {
        fileText: `oidc:\n  issuer: ${provider.issuer}\n  clientId: ${testClientId}\n`,
        oidcClientSecret: testClientSecret,
      },
    });
    provider.start(`${server.url}/auth/callback`);
    bootstrapToken = await issueBootstrapToken(store, now);
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await provider?.close();
    await temporary?.remove();
  });

  it('signs the first administrator in through the provider’s forms to the portfolio', async () => {
    const tab = await browser.context.newPage();
    const violations: string[] = [];
    tab.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) violations.push(message.text());
    });
    await tab.goto(`${server.url}/`);
    await tab.waitForURL(`${server.url}/login`);
    await tab.fill('input[name="token"]', bootstrapToken);
    await tab.getByRole('button', { name: 'Sign in as the first administrator' }).click();
    await tab.waitForURL((url) => url.href.startsWith(provider.issuer));
    await tab.fill('input[name="login"]', 'ada');
    await tab.fill('input[name="password"]', 'any password');
    await tab.getByRole('button', { name: 'Sign-in' }).click();
    await tab.getByRole('button', { name: 'Continue' }).click();
    await tab.waitForURL(`${server.url}/`);
    expect(await tab.locator('h1').textContent()).toBe('Portfolio');
    expect(await tab.locator('.who .user').textContent()).toBe('Person ada');
    expect(await tab.locator('.who .roles').textContent()).toBe('administrator');
    const cookie = (await browser.context.cookies(server.url)).find(
      (item) => item.name === sessionCookieName,
    );
    expect(cookie?.secure).toBe(true);
    expect(cookie?.httpOnly).toBe(true);
    expect(['Lax', 'Strict']).toContain(cookie?.sameSite);
    expect(violations.filter((text) => !text.includes(provider.issuer))).toEqual([]);
    await tab.close();
  });

  it('refuses the session after 30 idle minutes and sends the browser to sign in', async () => {
    const tab = await browser.context.newPage();
    await tab.goto(`${server.url}/gate`);
    expect(await tab.locator('h1').textContent()).toBe('Gate decisions');
    server.clock.advance(31 * 60_000);
    await tab.goto(`${server.url}/gate`);
    await tab.waitForURL(`${server.url}/login`);
    expect(await tab.locator('h1').textContent()).toBe('Sign in');
    await tab.close();
  });
});
