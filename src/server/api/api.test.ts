/**
 * The JSON API over real HTTP on loopback, on SQLite and PostgreSQL: every route with every
 * role, uploads bound to the principal's repository, streamed with limits, kept by hash and
 * ledgered; and the OpenAPI document generated from the routes' schemas.
 */
import { readdirSync } from 'node:fs';
import { Ajv } from 'ajv';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readHead } from '../../ledger/index.js';
import { readEvidence } from '../../records/index.js';
import { reportFormats } from '../../report/index.js';
import { openStore, type Store } from '../../store/index.js';
import { startTestIssuer, type TestIssuer } from '../../testing/oidc-issuer.js';
import { sampleAssessment } from '../../testing/sample-assessment.js';
import { describeOnEveryStore, type StoreBackend } from '../../testing/store-backends.js';
import { serverRoles } from '../pages/index.js';
import type { RequestPrincipal } from '../principal.js';
import { type ApiTestServer, startApiServer } from './__fixtures__/api-server.js';
import { apiRoutes, mayUse } from './routes.js';
import { portfolioResponse } from './schemas.js';

const validatePortfolio = new Ajv({ strict: false, allErrors: true }).compile(portfolioResponse);

import { createApiToken, tokenRoles } from './tokens.js';

const serviceRepo = 'github.com/acme/service';
const otherRepo = 'github.com/acme/other';
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(async () => {
  await issuer.close();
});

function assessmentJson(id = '01J0SAMPLE0ASSESSMENT00001'): string {
  return reportFormats.json.render({ ...sampleAssessment(), id }, { color: false });
}

const cycloneDx = () =>
  JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    components: [{ type: 'library', name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0' }],
  });
const gateDecision = (changes: Record<string, unknown> = {}) =>
  JSON.stringify({
    schemaVersion: 1,
    decisionId: 'gate-1',
    result: 'allow',
    environment: 'production',
    at: '2026-12-01T12:00:00.000Z',
    deployer: 'ci',
    policy: 'main@abc',
    rules: [{ id: 'provenance', outcome: 'pass', reason: 'verified' }],
    overrides: [],
    ...changes,
  });
const dsse = () =>
  JSON.stringify({
    payloadType: 'application/vnd.in-toto+json',
    payload: Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}').toString('base64'),
    signatures: [{ keyid: 'k', sig: Buffer.from('signature').toString('base64') }],
  });

function uploadBody(url: string): string {
  if (url.endsWith('/sboms')) return cycloneDx();
  if (url.endsWith('/gate-decisions')) return gateDecision();
  if (url.endsWith('/provenance')) return dsse();
  return assessmentJson();
}

