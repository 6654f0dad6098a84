/**
 * A plain node:http server that serves the page routes (routes.ts) from a store, under the CSP
 * the real server sends, for browser tests of the pages themselves: layout, stylesheet, CSP,
 * forms end to end, roles from the route table, screenshots. It is no substitute for the real
 * server (src/server): the signed-in user is picked by a test cookie, and its CSRF check is a
 * plain comparison. The real server puts OIDC sessions and its CSRF protection in front of the
 * same routes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadCatalog } from '../../../catalog/index.js';
import { ChangeSettings } from '../../../policy/index.js';
import type { Signer } from '../../../provenance/index.js';
import type { Store } from '../../../store/index.js';
import { stylesheet } from '../assets.js';
import { type PageRequest, type PageResponse, pageRoutes, permissionsFor, type UploadedFile, allows } from '../routes.js';
import { errorPage } from '../views.js';

export const pagesCsp =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export interface HarnessUser {
  name: string;
  roles: string[];
  signer?: Signer;
}

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

/** The cookie naming the test user (a key of `users`). */
export const userCookie = 'harness-user';
export const csrfTokenOf = (user: string) => `csrf-${user}`;

function match(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index < want.length; index += 1) {
    const part = want[index] as string;
    const value = got[index] as string;
    if (part.startsWith(':')) {
      if (value === '') return undefined;
      params[part.slice(1)] = decodeURIComponent(value);
    } else if (part !== value) return undefined;
  }
  return params;
}

async function body(request: IncomingMessage, limit = 12 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function startPageServer(
  store: Store,
  users: Readonly<Record<string, HarnessUser>>,
  now: Date,
): Promise<PageServer> {
  const catalog = loadCatalog();
  const notices = new Map<string, PageRequest['notice']>();
  let changeCounter = 3000;
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const send = (status: number, html: string) => {
      response.writeHead(status, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': pagesCsp,
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
      });
      response.end(html);
    };
    if (url.pathname === '/assets/pages.css') {
      const css = stylesheet();
      response.writeHead(200, { 'content-type': css.contentType, etag: css.etag });
      response.end(css.body);
      return;
    }
    const key = /(?:^|;\s*)harness-user=([a-z-]+)/.exec(request.headers.cookie ?? '')?.[1] ?? '';
    const user = users[key];
    if (!user) return send(401, errorPage(undefined, 401, 'Sign in first.'));
    const route = pageRoutes
      .map((candidate) => ({ candidate, params: candidate.method === request.method ? match(candidate.path, url.pathname) : undefined }))
      .find((item) => item.params !== undefined);
    const context = { user, csrfToken: csrfTokenOf(key), can: permissionsFor(user.roles) };
    if (!route?.params) return send(404, errorPage(context, 404, 'There is no such page.'));
    if (!allows(route.candidate, user.roles)) return send(403, errorPage(context, 403, 'Your roles do not allow this.'));
    const fields: Record<string, string> = {};
    const files: Record<string, UploadedFile> = {};
    if (request.method === 'POST') {
      const raw = await body(request);
      const form = await new Response(new Uint8Array(raw), {
        headers: { 'content-type': request.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
      }).formData();
      for (const [name, value] of form.entries()) {
        if (typeof value === 'string') fields[name] = value;
        else files[name] = { fileName: value.name, mediaType: value.type || 'application/octet-stream', content: Buffer.from(await value.arrayBuffer()) };
      }
      if (fields['_csrf'] !== csrfTokenOf(key)) return send(403, errorPage(context, 403, 'The form is missing its CSRF token.'));
    }
    const notice = notices.get(key);
    notices.delete(key);
    const pageRequest: PageRequest = {
      store,
      catalog,
      now,
      user,
      actor: user.name,
      ...(user.signer ? { signer: user.signer } : {}),
      csrfToken: csrfTokenOf(key),
      params: route.params,
      fields,
      files,
      changeSettings: ChangeSettings.parse({}),
      newChangeId: () => `CHG-${(changeCounter += 1)}`,
      ...(notice ? { notice } : {}),
    };
    const result: PageResponse = await route.candidate.handle(pageRequest);
    if (result.kind === 'redirect') {
      notices.set(key, result.notice);
      response.writeHead(303, { location: result.location });
      response.end();
    } else if (result.kind === 'file') {
      response.writeHead(200, { 'content-type': result.mediaType, 'content-disposition': 'attachment', 'x-content-type-options': 'nosniff' });
      response.end(result.content);
    } else send(result.status, result.body);
  }
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(error instanceof Error ? error.message : 'error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
