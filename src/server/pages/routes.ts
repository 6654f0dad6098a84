/**
 * The pages as route declarations, apart from any HTTP framework: method, path, the roles that
 * may use it, and a handler from a parsed request to a response. The server registers each with
 * its own route type (session, role check, CSRF check on POST, multipart parsing) and calls
 * `handle` only for an allowed, authenticated request. `permissionsFor` derives which forms a
 * user sees from the same table, so a button is shown exactly when its POST route allows the user.
 */
import type { Catalog } from '../../catalog/index.js';
import { type Actor, ChangeError } from '../../changes/index.js';
import { ShipguardError } from '../../kernel/index.js';
import type { ChangeSettings } from '../../policy/index.js';
import type { Signer } from '../../provenance/index.js';
import { readEvidence } from '../../records/index.js';
import type { Store } from '../../store/index.js';
import * as actions from './actions.js';
import { checkUploadType } from './file-types.js';
import type { PageContext } from './layout.js';
import { paths } from './layout.js';
import * as models from './read-models.js';
import * as views from './views.js';

/**
 * Every person's role: each reads the pages and the API. Listed, not derived by leaving roles out,
 * so that a role added later reads nothing until it is put here (access fails closed).
 */
const personRoleNames = [
  'developer',
  'development-team-lead',
  'isms-manager',
  'cto',
  'hr',
  'auditor',
  'administrator',
] as const;

/** The policy's roles as the server knows them: the people's, and CI's (upload only). */
export const serverRoles = [...personRoleNames, 'ci'] as const;
export type ServerRole = (typeof serverRoles)[number];
/** The roles a person may hold (CI is a workload, never a person), as ServerRoles. */
export const personRoles: readonly ServerRole[] = personRoleNames;
const readers = personRoles;

export interface UploadedFile {
  fileName: string;
  mediaType: string;
  content: Buffer;
  /** SHA-256 of the content, computed while the part streamed to disk (server uploads). */
  sha256?: string;
}

export interface PageRequest {
  store: Store;
  catalog: Catalog;
  now: Date;
  user: { name: string; roles: readonly string[] };
  /** Who acts, for change transitions: the proved principal (or the display name). */
  actor: Actor;
  /** The user's record-signing key, when the server holds one for them. */
  signer?: Signer;
  csrfToken: string;
  params: Readonly<Record<string, string>>;
  /** Form fields (urlencoded or the text parts of multipart). */
  fields: Readonly<Record<string, string | undefined>>;
  files: Readonly<Record<string, UploadedFile | undefined>>;
  changeSettings: ChangeSettings;
  /** An id for a new change request. */
  newChangeId(): string;
  notice?: PageContext['notice'];
}

export type PageResponse =
  | { kind: 'html'; status: number; body: string }
  /** After a successful post: see the page again, with a notice (post/redirect/get). */
  | { kind: 'redirect'; location: string; notice: { tone: 'ok' | 'error'; text: string } }
  | { kind: 'file'; mediaType: string; fileName: string; content: Buffer };

export interface PageRoute {
  method: 'GET' | 'POST';
  /** Fastify-style path (`:name` parameters). */
  path: string;
  allow: readonly ServerRole[];
  /** For POST routes: the form action name the views show the form for. */
  permission?: string;
  multipart?: boolean;
  handle(request: PageRequest): Promise<PageResponse>;
}

/** The form actions a user with `roles` may take: a POST route's permission allowing one of them. */
export function permissionsFor(roles: readonly string[]): Set<string> {
  return new Set(
    pageRoutes
      .filter((route) => route.permission !== undefined && allows(route, roles))
      .map((route) => route.permission as string),
  );
}

export function allows(route: PageRoute, roles: readonly string[]): boolean {
  return route.allow.some((role) => roles.includes(role));
}

export function contextFor(request: PageRequest): PageContext {
  return {
    user: request.user,
    csrfToken: request.csrfToken,
    can: permissionsFor(request.user.roles),
    ...(request.notice ? { notice: request.notice } : {}),
  };
}

function page(body: string, status = 200): PageResponse {
  return { kind: 'html', status, body };
}

function refused(request: PageRequest, status: number, message: string): PageResponse {
  return page(views.errorPage(contextFor(request), status, message), status);
}

/**
 * A domain's refusal or the user's mistake: an error of any kind but internal. An internal one (the
 * store or the ledger failing) is the server's to log under a reference: its message names the
 * store and what the driver said, which is not for the page.
 */
