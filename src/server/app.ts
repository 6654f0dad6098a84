/**
 * `buildServer`: the Fastify instance of `shipguard serve`. Security headers (helmet: a CSP with
 * no inline script or style, Referrer-Policy no-referrer), rate limits, body and upload limits,
 * cookies, multipart, CSRF on every state change, sessions, the sign-in routes, the pages behind
 * their roles, role administration, and one error handler that shows a reference id, never
 * internals. Extra plugins (the API, bearer tokens) are registered through `plugins`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { DestinationStream, LoggerOptions } from 'pino';
import { type Catalog, loadCatalog } from '../catalog/index.js';
import { ChangeSettings } from '../policy/index.js';
import type { Signer } from '../provenance/index.js';
import type { Store } from '../store/index.js';
import type { ServerUser } from './accounts.js';
import { registerAdminRoutes } from './admin-routes.js';
import { createAudit } from './audit.js';
import { type BearerAuthenticator, createAuthenticate } from './authenticate.js';
import type { ServerConfig } from './config.js';
import type { ServerContext } from './context.js';
import { registerFormParsing } from './forms.js';
import { multiFactorRequirementOf } from './multi-factor.js';
import { createOidcSignIn, type OidcSignIn } from './oidc-login.js';
import { registerPageRoutes } from './page-routes.js';
import { errorPage, paths, stylesheet } from './pages/index.js';
import { sweepExpiredSessions } from './sessions.js';
import { registerSignInRoutes } from './sign-in-routes.js';

/** A Fastify plugin or route registrar the lead wires in (API routes, OpenAPI, uploads). */
export type ServerPlugin = (app: FastifyInstance, context: ServerContext) => Promise<void>;

export interface ServerOptions {
  store: Store;
  config: ServerConfig;
  /** The clock (tests move it to expire sessions). */
  now?: () => Date;
  catalog?: Catalog;
  changeSettings?: ChangeSettings;
  /** Where the JSON log goes (default stdout) and its level. */
  log?: { destination?: DestinationStream; level?: string };
  /** The local development sign-in token (only with `config.localSignIn`). */
  localSignInToken?: string;
  /** Replaces the OIDC client built from `config.oidc` (tests). */
  oidc?: OidcSignIn;
  signerFor?: (user: ServerUser) => Promise<Signer | undefined>;
  /** API tokens and CI workload identities: `Authorization: Bearer …` → a principal, or none. */
  authenticateBearer?: BearerAuthenticator;
  plugins?: readonly ServerPlugin[];
  /** Where page-form file parts stream to (a folder only the server's user can read; default the OS's). */
  uploadFolder?: string;
}

/**
 * No script at all, styles and images from this origin only. Forms post here, and to the identity
 * provider: Chromium applies form-action to the redirect a sign-in form answers with.
 */
export function contentSecurityPolicy(config: ServerConfig) {
  return {
    defaultSrc: ["'none'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'"],
    formAction: ["'self'", ...(config.oidc ? [config.oidc.issuer.origin] : [])],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
    upgradeInsecureRequests: null,
  };
}

export const csrfCookieName = '__Host-shipguard-csrf';

/** The JSON log: request lines without query strings (an OIDC code is in one), no cookies or tokens. */
export function loggerOptions(level = 'info'): LoggerOptions {
  return {
    level,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        'headers.cookie',
        'headers.authorization',
        'token',
        '*.token',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req(request: { method: string; url: string; ip?: string; id?: string }) {
        return { method: request.method, path: request.url.split('?')[0], ip: request.ip };
      },
    },
  };
}

function isClientError(error: unknown): error is { statusCode: number; code?: string } {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** The one error handler: a client's mistake gets its status and a plain sentence, anything else 500 and a reference. */
function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const reference = request.id;
  if (isClientError(error)) {
    request.log.info({ err: error, reference }, 'request refused');
    const csrfFailure = typeof error.code === 'string' && error.code.startsWith('FST_CSRF');
    const message = csrfFailure
      ? 'The form’s CSRF token is missing or invalid. Reload the page and try again.'
      : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? 'Forms are sent as application/x-www-form-urlencoded or multipart/form-data.'
        : error.statusCode === 413
          ? 'The request or file is too large.'
          : error.statusCode === 415
            ? 'Files of that type are not accepted: PDF, PNG, JPEG, ZIP or Office documents, or UTF-8 text.'
            : error.statusCode === 429
              ? 'Too many requests, or more uploads than a day allows. Wait and try again.'
              : error.statusCode === 401
                ? 'Sign in first.'
                : 'The request could not be understood.';
    // A refused upload leaves its body unread: close the connection rather than read the rest.
    const refusedUpload = (error as { name?: unknown }).name === 'FormUploadError';
    if (refusedUpload || error.statusCode === 413 || error.statusCode === 415)
      reply.header('connection', 'close');
    return reply
      .code(csrfFailure ? 403 : error.statusCode)
      .type('text/html; charset=utf-8')
      .send(errorPage(undefined, csrfFailure ? 403 : error.statusCode, message, reference));
  }
  request.log.error({ err: error, reference }, 'request failed');
  return reply
    .code(500)
    .type('text/html; charset=utf-8')
    .send(
      errorPage(
        undefined,
        500,
        'Something went wrong on the server. It is logged under this reference.',
        reference,
      ),
    );
}

/** Refuses a client past the server-wide limit with 429 (each error handler answers it in its kind). */
function limitEveryRequest(limit: ReturnType<FastifyInstance['createRateLimit']>) {
  return async function checkRate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const result = await limit(request);
    if (result.isAllowed || !result.isExceeded) return;
    reply.header('retry-after', String(result.ttlInSeconds));
    throw Object.assign(new Error('too many requests: wait and try again'), { statusCode: 429 });
  };
}

