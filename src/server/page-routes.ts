/**
 * Registers every page route of `pageRoutes` (src/server/pages/routes.ts): access check on
 * request (before any body is read), form parsing and the CSRF check for a POST, then the
 * route's handler with the signed-in person. A redirect carries its notice in a short-lived
 * cookie (post/redirect/get); a file is sent as an attachment.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { workloadPrincipalId } from '../identity/index.js';
import { requireRoles } from './access.js';
import type { ServerContext } from './context.js';
import { readForm } from './forms.js';
import { type PageRequest, type PageResponse, type PageRoute, pageRoutes } from './pages/index.js';

const noticeCookie = '__Host-shipguard-notice';
const noticeCookieOptions = {
  path: '/',
  secure: true,
  httpOnly: true,
  sameSite: 'strict',
  maxAge: 60,
} as const;

function readNotice(request: FastifyRequest, reply: FastifyReply): PageRequest['notice'] | undefined {
  const raw = request.cookies[noticeCookie];
  if (!raw) return undefined;
  reply.clearCookie(noticeCookie, noticeCookieOptions);
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return undefined;
  const tone = unsigned.value.startsWith('ok:') ? 'ok' : 'error';
  return { tone, text: unsigned.value.slice(unsigned.value.indexOf(':') + 1).slice(0, 500) };
}

async function pageRequest(
  context: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<PageRequest> {
  const auth = request.auth;
  if (!auth?.user || auth.principal.kind !== 'session')
    throw new Error('page route reached without a session');
  const user = auth.user;
  const signer = await context.signerFor(user);
  const withheld = auth.principal.withheldRoles ?? [];
  const notice =
    readNotice(request, reply) ??
    (withheld.length > 0
      ? {
          tone: 'error' as const,
          text: `Your role${withheld.length > 1 ? 's' : ''} ${withheld.join(', ')} need${withheld.length > 1 ? '' : 's'} a sign-in with a second factor, which your identity provider did not report for this session. Sign out, then sign in again with a second factor.`,
        }
      : undefined);
  return {
    store: context.store,
    catalog: context.catalog,
    now: context.now(),
    user: { name: user.name, roles: auth.principal.roles },
    // Separation of duties compares this id (issuer and subject from the provider), not the name.
    actor: {
      id: workloadPrincipalId(user.issuer, user.subject),
      kind: 'workload',
      name: user.name,
      emails: user.email ? [user.email] : [],
    },
    ...(signer ? { signer } : {}),
    csrfToken: context.csrfToken(request, reply),
    params: request.params as Record<string, string>,
    fields: request.form?.fields ?? {},
    files: request.form?.files ?? {},
    changeSettings: context.changeSettings,
    newChangeId: () => `CHG-${randomUUID().slice(0, 8).toUpperCase()}`,
    ...(notice ? { notice } : {}),
  };
}

async function send(reply: FastifyReply, response: PageResponse): Promise<FastifyReply> {
  if (response.kind === 'redirect') {
    reply.setCookie(noticeCookie, `${response.notice.tone}:${response.notice.text.slice(0, 500)}`, {
      ...noticeCookieOptions,
      signed: true,
    });
    return reply.redirect(response.location, 303);
  }
  if (response.kind === 'file') {
    return reply
      .header('content-disposition', 'attachment')
      .header('x-content-type-options', 'nosniff')
      .type(response.mediaType)
      .send(response.content);
  }
  return reply.code(response.status).type('text/html; charset=utf-8').send(response.body);
}

function registerPageRoute(app: FastifyInstance, context: ServerContext, route: PageRoute): void {
  const state = route.method === 'POST';
  app.route({
    method: route.method,
    url: route.path,
    onRequest: requireRoles(context, route.allow),
    ...(state ? { preValidation: readForm, preHandler: app.csrfProtection } : {}),
    async handler(request, reply) {
      const response = await route.handle(await pageRequest(context, request, reply));
      if (state) {
        request.log.info(
          {
            event: 'server.page-post',
            route: route.path,
            subject: request.auth?.principal.kind === 'session' ? request.auth.principal.subject : '',
            outcome:
              response.kind === 'redirect'
                ? response.notice.tone
                : `status ${response.kind === 'html' ? response.status : 200}`,
          },
          'state change requested',
        );
      }
      return send(reply, response);
    },
  });
}

export async function registerPageRoutes(app: FastifyInstance, context: ServerContext): Promise<void> {
  for (const route of pageRoutes) registerPageRoute(app, context, route);
}
