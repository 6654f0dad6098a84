/**
 * The page flows in real headless Chromium, through the real server (buildServer: its
 * sessions, role checks and CSRF protection): HR imports training; an ISMS manager uploads a
 * pen-test report and the CTO approves the remediation plan; an auditor reads but every write is
 * refused (403); a post without the CSRF token, or with another session's, is refused; the
 * author of a change cannot approve it. Each person's session is made as a sign-in leaves it
 * (OIDC sign-in itself is tested in src/server/sign-in.browser.test.ts).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/index.js';
import { openTemporaryStore, type TemporaryStore } from '../../testing/temporary-store.js';
import { signedInAs, startTestServer, type TestServer, testClock } from '../__fixtures__/server-harness.js';
import { sessionCookieName } from '../sessions.js';
import { sessionCookieOptions } from '../sign-in-routes.js';
import { type Browser, launchBrowser } from './__fixtures__/browser.js';
import { now, seedDataset } from './__fixtures__/seed.js';
import { pageRoutes } from './routes.js';

describe('page flows in Chromium', () => {
  let temporary: TemporaryStore;
  let store: Store;
  let server: TestServer;
  let browser: Browser;
  const sessions = new Map<string, string>();

  /** Signs the browser in as `user`: a test-only route sets the session cookie, as a sign-in does. */
  async function as(user: string) {
    const response = await browser.context.request.get(`${server.url}/test/session/${user}`, {
      maxRedirects: 0,
    });
    expect(response.status()).toBe(204);
  }

  /** The CSRF token the server gives the signed-in user's pages (bound to their session). */
  async function csrfToken(tab: Page): Promise<string> {
    const page = await (await tab.request.get(`${server.url}/`)).text();
    return /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  }

  beforeAll(async () => {
    temporary = await openTemporaryStore('shipguard-flows-');
    store = temporary.store;
    const { company } = await seedDataset(store, { repositories: 2, assessments: 3 });
    const users = {
      hr: { name: 'Frances Allen', roles: ['hr'], signer: company.keys.hr.signer },
      cto: { name: 'Grace Hopper', roles: ['cto'], signer: company.keys.cto.signer },
      isms: { name: 'Katherine Johnson', roles: ['isms-manager'], signer: company.keys.katherine.signer },
      barbara: { name: 'Barbara Liskov', roles: ['development-team-lead'] },
      auditor: { name: 'Ida Auditor', roles: ['auditor'] },
    };
    const signers = new Map(
      Object.values(users).map((user) => [user.name, 'signer' in user ? user.signer : undefined]),
    );
    server = await startTestServer(store, {
      clock: testClock(now),
      config: { fileText: 'rateLimit:\n  perMinute: 100000\n' },
      server: {
        signerFor: async (user) => signers.get(user.name),
        plugins: [
          async (app) => {
            app.get('/test/session/:user', async (request, reply) => {
              const id = sessions.get((request.params as { user: string }).user) ?? '';
              return reply.setCookie(sessionCookieName, id, sessionCookieOptions).code(204).send();
            });
          },
        ],
      },
    });
    for (const [key, user] of Object.entries(users))
      sessions.set(key, await signedInAs(store, server, user.name, user.roles));
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await temporary?.remove();
  });

  it('lets an HR user import training from an LMS export', async () => {
    await as('hr');
    const tab = await browser.context.newPage();
    await tab.goto(`${server.url}/people`);
    const zoe = tab.locator('tr', { hasText: 'Zoe Quinn' });
    expect(await zoe.textContent()).toContain('annual awareness training');
    await tab.setInputFiles('input[name="file"]', {
      name: 'lms.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'person,course,course_version,kind,completed,expires\nzoe,Security Awareness,2026,Annual awareness,2026-11-20,2027-11-20\n',
      ),
    });
    await tab.getByRole('button', { name: 'Import training' }).click();
    await tab.waitForURL(`${server.url}/people`);
    expect(await tab.locator('.notice').textContent()).toBe(
      '1 training record imported (0 already recorded).',
    );
    expect(await tab.locator('tr', { hasText: 'Zoe Quinn' }).textContent()).not.toContain(
      'annual awareness training',
    );
    await tab.close();
  });

  it('takes a pen-test report from the ISMS manager and the remediation plan from the CTO', async () => {
    await as('isms');
    const tab = await browser.context.newPage();
    await tab.goto(`${server.url}/pen-tests`);
    const upload = tab.locator('form[action="/pen-tests"]');
    await upload.locator('input[name="engagement"]').fill('PT-2026-7');
    await upload.locator('input[name="tester"]').fill('Red Team Ltd');
    await upload.locator('input[name="started"]').fill('2026-11-16');
    await upload.locator('input[name="ended"]').fill('2026-11-20');
    await upload
      .locator('textarea[name="findings"]')
      .fill('F-1; high; IDOR on invoices\nF-2; medium; Weak rate limit on login');
    await upload.locator('input[name="report"]').setInputFiles({
      name: 'PT-2026-7.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.7 red team report'),
    });
    await upload.getByRole('button', { name: 'Upload report' }).click();
    await tab.waitForURL(`${server.url}/pen-tests`);
    expect(await tab.locator('.notice').textContent()).toMatch(
      /^Pen test pen-test:2026-11-20:[0-9a-f]{16} recorded with its report\.$/,
    );
    const engagement = tab.locator('#engagement-PT-2026-7');
    expect(await engagement.textContent()).toContain('awaiting CTO approval');
    // The ISMS manager may not approve the plan: no form for it.
    expect(await engagement.locator('form').count()).toBe(0);

    await as('cto');
    await tab.goto(`${server.url}/pen-tests`);
    const plan = tab.locator('#engagement-PT-2026-7 textarea[name="items"]');
    await plan.fill(
      'R-1; F-1; alan; 2026-12-20; Check ownership on every invoice read\nR-2; F-2; ken; 2027-01-10; Rate limit per account and address',
    );
    await tab
      .locator('#engagement-PT-2026-7')
      .getByRole('button', { name: 'Approve remediation plan' })
      .click();
    await tab.waitForURL(`${server.url}/pen-tests`);
    expect(await tab.locator('.notice').textContent()).toBe('Remediation plan of PT-2026-7 approved.');
    const approved = (await tab.locator('#engagement-PT-2026-7').textContent()) ?? '';
    expect(approved).toContain('approved by cto');
    expect(approved).toContain('Check ownership on every invoice read');
    await tab.close();
  });

  it('lets an auditor read every page, shows no form, and refuses every write with 403', async () => {
    await as('auditor');
    const tab = await browser.context.newPage();
    for (const path of [
      '/',
      '/records',
      '/pen-tests',
      '/changes',
      '/gate',
      '/exceptions',
      '/people',
      '/ledger',
    ]) {
      const response = await tab.goto(`${server.url}${path}`);
      expect(response?.status(), path).toBe(200);
      expect(await tab.locator('main form').count(), path).toBe(0);
    }
    const token = await csrfToken(tab);
    const posts = pageRoutes.filter((route) => route.method === 'POST');
    expect(posts.length).toBeGreaterThanOrEqual(7);
    for (const route of posts) {
      const path = route.path.replace(':engagement', 'PT-2026-1').replace(':id', 'CHG-2043');
      const response = await tab.request.post(`${server.url}${path}`, {
        form: { _csrf: token, title: 'x' },
        maxRedirects: 0,
      });
      expect(response.status(), path).toBe(403);
    }
    await tab.close();
  });

  it('refuses a post without its CSRF token, or with another session’s', async () => {
    await as('hr');
    const tab = await browser.context.newPage();
    const hrToken = await csrfToken(tab);
    await as('barbara');
    const barbaraToken = await csrfToken(tab);
    const form = { title: 'Rotate the signing key', class: 'normal', environment: 'production', commits: '' };
    const missing = await tab.request.post(`${server.url}/changes`, { form, maxRedirects: 0 });
    expect(missing.status()).toBe(403);
    const wrong = await tab.request.post(`${server.url}/changes`, {
      form: { ...form, _csrf: hrToken },
      maxRedirects: 0,
    });
    expect(wrong.status()).toBe(403);
    const right = await tab.request.post(`${server.url}/changes`, {
      form: { ...form, _csrf: barbaraToken },
      maxRedirects: 0,
    });
    expect(right.status()).toBe(303);
    await tab.close();
  });

  it('does not let the author of a change approve it', async () => {
    await as('barbara');
    const tab = await browser.context.newPage();
    await tab.goto(`${server.url}/changes`);
    const own = tab.locator('tr', { hasText: 'CHG-2043' });
    expect(await own.textContent()).toContain("you cannot approve: Barbara Liskov is the change's author");
    expect(await own.locator('form[action="/changes/CHG-2043/approve"]').count()).toBe(0);
    expect(await tab.locator('form[action="/changes/CHG-2045/approve"]').count()).toBe(1);
    // Forcing the post anyway: refused by the domain's separation of duties.
    const token = await csrfToken(tab);
    const forced = await tab.request.post(`${server.url}/changes/CHG-2043/approve`, {
      form: { _csrf: token },
      maxRedirects: 0,
    });
    expect(forced.status()).toBe(403);
    expect(await forced.text()).toContain('separation of duties');
    await tab.goto(`${server.url}/changes`);
    expect(await tab.locator('tr', { hasText: 'CHG-2043' }).textContent()).toContain('requested');
    // Someone else's change: approved through the form.
    await tab
      .locator('form[action="/changes/CHG-2045/approve"]')
      .getByRole('button', { name: 'Approve' })
      .click();
    await tab.waitForURL(`${server.url}/changes`);
    expect(await tab.locator('.notice').textContent()).toBe('Change CHG-2045 approved (approved).');
    await tab.close();
  });
});
