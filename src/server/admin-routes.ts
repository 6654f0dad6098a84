/**
 * Role administration (administrator only): who signed in, the roles granted to them, and forms
 * to grant and revoke. Grants and revocations are ledgered by `accounts.ts` in the same
 * transaction as the row; an auditor grant without an end is refused.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pageContext, requireRoles } from './access.js';
import { getUser, grantRole, listGrants, listUsers, revokeRole } from './accounts.js';
import type { ServerContext } from './context.js';
import { ServerError } from './errors.js';
import { readForm } from './forms.js';
import { errorPage, type ServerRole, serverRoles } from './pages/index.js';
import { endSessionsOf } from './sessions.js';
import { rolesPage, signInPaths } from './sign-in-views.js';

export const adminRoles: readonly ServerRole[] = ['administrator'];

/** Role changes need a sign-in this recent (ASVS 3.7.1): a session left open is not enough. */
export const recentSignInMs = 15 * 60_000;

/**
 * Refuses a sensitive change unless the session began (at sign-in: the id rotates then) within
 * `recentSignInMs`, with a page that says to sign in again.
 */
export function requireRecentSignIn(context: ServerContext) {
  return async function checkRecent(request: FastifyRequest, reply: FastifyReply) {
    const session = request.auth?.session;
    const age = session ? context.now().getTime() - session.createdAt.getTime() : Number.POSITIVE_INFINITY;
    if (age <= recentSignInMs) return undefined;
    request.log.info(
      { event: 'server.reauthentication-required' },
      'sensitive change needs a recent sign-in',
    );
    return reply
      .code(401)
      .type('text/html; charset=utf-8')
      .send(
        errorPage(
          pageContext(context, request, reply),
          401,
          `Changing roles needs a sign-in within the last ${recentSignInMs / 60_000} minutes: sign out, sign in again, then repeat the change.`,
        ),
      );
  };
}

/** An expiry from a date field: the end of that day in UTC. */
function parseExpiry(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value))
    throw new ServerError('SERVER_GRANT_INVALID', 'expiry: expected a date');
  const date = new Date(`${value}T23:59:59.999Z`);
  if (Number.isNaN(date.getTime())) throw new ServerError('SERVER_GRANT_INVALID', 'expiry: expected a date');
  return date;
}

export async function registerAdminRoutes(app: FastifyInstance, context: ServerContext): Promise<void> {
  const access = requireRoles(context, adminRoles);
  const recent = requireRecentSignIn(context);
  const actingUser = (request: FastifyRequest) => request.auth?.user?.id ?? '';

  async function show(request: FastifyRequest, reply: FastifyReply) {
    const page = pageContext(context, request, reply);
    return reply.type('text/html; charset=utf-8').send(
      rolesPage(page, {
        users: await listUsers(context.store),
        grants: await listGrants(context.store),
        roles: serverRoles.filter((role) => role !== 'ci'),
        now: context.now(),
      }),
    );
  }

  async function refused(request: FastifyRequest, reply: FastifyReply, error: unknown) {
    if (!(error instanceof ServerError)) throw error;
    return reply
      .code(400)
      .type('text/html; charset=utf-8')
      .send(errorPage(pageContext(context, request, reply), 400, error.message));
  }

  app.get(signInPaths.roles, { onRequest: access }, show);

  /** The options of every form here: a role administrator, a recent sign-in, the CSRF token. */
  const sensitiveForm = {
    onRequest: access,
    preValidation: readForm,
    preHandler: [app.csrfProtection, recent],
  };

  /** A role form: `change` applies its fields as the acting user, then the roles page again. */
  function roleForm(
    path: string,
    event: string,
    message: string,
    change: (fields: Readonly<Record<string, string | undefined>>, by: string) => Promise<void>,
  ): void {
    app.post(path, sensitiveForm, async (request, reply) => {
      const fields = request.form?.fields ?? {};
      try {
        await change(fields, actingUser(request));
      } catch (error) {
        return refused(request, reply, error);
      }
      request.log.info({ event, user: fields['user'], role: fields['role'] }, message);
      return reply.redirect(signInPaths.roles, 303);
    });
  }

  roleForm(signInPaths.grant, 'server.role-granted', 'role granted', async (fields, by) => {
    const expiresAt = parseExpiry(fields['expires']);
    await grantRole(context.store, {
      userId: fields['user'] ?? '',
      role: fields['role'] ?? '',
      grantedBy: by,
      ...(expiresAt ? { expiresAt } : {}),
      now: context.now(),
    });
  });

  roleForm(signInPaths.revoke, 'server.role-revoked', 'role revoked', async (fields, by) => {
    await revokeRole(context.store, {
      userId: fields['user'] ?? '',
      role: fields['role'] ?? '',
      revokedBy: by,
      now: context.now(),
    });
  });

  app.post(signInPaths.endUserSessions, sensitiveForm, async (request, reply) => {
    const user = await getUser(context.store, request.form?.fields['user'] ?? '');
    if (!user) return refused(request, reply, new ServerError('SERVER_GRANT_INVALID', 'no such person'));
    const ended = await endSessionsOf(context.store, user.id);
    await context.audit.record(
      {
        type: 'server.sessions-ended',
        data: { subject: user.subject, by: actingUser(request), ended },
      },
      request.log,
    );
    return reply.redirect(signInPaths.roles, 303);
  });
}
