/**
 * The real server (buildServer) on a real loopback port for tests, with a clock the test moves,
 * its JSON log captured line by line, and a small cookie-keeping HTTP client that never follows
 * redirects by itself (tests look at every hop).
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { grantRole, upsertUser } from '../accounts.js';
import { buildServer, type ServerOptions } from '../app.js';
import { resolveServerConfig, type ServerConfig, type ServerConfigInputs } from '../config.js';
import { createSession, sessionCookieName } from '../sessions.js';
import type { Store } from '../../store/index.js';

export interface TestClock {
  now(): Date;
  advance(ms: number): void;
}

export function testClock(start = new Date('2026-11-20T09:00:00.000Z')): TestClock {
  let current = start.getTime();
  return { now: () => new Date(current), advance: (ms) => void (current += ms) };
}

/** A secret of the right length, built at run time (no credential-shaped literal in the repo). */
export const testSessionSecret = ['test', 'session', 'secret', 'of', 'enough', 'length', '0123456789'].join('-');

export interface TestServer {
  url: string;
  app: FastifyInstance;
  config: ServerConfig;
  clock: TestClock;
  logLines: string[];
  close(): Promise<void>;
}

export async function startTestServer(
  store: Store,
  options: {
    config?: Partial<ServerConfigInputs>;
    server?: Partial<Omit<ServerOptions, 'store' | 'config'>>;
    clock?: TestClock;
  } = {},
): Promise<TestServer> {
  const clock = options.clock ?? testClock();
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const config = resolveServerConfig({ host: '127.0.0.1', port: 0, sessionSecret: testSessionSecret, ...options.config });
  const app = await buildServer({
    store,
    config,
    now: clock.now,
    log: { destination },
    ...options.server,
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: address, app, config, clock, logLines, close: () => app.close() };
}

/** A user with these roles and a session for them, as a sign-in would leave it: the cookie value. */
export async function signedInAs(
  store: Store,
  server: TestServer,
  name: string,
  roles: readonly string[],
  { multiFactor = true }: { multiFactor?: boolean } = {},
): Promise<string> {
  const now = server.clock.now();
  const user = await upsertUser(store, { issuer: 'https://id.test', subject: name, name }, now);
  // CI is a workload, never a person's grant: a session asking for it holds no role.
  for (const role of roles.filter((candidate) => candidate !== 'ci'))
    await grantRole(store, {
      userId: user.id,
      role,
      grantedBy: 'test',
      ...(role === 'auditor' ? { expiresAt: new Date(now.getTime() + 30 * 86_400_000) } : {}),
      now,
    });
  // Signed in as the policy asks: with a second factor (decision 0010), unless a test says otherwise.
  const { id } = await createSession(store, user.id, server.config.sessions, now, { multiFactor });
  return id;
}

export interface Hop {
  status: number;
  location: string | undefined;
  body: string;
  headers: Headers;
  setCookies: string[];
}

/** A cookie jar over fetch, like a browser's for one site: Secure cookies are kept on loopback. */
export class CookieClient {
  readonly cookies = new Map<string, string>();

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request(url: string, init: { method?: string; form?: Record<string, string>; body?: string; headers?: Record<string, string> } = {}): Promise<Hop> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size > 0) headers['cookie'] = this.header();
    let body = init.body;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const response = await fetch(url, {
      method: init.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      redirect: 'manual',
      ...(body === undefined ? {} : { body }),
    });
    const setCookies = response.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair = ''] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      const expired = /max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line);
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return {
      status: response.status,
      location: response.headers.get('location') ?? undefined,
      body: await response.text(),
      headers: response.headers,
      setCookies,
    };
  }

  /** GETs a page and returns the CSRF token its first form carries. */
  async csrfFrom(url: string): Promise<string> {
    const page = await this.request(url);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (!token) throw new Error(`no CSRF token on ${url} (status ${page.status})`);
    return token;
  }
}

export function withSession(client: CookieClient, sessionId: string): CookieClient {
  client.set(sessionCookieName, sessionId);
  return client;
}