await describeOnEveryStore('API', (name: string, backend: StoreBackend) => {
  describe(`API (${name})`, () => {
    let store: Store | undefined;
    let server: ApiTestServer | undefined;
    afterEach(async () => {
      await server?.close();
      await store?.close();
      server = undefined;
      store = undefined;
    });

    async function start(
      options: { maxUploadBytes?: number; uploadBytesPerDay?: number; clock?: () => Date } = {},
    ) {
      store = await openStore(await backend.createLocation());
      server = await startApiServer(store, {
        ...options,
        workloadIssuers: [{ issuer: issuer.url, audience: 'shipguard', host: 'github.com' }],
      });
      return { store, server };
    }

    async function tokenFor(opened: Store, roles: string[], repositories = [serviceRepo]): Promise<string> {
      const { token } = await createApiToken(opened, {
        name: `${roles.join('+')} token`,
        roles,
        repositories,
        createdBy: 'test',
        expiresAt: inDays(30),
        now: new Date(),
      });
      return token;
    }

    async function call(
      url: string,
      token: string | undefined,
      init: { method?: string; body?: string | Uint8Array; type?: string; query?: string } = {},
    ): Promise<{ status: number; body: Record<string, unknown> }> {
      const response = await fetch(`${server?.url}${url}${init.query ?? ''}`, {
        method: init.method ?? 'GET',
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(init.body !== undefined ? { 'content-type': init.type ?? 'application/json' } : {}),
        },
        ...(init.body !== undefined ? { body: init.body } : {}),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
      };
    }

    function path(url: string): string {
      return url.replace(':id', encodeURIComponent(serviceRepo));
    }

    it('lets every role use exactly the routes that allow it', async () => {
      const { store: opened } = await start();
      for (const role of tokenRoles) {
        const token = await tokenFor(opened, [role]);
        for (const route of apiRoutes) {
          const answer = await call(path(route.url), token, {
            method: route.method,
            ...(route.method === 'POST' ? { body: uploadBody(route.url) } : {}),
          });
          const allowed = route.allow.includes(role);
          const label = `${role} ${route.method} ${route.url}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`;
          if (allowed) expect([200, 201, 404], label).toContain(answer.status);
          else expect(answer.status, label).toBe(403);
        }
      }
      // CI uploads only; every person's role reads; nobody else writes.
      for (const route of apiRoutes)
        expect(route.allow.includes('ci'), route.url).toBe(route.method === 'POST');
      const session = (roles: RequestPrincipal['roles']): RequestPrincipal & { kind: 'session' } => ({
        kind: 'session',
        subject: 'iss|sub',
        name: 'Ada',
        roles,
      });
      for (const role of serverRoles) {
        for (const route of apiRoutes) {
          // A session cookie never authorises an API write (no CSRF surface): uploads are bearer-only.
          expect(mayUse(route, session([role]), new Date()), `${role} ${route.url}`).toBe(
            route.method === 'GET' && role !== 'ci',
          );
        }
      }
      const expiredAuditor: RequestPrincipal = {
        ...session(['auditor']),
        rolesExpireAt: new Date(Date.now() - 1000),
      };
      expect(apiRoutes.some((route) => mayUse(route, expiredAuditor, new Date()))).toBe(false);
    });

    it('answers 401 without a valid bearer, before reading the body', async () => {
      await start();
      for (const route of apiRoutes) {
        const answer = await call(path(route.url), undefined, {
          method: route.method,
          ...(route.method === 'POST' ? { body: uploadBody(route.url) } : {}),
        });
        expect(answer.status, route.url).toBe(401);
        expect(answer.body['error']).toBe('UNAUTHENTICATED');
      }
      expect((await call('/api/v1/portfolio', `sgp_${'x'.repeat(43)}`)).status).toBe(401);
      expect(readdirSync(server?.uploadFolder ?? '')).toEqual([]);
    });

    it('records a CI assessment under its repository, ledgered, readable by people, once', async () => {
      const { store: opened } = await start();
      const ci = await tokenFor(opened, ['ci']);
      const auditor = await tokenFor(opened, ['auditor'], ['*']);
      // Read once before the upload: the portfolio kept since must not hide the new assessment.
      expect((await call('/api/v1/portfolio', auditor)).body['repositories']).toEqual([]);
      const uploaded = await call('/api/v1/assessments', ci, { method: 'POST', body: assessmentJson() });
      expect(uploaded.status).toBe(201);
      expect(uploaded.body).toMatchObject({
        kind: 'assessment',
        repository: serviceRepo,
        id: '01J0SAMPLE0ASSESSMENT00001',
      });
      expect((await readHead(opened)).size).toBe(3); // two tokens made, one upload
      const again = await call('/api/v1/assessments', ci, { method: 'POST', body: assessmentJson() });
      expect(again).toMatchObject({ status: 200, body: { alreadyRecorded: true } });
      expect((await readHead(opened)).size).toBe(3);
      const portfolio = await call('/api/v1/portfolio', auditor);
      expect(portfolio.status).toBe(200);
      const repositories = portfolio.body['repositories'] as Array<Record<string, unknown>>;
      expect(repositories.map((entry) => entry['repository'])).toEqual([serviceRepo]);
      expect(repositories[0]?.['summary']).toEqual(sampleAssessment().summary);
      expect(repositories[0]?.['areas']).toMatchObject({
        governance: expect.stringMatching(/^(fail|partial|unknown|pass|not-applicable)$/),
      });
      expect(validatePortfolio(portfolio.body), JSON.stringify(validatePortfolio.errors)).toBe(true);
      const raw = await fetch(`${server?.url}/api/v1/portfolio`, {
        headers: { authorization: `Bearer ${auditor}`, 'accept-encoding': 'gzip' },
      });
      expect(raw.headers.get('content-encoding')).toBe('gzip');
      expect(await raw.json()).toEqual(portfolio.body);
      const etag = raw.headers.get('etag') ?? '';
      const unchanged = await fetch(`${server?.url}/api/v1/portfolio`, {
        headers: { authorization: `Bearer ${auditor}`, 'if-none-match': etag },
      });
      expect(unchanged.status).toBe(304);
      const latest = await call(path('/api/v1/repositories/:id/assessments/latest'), auditor);
      expect(latest.status).toBe(200);
      expect(latest.body['id']).toBe('01J0SAMPLE0ASSESSMENT00001');
      expect((latest.body['controls'] as unknown[]).length).toBe(sampleAssessment().controls.length);
      // A token scoped to another repository sees nothing of this one.
      const narrow = await tokenFor(opened, ['developer'], [otherRepo]);
      expect((await call('/api/v1/portfolio', narrow)).body['repositories']).toEqual([]);
      expect((await call(path('/api/v1/repositories/:id/assessments/latest'), narrow)).status).toBe(404);
    });

    it('binds an upload to the principal: a token or CI identity for one repository cannot upload for another', async () => {
      const { store: opened } = await start();
      const ci = await tokenFor(opened, ['ci']);
      const other = `?repository=${encodeURIComponent(otherRepo)}`;
      expect(
        await call('/api/v1/assessments', ci, { method: 'POST', body: assessmentJson(), query: other }),
      ).toMatchObject({
        status: 403,
        body: { error: 'API_REPOSITORY_FORBIDDEN' },
      });
      const everything = await tokenFor(opened, ['ci'], ['*']);
      expect((await call('/api/v1/sboms', everything, { method: 'POST', body: cycloneDx() })).status).toBe(
        403,
      );
      const workload = await issuer.token();
      expect(
        (
          await call('/api/v1/gate-decisions', workload, {
            method: 'POST',
            body: gateDecision(),
            query: other,
          })
        ).status,
      ).toBe(403);
      const accepted = await call('/api/v1/assessments', workload, {
        method: 'POST',
        body: assessmentJson('01J0WORKLOAD'),
      });
      expect(accepted).toMatchObject({ status: 201, body: { repository: serviceRepo } });
      // The same assessment id cannot be moved to another repository.
      const both = await tokenFor(opened, ['ci'], [otherRepo]);
      expect(
        (await call('/api/v1/assessments', both, { method: 'POST', body: assessmentJson('01J0WORKLOAD') }))
          .status,
      ).toBe(409);
      const untrusted = await issuer.token({}, { audience: 'someone-else' });
      expect(
        (await call('/api/v1/assessments', untrusted, { method: 'POST', body: assessmentJson('01J0X') }))
          .status,
      ).toBe(401);
      const rows = await opened.db
        .selectFrom('assessments')
        .select(['id', 'repository'])
        .orderBy('id')
        .execute();
      expect(rows).toEqual([{ id: '01J0WORKLOAD', repository: serviceRepo }]);
    });

    it('keeps SBOMs, gate decisions and provenance by hash, ledgered; refuses what is not one', async () => {
      const { store: opened } = await start();
      const ci = await tokenFor(opened, ['ci']);
      for (const [url, body, type] of [
        ['/api/v1/sboms', cycloneDx(), 'application/vnd.cyclonedx+json'],
        ['/api/v1/gate-decisions', gateDecision(), 'application/json'],
        ['/api/v1/provenance', dsse(), 'application/vnd.in-toto+json'],
      ] as const) {
        const answer = await call(url, ci, { method: 'POST', body, type });
        expect(answer.status, `${url} ${JSON.stringify(answer.body)}`).toBe(201);
        const sha256 = String(answer.body['sha256']);
        const kept = await readEvidence(opened, sha256);
        expect(kept?.content.toString('utf8')).toBe(body);
        expect(kept?.mediaType).toBe(type);
      }
      expect((await readHead(opened)).size).toBe(4);
      const refused = [
        ['/api/v1/sboms', JSON.stringify({ hello: 'world' }), 422],
        ['/api/v1/gate-decisions', gateDecision({ dryRun: true }), 422],
        ['/api/v1/gate-decisions', gateDecision({ result: 'maybe' }), 400],
        ['/api/v1/provenance', JSON.stringify({ payloadType: 'x', payload: '***', signatures: [] }), 400],
        [
          '/api/v1/provenance',
          JSON.stringify({ payloadType: 'x', payload: '!!', signatures: [{ sig: 'a' }] }),
          422,
        ],
        [
          '/api/v1/assessments',
          JSON.stringify({ schemaVersion: 1, id: 'x', startedAt: 'y', controls: [] }),
          422,
        ],
        ['/api/v1/assessments', '{not json', 422],
        // Kept byte for byte, so never kept holding a credential (built at run time).
        [
          '/api/v1/sboms',
          cycloneDx().replace(
            'pkg:npm/left-pad@1.3.0',
            ['https://ci', 'hunter2hunter2@git.example.org/x.git'].join(':'),
          ),
          422,
        ],
      ] as const;
      for (const [url, body, status] of refused) {
        const answer = await call(url, ci, { method: 'POST', body });
        expect(answer.status, `${url} ${body.slice(0, 60)} ${JSON.stringify(answer.body)}`).toBe(status);
      }
      expect((await readHead(opened)).size).toBe(4);
      expect(readdirSync(server?.uploadFolder ?? '')).toEqual([]);
    });

    it('refuses an upload over the size limit or of another media type, and leaves no file behind', async () => {
      const { store: opened } = await start({ maxUploadBytes: 64 * 1024 });
      const ci = await tokenFor(opened, ['ci']);
      const large = JSON.stringify({ bomFormat: 'CycloneDX', padding: 'x'.repeat(200 * 1024) });
      expect(await call('/api/v1/sboms', ci, { method: 'POST', body: large })).toMatchObject({
        status: 413,
        body: { error: 'API_UPLOAD_TOO_LARGE' },
      });
      // Without a Content-Length (chunked), the stream is cut off at the limit.
      const chunks = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let index = 0; index < 20; index += 1)
            controller.enqueue(new TextEncoder().encode('x'.repeat(8 * 1024)));
          controller.close();
        },
      });
      const chunked = await fetch(`${server?.url}/api/v1/sboms`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ci}`, 'content-type': 'application/json' },
        body: chunks,
        duplex: 'half',
      } as RequestInit).catch((error: unknown) => error);
      if (chunked instanceof Response) expect(chunked.status).toBe(413);
      expect(
        (await call('/api/v1/sboms', ci, { method: 'POST', body: cycloneDx(), type: 'text/plain' })).status,
      ).toBe(415);
      expect(
        (
          await call('/api/v1/sboms', ci, {
            method: 'POST',
            body: cycloneDx(),
            type: 'application/vnd.in-toto+json',
          })
        ).status,
      ).toBe(415);
      expect((await readHead(opened)).size).toBe(1);
      expect(readdirSync(server?.uploadFolder ?? '')).toEqual([]);
    });

    it("refuses uploads past a principal's 24-hour quota, and only that principal's", async () => {
      let now = Date.now();
      const size = Buffer.byteLength(cycloneDx());
      const { store: opened } = await start({ uploadBytesPerDay: 2 * size + 1, clock: () => new Date(now) });
      const ci = await tokenFor(opened, ['ci']);
      const other = await tokenFor(opened, ['ci']);
      for (let upload = 0; upload < 2; upload += 1)
        expect((await call('/api/v1/sboms', ci, { method: 'POST', body: cycloneDx() })).status).toBe(201);
      expect(await call('/api/v1/sboms', ci, { method: 'POST', body: cycloneDx() })).toMatchObject({
        status: 429,
        body: { error: 'API_UPLOAD_QUOTA' },
      });
      expect((await call('/api/v1/sboms', other, { method: 'POST', body: cycloneDx() })).status).toBe(201);
      now += 86_400_000; // the earlier upload leaves the window
      expect((await call('/api/v1/sboms', ci, { method: 'POST', body: cycloneDx() })).status).toBe(201);
    });

    it('serves an OpenAPI 3 document naming every API route with its schemas and roles', async () => {
      await start();
      const response = await fetch(`${server?.url}/api/openapi.json`);
      expect(response.status).toBe(200);
      const document = (await response.json()) as {
        openapi: string;
        info: { title: string; version: string };
        paths: Record<string, Record<string, Record<string, unknown>>>;
        components: { securitySchemes: Record<string, unknown> };
      };
      expect(document.openapi).toMatch(/^3\.\d+\.\d+$/);
      expect(document.info.title).toBeTruthy();
      expect(document.components.securitySchemes['bearer']).toEqual({ type: 'http', scheme: 'bearer' });
      const listed = Object.entries(document.paths).flatMap(([url, methods]) =>
        Object.keys(methods).map((method) => `${method.toUpperCase()} ${url}`),
      );
      expect(listed.sort()).toEqual(
        apiRoutes.map((route) => `${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`).sort(),
      );
      for (const route of apiRoutes) {
        const operation = document.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
        const label = `${route.method} ${route.url}`;
        expect(operation?.['security'], label).toEqual([{ bearer: [] }]);
        expect(String(operation?.['description']), label).toContain(route.allow.join(', '));
        const responses = operation?.['responses'] as Record<
          string,
          { content?: Record<string, { schema?: unknown }> }
        >;
        const success = responses[route.method === 'GET' ? '200' : '201'];
        expect(success?.content?.['application/json']?.schema, label).toBeDefined();
        expect(responses['401'], label).toBeDefined();
        expect(responses['403'], label).toBeDefined();
        if (route.method === 'POST') {
          const body = operation?.['requestBody'] as {
            content: Record<string, { schema: { type: string } }>;
          };
          for (const type of route.upload ?? [])
            expect(body.content[type]?.schema.type, `${label} ${type}`).toBe('object');
        }
      }
    });
  });
});
