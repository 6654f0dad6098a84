/**
 * Signing in and out: the OIDC redirect and callback, the bootstrap token (first administrator),
 * the local development sign-in (no OIDC, loopback only) and sign-out. A sign-in always makes a
 * new session id and ends the one the browser had (no fixation); sign-out deletes the session
 * row, so the cookie never works again.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pageContext } from './access.js';
import {
  activeGrants,
  bootstrapTokenMatches,
  consumeBootstrapToken,
  grantRole,
  hasAdministrator,
  localIssuer,
  type ServerUser,
  sha256Hex,
  upsertUser,
} from './accounts.js';
import { sessionReference } from './audit.js';
import type { ServerContext } from './context.js';
import { readForm } from './forms.js';
import { multiFactorRequirementOf, rolesNeedingMultiFactor } from './multi-factor.js';
import type { SignInAttempt } from './oidc-login.js';
import { errorPage, type ServerRole } from './pages/index.js';
import { createSession, endSession, endSessionOf, listSessionsOf, sessionCookieName } from './sessions.js';
import { sessionsPage, signInFailedPage, signInPage, signInPaths } from './sign-in-views.js';

export const signInCookieName = '__Host-shipguard-sign-in';
const signInCookieSeconds = 600;

export const sessionCookieOptions = { path: '/', secure: true, httpOnly: true, sameSite: 'lax' } as const;

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(body);
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(sha256Hex(given), 'hex');
  const b = Buffer.from(sha256Hex(expected), 'hex');
  return timingSafeEqual(a, b);
}

function readAttempt(request: FastifyRequest): SignInAttempt | undefined {
  const raw = request.cookies[signInCookieName];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return undefined;
  try {
    const value = JSON.parse(
      Buffer.from(unsigned.value, 'base64url').toString('utf8'),
    ) as Partial<SignInAttempt>;
    if (
      typeof value.state !== 'string' ||
      typeof value.nonce !== 'string' ||
      typeof value.verifier !== 'string'
    )
      return undefined;
    return {
      state: value.state,
      nonce: value.nonce,
      verifier: value.verifier,
      ...(typeof value.bootstrap === 'string' ? { bootstrap: value.bootstrap } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Ends the browser's old session (if any) and starts a new one: the id changes at every sign-in. */
async function startSession(
  context: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
  user: ServerUser,
  method: string,
  multiFactor: boolean,
): Promise<void> {
  if (request.auth?.session) await endSession(context.store, request.auth.session.idHash);
  const now = context.now();
  const { id, session } = await createSession(context.store, user.id, context.config.sessions, now, {
    multiFactor,
  });
  reply.setCookie(sessionCookieName, id, sessionCookieOptions);
  const roles = (await activeGrants(context.store, user.id, now)).map((grant) => grant.role as ServerRole);
  const withheld = multiFactor
    ? []
    : rolesNeedingMultiFactor(multiFactorRequirementOf(context.config), roles);
  await context.audit.record(
    {
      type: 'server.signed-in',
      data: {
        user: { id: user.id, issuer: user.issuer, subject: user.subject, name: user.name },
        method,
        multiFactor,
        roles,
        ...(withheld.length > 0 ? { withheldRoles: withheld } : {}),
        session: sessionReference(session.idHash),
      },
    },
    request.log,
  );
}

async function refuseSignIn(
  context: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
  reason: string,
  error?: unknown,
): Promise<FastifyReply> {
  request.log.warn({ err: error, reason }, 'sign-in refused');
  await context.audit.record(
    { type: 'server.sign-in-refused', data: { reason, reference: request.id } },
    request.log,
  );
  return html(reply, 400, signInFailedPage(request.id));
}

