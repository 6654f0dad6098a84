/**
 * The access rule every page route runs before its body is read: a person's session (API
 * principals do not use pages), then one of the route's roles. Unauthenticated: a GET is sent to
 * sign in, anything else is 401. Signed in with no role at all: the "ask an administrator" page.
 * A wrong role: 403, logged and ledgered.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from './context.js';
import { errorPage, type PageContext, permissionsFor, type ServerRole } from './pages/index.js';
import { noRolePage, signInPaths } from './sign-in-views.js';

export function pageContext(
  context: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
): PageContext {
  const principal = request.auth?.principal;
  const roles = principal?.roles ?? [];
  return {
    user: { name: principal && principal.kind !== 'workload' ? principal.name : '', roles },
    csrfToken: context.csrfToken(request, reply),
    can: permissionsFor(roles),
  };
}

export function requireRoles(context: ServerContext, allow: readonly ServerRole[]) {
  return async function checkAccess(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply | undefined> {
    const principal = request.auth?.principal;
    if (principal?.kind !== 'session') {
      if (request.method === 'GET' || request.method === 'HEAD')
        return reply.redirect(signInPaths.signIn, 303);
      return reply
        .code(401)
        .type('text/html; charset=utf-8')
        .send(errorPage(undefined, 401, 'Sign in first.'));
    }
    if (principal.roles.some((role) => allow.includes(role))) return undefined;
    await context.audit.record(
      {
        type: 'server.access-denied',
        data: {
          subject: principal.subject,
          roles: [...principal.roles],
          method: request.method,
          route: request.routeOptions.url ?? '',
        },
      },
      request.log,
    );
    const page = pageContext(context, request, reply);
    if (principal.roles.length === 0)
      return reply.code(403).type('text/html; charset=utf-8').send(noRolePage(page));
    return reply
      .code(403)
      .type('text/html; charset=utf-8')
      .send(errorPage(page, 403, 'Your roles do not allow this.'));
  };
}
