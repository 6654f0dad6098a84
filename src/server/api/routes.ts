/**
 * The JSON API as route declarations (method, url, allowed roles, schemas, upload limits,
 * handler) and the Fastify plugin that registers them. Authentication and the role check run in
 * `onRequest`, before a byte of the body is read; an upload body is streamed to a temporary file
 * (hashed, size and type checked) by this plugin's own content-type parser, then checked by its
 * domain, bound to the principal's repository, kept content-addressed and ledgered.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Catalog } from '../../catalog/index.js';
import type { Store } from '../../store/index.js';
import { personRoles, type ServerRole } from '../pages/index.js';
import type { RequestPrincipal } from '../principal.js';
import { ApiError, statusOfApiError } from './errors.js';
import { createPortfolioCache, type PortfolioCache } from './portfolio.js';
import {
  assessmentDocument,
  errorResponse,
  gateDecisionDocument,
  portfolioResponse,
  provenanceDocument,
  repositoryParams,
  sbomDocument,
  uploadQuery,
  uploadResponse,
} from './schemas.js';
import { discardUpload, readUpload, type StreamedUpload, streamUpload } from './upload.js';
import {
  bytesUploadedSince,
  latestAssessment,
  readableRepositories,
  recordAssessmentUpload,
  recordFileUpload,
  uploadRepository,
} from './uploads.js';

export interface ApiDeps {
  store: Store;
  catalog: Catalog;
  clock: () => Date;
  /** Who the request comes from; undefined answers 401. The server's own (bearer, session). */
  authenticate(request: FastifyRequest): Promise<RequestPrincipal | undefined>;
  /** Where uploads are streamed before they are kept (default: the system's temporary folder). */
  uploadFolder?: string;
  /** Largest upload, in bytes (default 10 MiB: what the evidence store keeps). */
  maxUploadBytes?: number;
  /** What one principal may have accepted in 24 hours (default 5 GiB). */
  uploadBytesPerDay?: number;
  /** How long a portfolio answer may be reused while the ledger has not grown (default 10 s). */
  portfolioMaxAgeMs?: number;
  /** How long a portfolio answer is reused without checking the ledger (default 1 s; tests: 0). */
  portfolioFreshMs?: number;
}

/** Every role of a person reads; CI uploads and reads nothing. */
const readers = personRoles;
const uploaders: readonly ServerRole[] = ['ci'];

export interface ApiContext {
  deps: ApiDeps;
  principal: RequestPrincipal;
  now: Date;
  params: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string | undefined>>;
  body: unknown;
  upload?: StreamedUpload;
  /** The upload's bytes (read back from the temporary file). */
  bytes(): Promise<Buffer>;
  portfolio: PortfolioCache;
  headers: Readonly<Record<string, string | undefined>>;
}

export interface ApiRoute {
  method: 'GET' | 'POST';
  url: string;
  allow: readonly ServerRole[];
  summary: string;
  schema: Record<string, unknown>;
  /** Media types an upload route takes; the body is streamed to disk. */
  upload?: readonly string[];
  handle(context: ApiContext): Promise<{ status: number; body: unknown; headers?: Record<string, string> }>;
}

const jsonTypes = ['application/json'];

