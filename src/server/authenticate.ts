/**
 * Who a request comes from: the session its `__Host-` cookie names (roles read from the grants
 * in force on every request, so a revoked role stops working at once), or whatever the optional
 * bearer authenticator (API tokens, CI workloads: wired in by the lead) accepts. Anything else
 * is anonymous. Runs as an `onRequest` hook, before any body is read.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../store/index.js';
import { activeGrants, getUser, type ServerUser } from './accounts.js';
import type { Audit } from './audit.js';
import { sessionReference } from './audit.js';
import { type MultiFactorRequirement, rolesNeedingMultiFactor } from './multi-factor.js';
import type { ServerRole } from './pages/index.js';
import type { RequestPrincipal } from './principal.js';
import { resumeSession, type Session, type SessionTimes, sessionCookieName } from './sessions.js';

export interface RequestAuth {
  principal: RequestPrincipal;
  /** Set for a session principal. */
  session?: Session;
  user?: ServerUser;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth | null;
  }
}

export type BearerAuthenticator = (request: FastifyRequest) => Promise<RequestPrincipal | undefined>;

export interface AuthenticateOptions {
  store: Store;
  times: SessionTimes;
  now: () => Date;
  audit: Audit;
  authenticateBearer?: BearerAuthenticator;
  /** Which roles a session signed in with one factor may not use (decision 0010). */
  multiFactorRequiredFor: MultiFactorRequirement;
}

export function subjectOf(user: ServerUser): string {
  return `${user.issuer}#${user.subject}`;
}

export async function sessionPrincipal(
  store: Store,
  user: ServerUser,
  now: Date,
  sign: { multiFactor: boolean; requiredFor: MultiFactorRequirement },
): Promise<RequestPrincipal> {
  const grants = await activeGrants(store, user.id, now);
  const held = grants.map((grant) => grant.role as ServerRole);
  // A role that needs a second factor is withheld from a session whose sign-in showed one factor.
  const withheld = sign.multiFactor ? [] : rolesNeedingMultiFactor(sign.requiredFor, held);
  const usable = grants.filter((grant) => !withheld.includes(grant.role as ServerRole));
  const ends = usable.flatMap((grant) => (grant.expiresAt ? [grant.expiresAt.getTime()] : []));
  return {
    kind: 'session',
    subject: subjectOf(user),
    name: user.name,
    ...(user.email ? { email: user.email } : {}),
    roles: usable.map((grant) => grant.role as ServerRole),
    ...(withheld.length > 0 ? { withheldRoles: withheld } : {}),
    ...(ends.length > 0 ? { rolesExpireAt: new Date(Math.min(...ends)) } : {}),
  };
}

export function createAuthenticate(options: AuthenticateOptions) {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    request.auth = null;
    if (request.headers.authorization !== undefined) {
      // A bearer credential is for the API: without an authenticator, nothing accepts it.
      const principal = options.authenticateBearer ? await options.authenticateBearer(request) : undefined;
      if (principal) request.auth = { principal };
      return;
    }
    const cookie = request.cookies[sessionCookieName];
    if (cookie === undefined) return;
    const now = options.now();
    const lookup = await resumeSession(options.store, cookie, options.times, now);
    if (lookup.state === 'expired') {
      reply.clearCookie(sessionCookieName, { path: '/', secure: true, httpOnly: true, sameSite: 'lax' });
      await options.audit.record(
        {
          type: 'server.session-expired',
          data: { session: sessionReference(lookup.idHash), reason: lookup.reason },
        },
        request.log,
      );
      return;
    }
    if (lookup.state === 'unknown') {
      reply.clearCookie(sessionCookieName, { path: '/', secure: true, httpOnly: true, sameSite: 'lax' });
      return;
    }
    const user = await getUser(options.store, lookup.session.userId);
    if (!user) return;
    request.auth = {
      principal: await sessionPrincipal(options.store, user, now, {
        multiFactor: lookup.session.multiFactor,
        requiredFor: options.multiFactorRequiredFor,
      }),
      session: lookup.session,
      user,
    };
  };
}