/** Deletes expired sessions every ten minutes (they are refused when used anyway). */
function sweepSessionsNowAndThen(app: FastifyInstance, store: Store, now: () => Date): void {
  const timer = setInterval(() => {
    sweepExpiredSessions(store, now()).catch((error: unknown) =>
      app.log.warn({ err: error }, 'session sweep failed'),
    );
  }, 600_000);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { config, store } = options;
  const now = options.now ?? (() => new Date());
  // Without a configured secret (loopback only; config refuses it elsewhere) a random one per start.
  const secret = config.sessionSecret ?? randomBytes(32).toString('base64url');
  const app = Fastify({
    logger: {
      ...loggerOptions(options.log?.level),
      ...(options.log?.destination ? { stream: options.log.destination } : {}),
    },
    genReqId: () => randomUUID(),
    bodyLimit: config.limits.bodyBytes,
    trustProxy: config.trustProxy,
    routerOptions: { maxParamLength: 200 },
    requestTimeout: 60_000,
  });
  const audit = createAudit(store, now);
  const csrfTokens = new WeakMap<FastifyRequest, string>();
  const oidc = options.oidc ?? (config.oidc ? createOidcSignIn(config.oidc) : undefined);
  const context: ServerContext = {
    store,
    config,
    now,
    audit,
    catalog: options.catalog ?? loadCatalog(),
    changeSettings: options.changeSettings ?? ChangeSettings.parse({}),
    ...(oidc ? { oidc } : {}),
    ...(config.localSignIn && options.localSignInToken ? { localSignInToken: options.localSignInToken } : {}),
    signerFor: options.signerFor ?? (async () => undefined),
    publicUrl(request) {
      if (config.publicUrl) return config.publicUrl;
      const address = request.server.server.address();
      if (address === null || typeof address === 'string')
        return new URL(`http://${config.host}:${config.port}/`);
      const host = address?.family === 'IPv6' ? `[${address.address}]` : address.address;
      return new URL(`http://${host}:${address.port}/`);
    },
    // One token per request: each generateCsrf call without a secret cookie would make a new secret.
    csrfToken(request, reply) {
      const known = csrfTokens.get(request);
      if (known) return known;
      const token = reply.generateCsrf({ userInfo: request.auth?.session?.idHash ?? 'anonymous' });
      csrfTokens.set(request, token);
      return token;
    },
  };

  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(config) },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: true,
    strictTransportSecurity: config.publicUrl?.protocol === 'https:' ? { maxAge: 31_536_000 } : false,
  });
  // The plugin adds a route's limit after the route's own onRequest hooks, so a request its access
  // check refuses (no credential, no session) would never be counted. The server-wide limit is a
  // hook of its own, first of all, before any authentication; the plugin keeps the sign-in routes'.
  await app.register(rateLimit, { global: false, max: config.rateLimit.perMinute, timeWindow: 60_000 });
  app.addHook('onRequest', limitEveryRequest(app.createRateLimit()));
  await app.register(cookie, { secret });
  await app.register(csrf, {
    cookieKey: csrfCookieName,
    cookieOpts: { path: '/', secure: true, httpOnly: true, sameSite: 'strict' },
    getUserInfo: (request: FastifyRequest) => request.auth?.session?.idHash ?? 'anonymous',
    getToken: (request: FastifyRequest) =>
      request.form?.fields['_csrf'] ?? (request.headers['x-csrf-token'] as string | undefined),
    csrfOpts: { hmacKey: secret, userInfo: true },
  });
  await app.register(multipart, {
    limits: {
      // One byte over: the upload stream (forms.ts) cuts a file off and answers 413 itself.
      fileSize: config.limits.uploadBytes + 1,
      files: config.limits.filesPerRequest,
      fields: config.limits.fieldsPerRequest,
      fieldSize: 100 * 1024,
      parts: config.limits.filesPerRequest + config.limits.fieldsPerRequest,
      headerPairs: 100,
    },
  });
  registerFormParsing(app, config.limits.bodyBytes, {
    folder: options.uploadFolder ?? tmpdir(),
    maxBytes: config.limits.uploadBytes,
    daily: { bytes: config.limits.uploadBytesPerDay, store, now },
  });
  app.decorateRequest('auth', null);
  app.addHook(
    'onRequest',
    createAuthenticate({
      store,
      times: config.sessions,
      now,
      audit,
      ...(options.authenticateBearer ? { authenticateBearer: options.authenticateBearer } : {}),
      // Local sign-in (loopback, no provider) has no second factor to show: nothing is withheld.
      multiFactorRequiredFor: multiFactorRequirementOf(config),
    }),
  );
  // Pages and answers hold the company's security data: never kept by a browser or proxy cache.
  app.addHook('onSend', async (request, reply) => {
    if (request.url !== paths.stylesheet) reply.header('cache-control', 'no-store');
  });
  sweepSessionsNowAndThen(app, store, now);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type('text/html; charset=utf-8')
      .send(errorPage(undefined, 404, 'There is no such page.', request.id)),
  );

  app.get(paths.stylesheet, async (_request, reply) => {
    const css = stylesheet();
    return reply
      .type(css.contentType)
      .header('etag', css.etag)
      .header('cache-control', 'no-cache')
      .send(css.body);
  });
  await registerSignInRoutes(app, context);
  await registerPageRoutes(app, context);
  await registerAdminRoutes(app, context);
  for (const plugin of options.plugins ?? []) await plugin(app, context);
  return app;
}