export const apiRoutes: readonly ApiRoute[] = [
  {
    method: 'GET',
    url: '/api/v1/portfolio',
    allow: readers,
    summary: "Every repository's latest assessment with its status by area",
    schema: { response: { 200: portfolioResponse } },
    async handle({ deps, principal, now, portfolio, headers }) {
      // Serialised once per change of the store (the same schema is checked in tests), sent as
      // bytes; gzip when the client takes it, 304 when it holds the same answer.
      const answer = await portfolio.read(deps.store, readableRepositories(principal), now);
      const common = {
        'content-type': 'application/json; charset=utf-8',
        etag: answer.etag,
        vary: 'accept-encoding',
      };
      if (headers['if-none-match'] === answer.etag) return { status: 304, body: '', headers: common };
      return /\bgzip\b/.test(headers['accept-encoding'] ?? '')
        ? { status: 200, body: answer.gzip, headers: { ...common, 'content-encoding': 'gzip' } }
        : { status: 200, body: answer.json, headers: common };
    },
  },
  {
    method: 'GET',
    url: '/api/v1/repositories/:id/assessments/latest',
    allow: readers,
    summary: "A repository's latest assessment (the JSON report)",
    schema: {
      params: repositoryParams,
      response: { 200: { ...assessmentDocument, required: [] } },
    },
    async handle({ deps, principal, params }) {
      const repository = params['id'] ?? '';
      const scope = readableRepositories(principal);
      const assessment =
        scope === undefined || scope.includes(repository)
          ? await latestAssessment(deps.store, repository)
          : undefined;
      // Out of scope and absent look the same: a token learns nothing about other repositories.
      if (!assessment)
        return { status: 404, body: { error: 'NOT_FOUND', message: 'no assessment of that repository' } };
      return { status: 200, body: assessment };
    },
  },
  {
    method: 'POST',
    url: '/api/v1/assessments',
    allow: uploaders,
    summary: "Upload CI's assessment (shipguard's JSON report) of the principal's repository",
    upload: jsonTypes,
    schema: {
      body: assessmentDocument,
      querystring: uploadQuery,
      response: { 201: uploadResponse, 200: uploadResponse },
    },
    async handle(context) {
      const repository = uploadRepository(context.principal, context.query['repository']);
      const result = await recordAssessmentUpload(context.deps.store, {
        repository,
        document: context.body,
        upload: await needUpload(context),
        uploadedBy: principalName(context.principal),
        now: context.now,
      });
      return { status: result.alreadyRecorded ? 200 : 201, body: result };
    },
  },
  fileUploadRoute({
    kind: 'sbom',
    url: '/api/v1/sboms',
    summary: "Upload an SBOM (CycloneDX or SPDX JSON) of the principal's repository",
    upload: ['application/json', 'application/vnd.cyclonedx+json', 'application/spdx+json'],
    body: sbomDocument,
  }),
  fileUploadRoute({
    kind: 'gate-decision',
    url: '/api/v1/gate-decisions',
    summary: "Upload a gate decision (shipguard gate --format json) of the principal's repository",
    upload: jsonTypes,
    body: gateDecisionDocument,
  }),
  fileUploadRoute({
    kind: 'provenance',
    url: '/api/v1/provenance',
    summary: "Upload build provenance (a DSSE envelope or Sigstore bundle) of the principal's repository",
    upload: [
      'application/json',
      'application/vnd.in-toto+json',
      'application/vnd.dev.sigstore.bundle+json',
      'application/vnd.dev.sigstore.bundle.v0.3+json',
    ],
    body: provenanceDocument,
  }),
];

/** The request's upload, if its principal's 24-hour quota has room for it (ASVS 12.1.3). */
async function needUpload(context: ApiContext): Promise<StreamedUpload> {
  if (!context.upload) throw new ApiError('API_UPLOAD_INVALID', 'the request has no body');
  const limit = context.deps.uploadBytesPerDay ?? defaultUploadBytesPerDay;
  const since = new Date(context.now.getTime() - 86_400_000);
  const used = await bytesUploadedSince(context.deps.store, principalName(context.principal), since);
  // Checked before the upload is recorded; two uploads racing may both pass (the quota bounds a
  // day's storage, not a byte).
  if (used + context.upload.size > limit)
    throw new ApiError(
      'API_UPLOAD_QUOTA',
      `this principal has had ${used} bytes accepted in the last 24 hours; ${limit} bytes a day is the most (limits.uploadBytesPerDay)`,
    );
  return context.upload;
}

export function principalName(principal: RequestPrincipal): string {
  if (principal.kind === 'token') return `token ${principal.tokenId} (${principal.name})`;
  if (principal.kind === 'workload') return `workload ${principal.subject} of ${principal.issuer}`;
  return `${principal.name} (${principal.subject})`;
}