export async function registerSignInRoutes(app: FastifyInstance, context: ServerContext): Promise<void> {
  const signInRate = { rateLimit: { max: context.config.rateLimit.signInPerMinute, timeWindow: 60_000 } };

  async function showSignIn(request: FastifyRequest, reply: FastifyReply, message?: string, status = 200) {
    return html(
      reply,
      status,
      signInPage({
        csrfToken: context.csrfToken(request, reply),
        ...(context.config.oidc ? { provider: context.config.oidc.issuer.origin } : {}),
        localSignIn: context.localSignInToken !== undefined,
        bootstrapOpen:
          context.config.oidc !== undefined && !(await hasAdministrator(context.store, context.now())),
        ...(message ? { message } : {}),
      }),
    );
  }

  async function beginOidc(request: FastifyRequest, reply: FastifyReply, bootstrap?: string) {
    if (!context.oidc) return showSignIn(request, reply, 'No identity provider is configured.', 404);
    const redirectUri = new URL(signInPaths.callback, context.publicUrl(request)).href;
    const { url, attempt } = await context.oidc.begin(redirectUri);
    const value = Buffer.from(JSON.stringify({ ...attempt, ...(bootstrap ? { bootstrap } : {}) })).toString(
      'base64url',
    );
    reply.setCookie(signInCookieName, value, {
      ...sessionCookieOptions,
      signed: true,
      maxAge: signInCookieSeconds,
    });
    return reply.redirect(url.href, 303);
  }

  app.get(signInPaths.signIn, { config: signInRate }, async (request, reply) => {
    if (request.auth?.principal.kind === 'session') return reply.redirect('/', 303);
    return showSignIn(request, reply);
  });

  app.post(
    signInPaths.signIn,
    { config: signInRate, preValidation: readForm, preHandler: app.csrfProtection },
    (request, reply) => beginOidc(request, reply),
  );

  app.post(
    signInPaths.bootstrap,
    { config: signInRate, preValidation: readForm, preHandler: app.csrfProtection },
    async (request, reply) => {
      const token = request.form?.fields['token'] ?? '';
      if (!(await bootstrapTokenMatches(context.store, token, context.now()))) {
        await context.audit.record(
          {
            type: 'server.sign-in-refused',
            data: { reason: 'bootstrap token does not match', reference: request.id },
          },
          request.log,
        );
        return showSignIn(
          request,
          reply,
          'That is not the bootstrap token, or it was used already, or it was printed more than a day ago (start the server again for a new one).',
          403,
        );
      }
      return beginOidc(request, reply, sha256Hex(token));
    },
  );

  app.get(signInPaths.callback, { config: signInRate }, async (request, reply) => {
    const attempt = readAttempt(request);
    reply.clearCookie(signInCookieName, sessionCookieOptions);
    if (!attempt || !context.oidc) return refuseSignIn(context, request, reply, 'no sign-in in progress');
    let identity: Awaited<ReturnType<NonNullable<ServerContext['oidc']>['finish']>>;
    try {
      const current = new URL(request.url, context.publicUrl(request));
      identity = await context.oidc.finish(current, attempt);
    } catch (error) {
      return refuseSignIn(context, request, reply, 'the provider’s answer failed its checks', error);
    }
    const user = await upsertUser(context.store, identity, context.now());
    if (
      attempt.bootstrap &&
      !(await consumeBootstrapToken(context.store, attempt.bootstrap, user.id, context.now()))
    )
      return refuseSignIn(context, request, reply, 'bootstrap token used already');
    await startSession(
      context,
      request,
      reply,
      user,
      attempt.bootstrap ? 'oidc+bootstrap' : 'oidc',
      identity.multiFactor,
    );
    return reply.redirect('/', 303);
  });

  app.post(
    signInPaths.local,
    { config: signInRate, preValidation: readForm, preHandler: app.csrfProtection },
    async (request, reply) => {
      const expected = context.localSignInToken;
      const token = request.form?.fields['token'] ?? '';
      if (expected === undefined) return showSignIn(request, reply, 'The local sign-in is off.', 404);
      if (!sameToken(token, expected)) {
        await context.audit.record(
          {
            type: 'server.sign-in-refused',
            data: { reason: 'local sign-in token does not match', reference: request.id },
          },
          request.log,
        );
        return showSignIn(request, reply, 'That is not the sign-in token this server printed.', 403);
      }
      const now = context.now();
      const user = await upsertUser(
        context.store,
        { issuer: localIssuer, subject: 'administrator', name: 'Local administrator' },
        now,
      );
      const roles = await activeGrants(context.store, user.id, now);
      if (!roles.some((grant) => grant.role === 'administrator'))
        await grantRole(context.store, {
          userId: user.id,
          role: 'administrator',
          grantedBy: 'local sign-in',
          now,
        });
      // Loopback only, and no provider to show a second factor: nothing is withheld (requiredFor: nobody).
      await startSession(context, request, reply, user, 'local', false);
      return reply.redirect('/', 303);
    },
  );

  // A person's own sessions: listed, and any of them (or all but this one) ended.
  app.get(signInPaths.sessions, async (request, reply) => {
    const session = request.auth?.session;
    const user = request.auth?.user;
    if (!session || !user) return reply.redirect(signInPaths.signIn, 303);
    return reply.type('text/html; charset=utf-8').send(
      sessionsPage(pageContext(context, request, reply), {
        sessions: await listSessionsOf(context.store, user.id, context.now()),
        current: session.idHash,
      }),
    );
  });

  app.post(
    signInPaths.endSession,
    { preValidation: readForm, preHandler: app.csrfProtection },
    async (request, reply) => {
      const session = request.auth?.session;
      const user = request.auth?.user;
      if (!session || !user)
        return reply
          .code(401)
          .type('text/html; charset=utf-8')
          .send(errorPage(undefined, 401, 'Sign in first.'));
      const wanted = request.form?.fields['session'] ?? '';
      const targets =
        wanted === 'others'
          ? (await listSessionsOf(context.store, user.id, context.now()))
              .filter((item) => item.idHash !== session.idHash)
              .map((item) => sessionReference(item.idHash))
          : [wanted];
      let ended = 0;
      for (const reference of targets) {
        // This browser's own session ends by signing out, which also clears its cookie.
        if (reference === sessionReference(session.idHash)) continue;
        ended += await endSessionOf(context.store, user.id, reference);
      }
      if (ended > 0) {
        await context.audit.record(
          {
            type: 'server.sessions-ended',
            data: { subject: user.subject, by: user.subject, sessions: targets, ended },
          },
          request.log,
        );
      }
      return reply.redirect(signInPaths.sessions, 303);
    },
  );

  app.post(
    signInPaths.signOut,
    { preValidation: readForm, preHandler: app.csrfProtection },
    async (request, reply) => {
      const session = request.auth?.session;
      if (session) {
        await endSession(context.store, session.idHash);
        await context.audit.record(
          {
            type: 'server.signed-out',
            data: {
              subject: request.auth?.principal.kind === 'session' ? request.auth.principal.subject : '',
              session: sessionReference(session.idHash),
            },
          },
          request.log,
        );
      }
      reply.clearCookie(sessionCookieName, sessionCookieOptions);
      return reply.redirect(signInPaths.signIn, 303);
    },
  );
}
