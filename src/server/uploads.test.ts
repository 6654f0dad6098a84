/**
 * Multipart forms through the real server: HR imports an LMS export (a file part handed to the
 * page route as an UploadedFile, signed with the key the server holds for them); a file over the
 * upload limit is refused with 413 before the route runs; a multipart post without its CSRF
 * field is refused; a file whose content is not of the declared (accepted) type is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/index.js';
import {
  CookieClient,
  signedInAs,
  startTestServer,
  type TestServer,
  testClock,
  withSession,
} from './__fixtures__/server-harness.js';
import { now, seedDataset } from './pages/__fixtures__/seed.js';

const folder = mkdtempSync(join(tmpdir(), 'shipguard-uploads-'));
const lms =
  'person,course,course_version,kind,completed,expires\nzoe,Security Awareness,2026,Annual awareness,2026-11-20,2027-11-20\n';

describe('uploads through the real server', () => {
  let store: Store;
  let server: TestServer;
  let hr: CookieClient;

  beforeAll(async () => {
    store = await openStore({ kind: 'sqlite', path: join(folder, 'store.db') });
    const { company } = await seedDataset(store, { repositories: 1, assessments: 1 });
    server = await startTestServer(store, {
      clock: testClock(now),
      config: { fileText: 'limits:\n  uploadBytes: 4096\n' },
      server: {
        signerFor: async (user) => (user.name === 'Frances Allen' ? company.keys.hr.signer : undefined),
      },
    });
    hr = withSession(new CookieClient(), await signedInAs(store, server, 'Frances Allen', ['hr']));
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await store?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  async function post(fields: Record<string, string>, file: string | Buffer, type = 'text/csv') {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    form.set('file', new Blob([file], { type }), 'lms.csv');
    return fetch(`${server.url}/people/training`, {
      method: 'POST',
      body: form,
      headers: { cookie: hr.header() },
      redirect: 'manual',
    });
  }

  it('hands the file part to the page route, which imports it signed', async () => {
    const csrf = await hr.csrfFrom(`${server.url}/people`);
    const response = await post({ _csrf: csrf }, lms);
    expect(response.status).toBe(303);
    const notice = response.headers
      .getSetCookie()
      .find((line) => line.startsWith('__Host-shipguard-notice='));
    hr.set('__Host-shipguard-notice', (notice ?? '').split(';')[0]?.split('=').slice(1).join('=') ?? '');
    const page = await hr.request(`${server.url}/people`);
    expect(page.body).toContain('1 training record imported');
  });

  it('refuses a file whose content is not what it claims, and imports nothing', async () => {
    const count = async () =>
      (await sql<{ id: string }>`select id from records`.execute(store.db)).rows.length;
    const before = await count();
    const csrf = await hr.csrfFrom(`${server.url}/people`);
    const binary = Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]);
    const response = await post({ _csrf: csrf }, binary);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('lms.csv: the content is none of the accepted kinds');
    const pdf = await post({ _csrf: await hr.csrfFrom(`${server.url}/people`) }, '%PDF-1.7 x', 'text/csv');
    expect(pdf.status).toBe(400);
    expect(await pdf.text()).toContain('declared as text/csv, but the content is a PDF document');
    expect(await count()).toBe(before);
  });

  it('refuses a file over the upload limit with 413', async () => {
    const csrf = await hr.csrfFrom(`${server.url}/people`);
    const response = await post({ _csrf: csrf }, `${lms}${'x'.repeat(5000)}`);
    expect(response.status).toBe(413);
  });

  it('refuses a multipart post without its CSRF field', async () => {
    const response = await post({}, lms);
    expect(response.status).toBe(403);
  });
});