type FileUploadKind = 'sbom' | 'gate-decision' | 'provenance';

/** CI uploads a file of `kind` for its repository: kept as it came, content-addressed, ledgered. */
function fileUploadRoute(route: {
  kind: FileUploadKind;
  url: string;
  summary: string;
  upload: readonly string[];
  body: Record<string, unknown>;
}): ApiRoute {
  return {
    method: 'POST',
    url: route.url,
    allow: uploaders,
    summary: route.summary,
    upload: route.upload,
    schema: { body: route.body, querystring: uploadQuery, response: { 201: uploadResponse } },
    handle: (context) => fileUpload(context, route.kind),
  };
}

async function fileUpload(
  context: ApiContext,
  kind: FileUploadKind,
): Promise<{ status: number; body: unknown }> {
  const repository = uploadRepository(context.principal, context.query['repository']);
  const result = await recordFileUpload(context.deps.store, {
    kind,
    repository,
    document: context.body,
    upload: await needUpload(context),
    content: await context.bytes(),
    uploadedBy: principalName(context.principal),
    now: context.now,
  });
  return { status: 201, body: result };
}

/** The roles a principal holds now: an auditor's time box closed grants nothing more. */
export function effectiveRoles(principal: RequestPrincipal, now: Date): readonly ServerRole[] {
  if (principal.kind === 'session' && principal.rolesExpireAt !== undefined && principal.rolesExpireAt <= now)
    return principal.roles.filter((role) => role !== 'auditor');
  return principal.roles;
}

/** Whether `principal` may use `route`: one of its roles allowed, and no API write by a session cookie. */
export function mayUse(route: ApiRoute, principal: RequestPrincipal, now: Date): boolean {
  if (route.method !== 'GET' && principal.kind === 'session') return false;
  const roles = effectiveRoles(principal, now);
  return route.allow.some((role) => roles.includes(role));
}

const principalKey = Symbol('shipguard.api.principal');
const uploadKey = Symbol('shipguard.api.upload');
type ApiRequest = FastifyRequest & { [principalKey]?: RequestPrincipal; [uploadKey]?: StreamedUpload };

const defaultMaxUploadBytes = 10 * 1024 * 1024;
const defaultUploadBytesPerDay = 5 * 1024 ** 3;

function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').send(body);
}

