/**
 * Multipart forms through the real server: HR imports an LMS export (a file part handed to the
 * page route as an UploadedFile, signed with the key the server holds for them); a file over the
 * upload limit is refused with 413 before the route runs, cut off while streaming (never read
 * whole) and leaving no temporary file; a multipart post without its CSRF field is refused; a
 * file whose content is not of the declared (accepted) type is refused, and a declared type not
 * accepted before a byte is read; a pen-test report is kept under its SHA-256.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
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
const uploadFolder = join(folder, 'streaming');
mkdirSync(uploadFolder, { mode: 0o700 });
const lms =
  'person,course,course_version,kind,completed,expires\nzoe,Security Awareness,2026,Annual awareness,2026-11-20,2027-11-20\n';

describe('uploads through the real server', () => {
  let store: Store;
  let server: TestServer;
  let hr: CookieClient;
  let isms: CookieClient;

  beforeAll(async () => {
    store = await openStore({ kind: 'sqlite', path: join(folder, 'store.db') });
    const { company } = await seedDataset(store, { repositories: 1, assessments: 1 });
    server = await startTestServer(store, {
      clock: testClock(now),
      config: { fileText: 'limits:\n  uploadBytes: 4096\n' },
      server: {
        signerFor: async (user) =>
          user.name === 'Frances Allen'
            ? company.keys.hr.signer
            : user.name === 'Katherine Johnson'
              ? company.keys.katherine.signer
              : undefined,
        uploadFolder,
      },
    });
    hr = withSession(new CookieClient(), await signedInAs(store, server, 'Frances Allen', ['hr']));
    isms = withSession(
      new CookieClient(),
      await signedInAs(store, server, 'Katherine Johnson', ['isms-manager']),
    );
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

  it('refuses a multipart text field longer than a field may be, rather than take it cut off', async () => {
    const csrf = await hr.csrfFrom(`${server.url}/people`);
    // Past multipart's field size (100 KiB) the parser cuts the value: a signed record must never hold a cut text.
    const response = await post({ _csrf: csrf, note: 'ü'.repeat(60 * 1024) }, lms);
    expect(response.status).toBe(413);
  });

  it('refuses a multipart post without its CSRF field', async () => {
    const response = await post({}, lms);
    expect(response.status).toBe(403);
  });

  it('cuts an oversize file off while it streams: 413 long before the body ends, no file left', async () => {
    const csrf = await hr.csrfFrom(`${server.url}/people`);
    const boundary = `----shipguard${'7'.repeat(16)}`;
    const head = Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n` +
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="lms.csv"\r\ncontent-type: text/csv\r\n\r\n`,
    );
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const total = 64 * 1024 * 1024;
    // Writes only as fast as the server reads (backpressure) and stops at the answer: a server
    // that read the whole body before answering would have taken all of it.
    const { status, sent } = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      let answered = false;
      const request = httpRequest(
        `${server.url}/people/training`,
        {
          method: 'POST',
          headers: {
            cookie: hr.header(),
            'content-type': `multipart/form-data; boundary=${boundary}`,
          },
        },
        (response) => {
          answered = true;
          const code = response.statusCode ?? 0;
          response.resume();
          response.on('end', () => {
            request.destroy();
            resolve({ status: code, sent });
          });
        },
      );
      request.on('error', (error) => {
        if (!answered) reject(error);
      });
      const pump = () => {
        while (!answered && sent < total) {
          sent += chunk.length;
          if (!request.write(chunk)) {
            request.once('drain', pump);
            return;
          }
        }
        if (!answered) request.end(`\r\n--${boundary}--\r\n`);
      };
      request.write(head);
      pump();
    });
    expect(status).toBe(413);
    expect(sent).toBeLessThan(total / 2);
    expect(readdirSync(uploadFolder)).toEqual([]);
  });

  it('refuses a declared type it does not accept before reading the file, with 415', async () => {
    const csrf = await hr.csrfFrom(`${server.url}/people`);
    const response = await post({ _csrf: csrf }, '<html></html>', 'text/html');
    expect(response.status).toBe(415);
    expect(await response.text()).toContain('Files of that type are not accepted');
    expect(readdirSync(uploadFolder)).toEqual([]);
  });

  it('keeps a pen-test report content-addressed: the stored evidence is named by its SHA-256', async () => {
    const report = Buffer.from(`%PDF-1.7 streamed report ${'y'.repeat(2000)}`);
    const sha256 = createHash('sha256').update(report).digest('hex');
    const form = new FormData();
    const fields = {
      _csrf: await isms.csrfFrom(`${server.url}/pen-tests`),
      engagement: 'PT-2026-9',
      tester: 'Red Team Ltd',
      independence: 'external',
      started: '2026-11-16',
      ended: '2026-11-20',
      scope: 'input-validation',
      findings: 'F-1; high; IDOR on invoices',
    };
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    form.set('report', new Blob([report], { type: 'application/pdf' }), 'PT-2026-9.pdf');
    const response = await fetch(`${server.url}/pen-tests`, {
      method: 'POST',
      body: form,
      headers: { cookie: isms.header() },
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    const rows = (
      await sql<{
        sha256: string;
        content: string;
        media_type: string;
      }>`select sha256, content, media_type from record_evidence where sha256 = ${sha256}`.execute(store.db)
    ).rows;
    expect(rows).toHaveLength(1);
    expect(Buffer.from(rows[0]?.content ?? '', 'base64').equals(report)).toBe(true);
    expect(rows[0]?.media_type).toBe('application/pdf');
    expect(readdirSync(uploadFolder)).toEqual([]);
  });

  it("refuses a person's file once their day's uploads reach limits.uploadBytesPerDay (429), counting what streamed", async () => {
    const person = await sql<{
      id: string;
    }>`select id from server_users where name = 'Frances Allen'`.execute(store.db);
    const userId = person.rows[0]?.id ?? '';
    const allowance = server.config.limits.uploadBytesPerDay;
    const today = async () =>
      Number(
        (
          await sql<{ bytes: number | string | null }>`select sum(bytes) as bytes from server_form_uploads
            where user_id = ${userId}`.execute(store.db)
        ).rows[0]?.bytes ?? 0,
      );
    // The earlier tests' files counted already: top the day up to ten bytes short of the allowance.
    await sql`insert into server_form_uploads (user_id, uploaded_at, bytes)
      values (${userId}, ${server.clock.now().toISOString()}, ${allowance - 10 - (await today())})`.execute(
      store.db,
    );
    const csrf = await hr.csrfFrom(`${server.url}/people`);
    const over = await post({ _csrf: csrf }, lms);
    expect(over.status).toBe(429);
    expect(await today()).toBe(allowance - 10 + Buffer.byteLength(lms));
    // Now at the allowance: refused before a byte of the next file is read.
    expect((await post({ _csrf: csrf }, lms)).status).toBe(429);
    expect(readdirSync(uploadFolder)).toEqual([]);
  });

  it('refuses a file part from someone not signed in, before reading it (the sign-in forms take no file)', async () => {
    const anonymous = new CookieClient();
    const form = new FormData();
    form.set('_csrf', 'read-after-the-form');
    form.set('file', new Blob([lms], { type: 'text/csv' }), 'lms.csv');
    const response = await fetch(`${server.url}/login/local`, {
      method: 'POST',
      body: form,
      headers: { cookie: anonymous.header() },
      redirect: 'manual',
    });
    expect(response.status).toBe(401);
    expect(readdirSync(uploadFolder)).toEqual([]);
  });
});