function isRefusal(error: unknown): error is Error {
  return error instanceof actions.FormError || (error instanceof ShipguardError && error.kind !== 'internal');
}

/** A domain's refusal or the user's mistake as a page; anything else is the server's to log. */
function answer(request: PageRequest, error: unknown): PageResponse {
  if (error instanceof ChangeError && error.code === 'CHANGE_SEPARATION_OF_DUTIES')
    return refused(request, 403, error.message);
  if (error instanceof ChangeError && error.code === 'CHANGE_NOT_FOUND')
    return refused(request, 404, error.message);
  if (isRefusal(error)) return refused(request, 400, error.message);
  throw error;
}

/**
 * A form's POST route: `run` does what the form asks and says what it did; the user is sent to
 * `redirectTo` with that notice, or shown the refusal (post/redirect/get).
 */
function postForm(
  route: Pick<PageRoute, 'path' | 'allow' | 'multipart'> & { permission: string; redirectTo: string },
  run: (request: PageRequest) => Promise<string>,
): PageRoute {
  const { redirectTo, ...declared } = route;
  return {
    method: 'POST',
    ...declared,
    async handle(request) {
      try {
        return { kind: 'redirect', location: redirectTo, notice: { tone: 'ok', text: await run(request) } };
      } catch (error) {
        return answer(request, error);
      }
    },
  };
}

function needSigner(request: PageRequest): Signer {
  if (!request.signer)
    throw new actions.FormError(`no record-signing key is registered for ${request.user.name}`);
  return request.signer;
}

/** What every signed form action takes from the request: the user's record-signing key and the time. */
function signedBy(request: PageRequest): { signer: Signer; now: Date } {
  return { signer: needSigner(request), now: request.now };
}

function needFile(request: PageRequest, name: string): UploadedFile {
  const file = optionalFile(request, name);
  if (!file) throw new actions.FormError(`${name}: choose a file`);
  return file;
}

/** An uploaded file whose content matches an accepted type (kept as the content shows), if any. */
function optionalFile(request: PageRequest, name: string): UploadedFile | undefined {
  const file = request.files[name];
  if (!file || file.content.length === 0) return undefined;
  const checked = checkUploadType(file);
  if ('refused' in checked) throw new actions.FormError(checked.refused);
  return { ...file, mediaType: checked.mediaType };
}

/** The change a `/changes/:id/…` form moves on, and who moves it. */
function changeStep(request: PageRequest) {
  return {
    id: request.params['id'] ?? '',
    actor: request.actor,
    actorName: request.user.name,
    settings: request.changeSettings,
    now: request.now,
  };
}

/** A page every person reads: `view` renders it for the request. */
function readPage(
  path: string,
  view: (request: PageRequest, context: PageContext) => Promise<string>,
): PageRoute {
  return {
    method: 'GET',
    path,
    allow: readers,
    handle: async (request) => page(await view(request, contextFor(request))),
  };
}