/** The plugin: register with `app.register(apiPlugin, deps)` (or `registerApi(app, deps)`). */
export async function apiPlugin(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const folder = deps.uploadFolder ?? tmpdir();
  const maxBytes = deps.maxUploadBytes ?? defaultMaxUploadBytes;
  const portfolio = createPortfolioCache({
    maxAgeMs: deps.portfolioMaxAgeMs ?? 10_000,
    freshMs: deps.portfolioFreshMs ?? 1_000,
    // Served while refreshed for up to five times the fresh period (0 when answers must be fresh).
    staleMs: 5 * (deps.portfolioFreshMs ?? 1_000),
  });
  const uploadTypes = [...new Set(apiRoutes.flatMap((route) => route.upload ?? []))];
  // In this plugin's scope only: upload bodies go to disk, never into memory whole.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(uploadTypes, async (request: FastifyRequest, payload: IncomingMessage) => {
    const config = request.routeOptions.config as { upload?: readonly string[] };
    const length = Number(request.headers['content-length']);
    const upload = await streamUpload(
      payload,
      {
        contentType: request.headers['content-type'],
        ...(Number.isFinite(length) ? { contentLength: length } : {}),
      },
      { mediaTypes: config.upload ?? [], maxBytes, folder },
    );
    (request as ApiRequest)[uploadKey] = upload;
    try {
      return JSON.parse((await readUpload(upload)).toString('utf8')) as unknown;
    } catch (error) {
      throw new ApiError('API_UPLOAD_INVALID', 'the body is not JSON', { cause: error });
    }
  });
  // The temporary file goes before the answer does (onSend), and at the latest when the
  // exchange ends (onResponse, which also runs for an aborted request).
  const discard = async (request: FastifyRequest) => {
    const upload = (request as ApiRequest)[uploadKey];
    if (upload) await discardUpload(upload);
  };
  app.addHook('onSend', async (request) => discard(request));
  app.addHook('onResponse', async (request) => discard(request));
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof ApiError)
      return send(reply, statusOfApiError[error.code], { error: error.code, message: error.message });
    const fastifyError = error as {
      statusCode?: number;
      code?: string;
      validation?: unknown;
      message?: string;
    };
    if (fastifyError.validation !== undefined || fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return send(reply, fastifyError.validation !== undefined ? 400 : 415, {
        error: fastifyError.validation !== undefined ? 'INVALID_REQUEST' : 'API_UPLOAD_MEDIA_TYPE',
        message: (fastifyError.message ?? 'invalid request').slice(0, 500),
      });
    }
    if (error instanceof Error && 'kind' in error && (error as { kind: unknown }).kind !== 'internal') {
      // A domain's refusal of the content (a malformed SBOM): the client's to fix.
      return send(reply, 422, { error: 'API_UPLOAD_INVALID', message: error.message.slice(0, 500) });
    }
    // The server's own refusals before the route (the rate limit's 429): the client's, not a failure.
    const status = fastifyError.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return send(reply, status, {
        error: status === 429 ? 'RATE_LIMITED' : 'INVALID_REQUEST',
        message: (fastifyError.message ?? 'request refused').slice(0, 500),
      });
    }
    const reference = randomUUID();
    request.log.error({ err: error, reference }, 'API request failed');
    return send(reply, 500, {
      error: 'INTERNAL',
      message: 'the server failed; quote the reference',
      reference,
    });
  });
  for (const route of apiRoutes) {
    app.route({
      method: route.method,
      url: route.url,
      config: { upload: route.upload, allow: route.allow },
      schema: {
        ...route.schema,
        summary: route.summary,
        description: `Allowed roles: ${route.allow.join(', ')}.`,
        tags: ['api'],
        security: [{ bearer: [] }],
        response: {
          ...(route.schema['response'] as object),
          401: errorResponse,
          403: errorResponse,
          '4xx': errorResponse,
          '5xx': errorResponse,
        },
        ...(route.upload ? { consumes: [...route.upload] } : {}),
      },
      // Who, and may they: settled before the body is read.
      onRequest: async (request, reply) => {
        const principal = await deps.authenticate(request);
        if (!principal) {
          return send(reply.header('www-authenticate', 'Bearer'), 401, {
            error: 'UNAUTHENTICATED',
            message: 'a valid API token or CI identity token is needed',
          });
        }
        if (!mayUse(route, principal, deps.clock())) {
          request.log.warn(
            { route: `${route.method} ${route.url}`, principal: principal.kind },
            'API access denied',
          );
          return send(reply, 403, { error: 'FORBIDDEN', message: 'your roles do not allow this' });
        }
        (request as ApiRequest)[principalKey] = principal;
        return undefined;
      },
      handler: async (request, reply) => {
        const principal = (request as ApiRequest)[principalKey];
        if (!principal) return send(reply, 401, { error: 'UNAUTHENTICATED', message: 'not authenticated' });
        const upload = (request as ApiRequest)[uploadKey];
        if (route.upload && !upload) throw new ApiError('API_UPLOAD_INVALID', 'the request has no body');
        const result = await route.handle({
          deps,
          principal,
          now: deps.clock(),
          params: request.params as Record<string, string>,
          query: request.query as Record<string, string | undefined>,
          body: request.body,
          ...(upload ? { upload } : {}),
          bytes: async () => (upload ? readUpload(upload) : Buffer.alloc(0)),
          portfolio,
          headers: {
            'accept-encoding': request.headers['accept-encoding'],
            'if-none-match': request.headers['if-none-match'],
          },
        });
        if (result.headers) reply.headers(result.headers);
        return send(reply, result.status, result.body);
      },
    });
  }
}
