/**
 * The pages in real headless Chromium, over a store seeded by the domains' own functions: each
 * main page loads under the server's CSP with no violation, its stylesheet applies, its pictures
 * draw, and a screenshot is taken. With SHIPGUARD_SCREENSHOTS=<folder> the screenshots are kept
 * there (docs/screenshots is refreshed with `SHIPGUARD_SCREENSHOTS=docs/screenshots npm run test:browser`).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/index.js';
import { openTemporaryStore, type TemporaryStore } from '../../testing/temporary-store.js';
import { type Browser, launchBrowser } from './__fixtures__/browser.js';
import { type PageServer, startPageServer, userCookie } from './__fixtures__/page-server.js';
import { now, repositoryRoot, seedDataset } from './__fixtures__/seed.js';

const keep = process.env['SHIPGUARD_SCREENSHOTS'];
const folder = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'shipguard-screenshots-'));

const pages: ReadonlyArray<{
  name: string;
  path: string;
  heading: string;
  expect: string[];
  pictures: number;
}> = [
  {
    name: 'portfolio',
    path: '/',
    heading: 'Portfolio',
    expect: ['payments-api', 'Overdue', 'PT-2026-1/R-3'],
    pictures: 2,
  },
  {
    name: 'repository',
    path: `/repositories/${encodeURIComponent(repositoryRoot('payments-api'))}`,
    heading: 'payments-api',
    expect: ['exception until', 'GOV-01'],
    pictures: 2,
  },
  {
    name: 'records',
    path: '/records',
    heading: 'Records',
    expect: ['Overdue', 'Guido van Rossum', 'Sign and record'],
    pictures: 0,
  },
  {
    name: 'pen-tests',
    path: '/pen-tests',
    heading: 'Penetration tests',
    expect: ['PT-2026-2', 'Approve remediation plan', 'overdue'],
    pictures: 1,
  },
  {
    name: 'changes',
    path: '/changes',
    heading: 'Changes',
    expect: ['CHG-2043', 'Approve', 'Request a change'],
    pictures: 0,
  },
  {
    name: 'gate',
    path: '/gate',
    heading: 'Gate decisions',
    expect: ['deny', 'no approved change names this artefact'],
    pictures: 0,
  },
  {
    name: 'exceptions',
    path: '/exceptions',
    heading: 'Exceptions',
    expect: ['Margaret Hamilton', 'd left'],
    pictures: 0,
  },
  {
    name: 'people',
    path: '/people',
    heading: 'People coverage',
    expect: ['Zoe', 'Import training'],
    pictures: 3,
  },
  {
    name: 'ledger',
    path: '/ledger/entries/5',
    heading: 'Ledger',
    expect: ['Inclusion proof for entry #5', 'verified', 'Signed checkpoints'],
    pictures: 0,
  },
];

describe('pages in Chromium', () => {
  let temporary: TemporaryStore;
  let store: Store;
  let server: PageServer;
  let browser: Browser;

  beforeAll(async () => {
    temporary = await openTemporaryStore('shipguard-pages-');
    store = temporary.store;
    await seedDataset(store);
    server = await startPageServer(
      store,
      { cto: { name: 'Grace Hopper', roles: ['cto', 'hr', 'isms-manager'] } },
      now,
    );
    browser = await launchBrowser();
    await browser.context.addCookies([{ name: userCookie, value: 'cto', url: server.url }]);
    mkdirSync(folder, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await temporary?.remove();
    if (!keep) rmSync(folder, { recursive: true, force: true });
  });

  for (const page of pages) {
    it(`renders ${page.name} under the CSP, styled, and takes its screenshot`, async () => {
      const tab = await browser.context.newPage();
      const violations: string[] = [];
      tab.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
      });
      const response = await tab.goto(`${server.url}${page.path}`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
      expect(await tab.locator('h1').textContent()).toBe(page.heading);
      const text = (await tab.locator('main').textContent()) ?? '';
      for (const expected of page.expect) expect(text).toContain(expected);
      // The stylesheet applied: the top bar has its colour, the active section is marked.
      expect(
        await tab.evaluate("getComputedStyle(document.querySelector('header.top')).backgroundColor"),
      ).toBe('rgb(15, 26, 46)');
      expect(await tab.locator('nav a.active').count()).toBe(1);
      // Pictures drawn as SVG with a size (not collapsed to nothing).
      const figures = tab.locator('svg.trend, svg.donut, svg.bar');
      expect(await figures.count()).toBeGreaterThanOrEqual(page.pictures);
      for (let index = 0; index < page.pictures; index += 1) {
        const box = await figures.nth(index).boundingBox();
        expect(box?.width).toBeGreaterThan(40);
      }
      await tab.evaluate('new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)))');
      expect(violations).toEqual([]);
      const file = join(folder, `${page.name}.png`);
      const height = await tab.evaluate('document.documentElement.scrollHeight');
      await tab.screenshot({
        path: file,
        fullPage: true,
        clip: { x: 0, y: 0, width: 1440, height: Math.min(Number(height), 2400) },
      });
      expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
      await tab.close();
    });
  }

  it('has the browser refuse an inline script the CSP does not allow (the check above can fail)', async () => {
    const tab = await browser.context.newPage();
    const violations: string[] = [];
    tab.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await tab.goto(`${server.url}/`);
    await tab.evaluate(
      "(() => { const script = document.createElement('script'); script.textContent = 'document.title = \"ran\"'; document.body.append(script); })()",
    );
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect(await tab.title()).not.toBe('ran');
    expect(violations.length).toBeGreaterThan(0);
    await tab.close();
  });
});