export const pageRoutes: readonly PageRoute[] = [
  readPage(paths.portfolio, async (request, context) => {
    // Cached until the ledger grows (every write it shows appends to it), for up to 60 s.
    const model = await models.cachedPortfolioModel(request.store, {
      catalog: request.catalog,
      now: request.now,
      records: () => models.loadRecordSet(request.store),
      maxAgeMs: 60_000,
    });
    return views.portfolioPage(context, model);
  }),
  {
    method: 'GET',
    path: `${paths.repository}:repository`,
    allow: readers,
    async handle(request) {
      const model = await models.repositoryModel(
        request.store,
        request.params['repository'] ?? '',
        request.now,
      );
      return model
        ? page(views.repositoryPage(contextFor(request), model))
        : refused(request, 404, 'No assessment of that repository.');
    },
  },
  readPage(paths.records, async (request, context) =>
    views.recordsPage(
      context,
      models.recordsModel(request.catalog, await models.loadRecordSet(request.store), request.now),
    ),
  ),
  postForm(
    {
      path: paths.recordNew,
      allow: ['isms-manager', 'cto', 'hr'],
      permission: 'records.write',
      multipart: true,
      redirectTo: paths.records,
    },
    async (request) => {
      const evidence = optionalFile(request, 'evidence');
      const id = await actions.enterRecord(request.store, {
        ...signedBy(request),
        fields: request.fields,
        ...(evidence ? { evidence } : {}),
      });
      return `Record ${id} signed and recorded.`;
    },
  ),
  {
    method: 'GET',
    path: '/evidence/:sha256',
    allow: readers,
    async handle(request) {
      const sha256 = request.params['sha256'] ?? '';
      const evidence = /^[0-9a-f]{64}$/.test(sha256) ? await readEvidence(request.store, sha256) : undefined;
      if (!evidence) return refused(request, 404, 'No evidence file with that hash.');
      return {
        kind: 'file',
        mediaType: evidence.mediaType,
        fileName: `${sha256.slice(0, 12)}`,
        content: evidence.content,
      };
    },
  },
  readPage(paths.penTests, async (request, context) =>
    views.penTestsPage(context, models.penTestsModel(await models.loadRecordSet(request.store), request.now)),
  ),
  postForm(
    {
      path: paths.penTestUpload,
      allow: ['isms-manager', 'cto'],
      permission: 'pen-tests.write',
      multipart: true,
      redirectTo: paths.penTests,
    },
    async (request) => {
      const id = await actions.uploadPenTest(request.store, {
        ...signedBy(request),
        fields: request.fields,
        report: needFile(request, 'report'),
      });
      return `Pen test ${id} recorded with its report.`;
    },
  ),
  postForm(
    {
      path: '/pen-tests/:engagement/plan',
      allow: ['cto'],
      permission: 'remediation.approve',
      redirectTo: paths.penTests,
    },
    async (request) => {
      const engagement = request.params['engagement'] ?? '';
      await actions.approveRemediationPlan(request.store, {
        ...signedBy(request),
        engagement,
        items: request.fields['items'] ?? '',
      });
      return `Remediation plan of ${engagement} approved.`;
    },
  ),
  readPage(paths.changes, async (request, context) =>
    views.changesPage(context, await models.changesModel(request.store, request.user.name, request.now)),
  ),
  postForm(
    {
      path: paths.changes,
      allow: ['developer', 'development-team-lead', 'isms-manager', 'cto'],
      permission: 'changes.create',
      redirectTo: paths.changes,
    },
    async (request) => {
      const change = await actions.requestChange(request.store, {
        id: request.newChangeId(),
        author: request.actor,
        authorName: request.user.name,
        fields: request.fields,
        settings: request.changeSettings,
        now: request.now,
      });
      return `Change ${change.id} requested.`;
    },
  ),
  postForm(
    {
      path: '/changes/:id/approve',
      allow: ['development-team-lead', 'isms-manager', 'cto'],
      permission: 'changes.approve',
      redirectTo: paths.changes,
    },
    async (request) => {
      const change = await actions.advanceChangeAs(request.store, 'approved', changeStep(request));
      return `Change ${change.id} approved (${change.status}).`;
    },
  ),
  postForm(
    {
      path: '/changes/:id/implement',
      allow: ['developer', 'development-team-lead'],
      permission: 'changes.implement',
      redirectTo: paths.changes,
    },
    async (request) => {
      const change = await actions.advanceChangeAs(request.store, 'implemented', changeStep(request));
      return `Change ${change.id} marked implemented.`;
    },
  ),
  readPage(paths.gate, async (request, context) =>
    views.gatePage(context, await models.gateDecisionsModel(request.store)),
  ),
  readPage(paths.exceptions, async (request, context) =>
    views.exceptionsPage(context, await models.exceptionsModel(request.store, request.now)),
  ),
  readPage(paths.people, async (request, context) =>
    views.peoplePage(context, models.peopleModel(await models.loadRecordSet(request.store), request.now)),
  ),
  postForm(
    {
      path: paths.trainingImport,
      allow: ['hr'],
      permission: 'training.import',
      multipart: true,
      redirectTo: paths.people,
    },
    async (request) => {
      const result = await actions.importTraining(request.store, {
        ...signedBy(request),
        file: needFile(request, 'file'),
      });
      return `${result.added} training record${result.added === 1 ? '' : 's'} imported (${result.skipped} already recorded).`;
    },
  ),
  readPage(paths.ledger, async (request, context) =>
    views.ledgerPage(context, await models.ledgerModel(request.store)),
  ),
  {
    method: 'GET',
    path: '/ledger/entries/:index',
    allow: readers,
    async handle(request) {
      const index = Number(request.params['index']);
      if (!/^\d{1,15}$/.test(request.params['index'] ?? ''))
        return refused(request, 404, 'No such ledger entry.');
      try {
        return page(
          views.ledgerPage(
            contextFor(request),
            await models.ledgerModel(request.store),
            await models.inclusionModel(request.store, index),
          ),
        );
      } catch (error) {
        if (isRefusal(error)) return refused(request, 404, error.message);
        throw error;
      }
    },
  },
];
