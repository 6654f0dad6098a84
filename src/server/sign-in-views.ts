/**
 * The pages of signing in and of role administration, in the same shell and stylesheet as the
 * dashboard (no script, nothing inline; every value escaped by `html`).
 */
import type { RoleGrant, ServerUser } from './accounts.js';
import { sessionReference } from './audit.js';
import { type Html, html, layout, type PageContext, paths } from './pages/index.js';
import type { SessionSummary } from './sessions.js';

export const signInPaths = {
  signIn: '/login',
  callback: '/auth/callback',
  bootstrap: '/login/bootstrap',
  local: '/login/local',
  signOut: paths.logout,
  roles: '/admin/roles',
  grant: '/admin/roles/grant',
  revoke: '/admin/roles/revoke',
  endUserSessions: '/admin/sessions/end',
  sessions: paths.accountSessions,
  endSession: '/account/sessions/end',
} as const;

function bare(title: string, body: Html): string {
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · shipguard</title><link rel="stylesheet" href="${paths.stylesheet}"></head><body><header class="top"><span class="brand"><span class="mark" aria-hidden="true"></span>shipguard</span></header><main><h1>${title}</h1>${body}</main></body></html>`.text}`;
}

function csrf(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

export interface SignInPageModel {
  csrfToken: string;
  /** The identity provider's origin, when OIDC is configured. */
  provider?: string;
  localSignIn: boolean;
  /** No administrator yet: offer the bootstrap token. */
  bootstrapOpen: boolean;
  message?: string;
}

export function signInPage(model: SignInPageModel): string {
  const parts: Html[] = [];
  if (model.message) parts.push(html`<p class="notice error" role="alert">${model.message}</p>`);
  if (model.provider) {
    parts.push(
      html`<section class="card"><h2>Sign in</h2><p>With your organisation’s account at <code>${model.provider}</code>.</p><form method="post" action="${signInPaths.signIn}" class="stack">${csrf(model.csrfToken)}<button type="submit">Sign in</button></form></section>`,
    );
    if (model.bootstrapOpen)
      parts.push(
        html`<section class="card"><h2>First administrator</h2><p>Paste the one-time bootstrap token <code>shipguard serve</code> printed at its first start, then sign in: you become the administrator and the token is used up.</p><form method="post" action="${signInPaths.bootstrap}" class="stack">${csrf(model.csrfToken)}<label>Bootstrap token <input type="password" name="token" autocomplete="off" required></label><button type="submit">Sign in as the first administrator</button></form></section>`,
      );
  }
  if (model.localSignIn)
    parts.push(
      html`<section class="card"><h2>Local development sign-in</h2><p>No identity provider is configured, so this server listens on loopback only and signs in one local administrator with the token <code>shipguard serve</code> printed at start. Configure OIDC (docs/server.md) before anyone else uses it.</p><form method="post" action="${signInPaths.local}" class="stack">${csrf(model.csrfToken)}<label>Sign-in token <input type="password" name="token" autocomplete="off" required></label><button type="submit">Sign in (local development)</button></form></section>`,
    );
  return bare('Sign in', html`${parts}`);
}

/** Signed in, but no role: the person knows whom to ask, and nothing else is shown. */
export function noRolePage(context: PageContext): string {
  return layout(context, {
    title: 'No access yet',
    section: 'portfolio',
    body: html`<p class="lede">You are signed in as ${context.user.name}, but you hold no role on this server.</p><p>Ask an administrator to grant you one; they see you in the list of people who signed in.</p>`,
  });
}

export function signInFailedPage(reference: string): string {
  return bare(
    'Sign-in failed',
    html`<p class="lede">The sign-in could not be completed. Try again; if it keeps failing, give an administrator this reference.</p><p class="sub">Reference <code>${reference}</code></p><p><a href="${signInPaths.signIn}">Sign in again</a></p>`,
  );
}

export interface RolesPageModel {
  users: readonly ServerUser[];
  grants: readonly RoleGrant[];
  roles: readonly string[];
  now: Date;
}

export function rolesPage(context: PageContext, model: RolesPageModel): string {
  const rows = model.users.map((user) => {
    const grants = model.grants.filter((grant) => grant.userId === user.id);
    const held = grants.map(
      (grant) =>
        html`<li>${grant.role}${grant.expiresAt ? html` <span class="sub">until ${grant.expiresAt.toISOString().slice(0, 10)}${grant.expiresAt <= model.now ? ' (expired)' : ''}</span>` : ''} <form method="post" action="${signInPaths.revoke}" class="inline">${csrf(context.csrfToken)}<input type="hidden" name="user" value="${user.id}"><input type="hidden" name="role" value="${grant.role}"><button class="link" type="submit">Revoke</button></form></li>`,
    );
    return html`<tr><td>${user.name}<div class="sub">${user.email ?? ''} ${user.issuer}</div><form method="post" action="${signInPaths.endUserSessions}" class="inline">${csrf(context.csrfToken)}<input type="hidden" name="user" value="${user.id}"><button class="link" type="submit">End sessions</button></form></td><td><ul>${held}</ul></td><td><form method="post" action="${signInPaths.grant}" class="inline">${csrf(context.csrfToken)}<input type="hidden" name="user" value="${user.id}"><select name="role" aria-label="Role for ${user.name}">${model.roles.map((role) => html`<option>${role}</option>`)}</select><label>until <input type="date" name="expires"></label><button type="submit">Grant</button></form></td></tr>`;
  });
  return layout(context, {
    title: 'People and roles',
    section: 'portfolio',
    body: html`<p class="lede">Roles come only from these grants. An auditor’s grant must end; every grant and revocation is ledgered.</p><table><thead><tr><th>Person</th><th>Roles</th><th>Grant</th></tr></thead><tbody>${rows}</tbody></table>`,
  });
}

export interface SessionsPageModel {
  sessions: readonly SessionSummary[];
  /** The hash of the session this page was asked from. */
  current: string;
}

/** A person's own sessions (ASVS 3.3.4): when each began and was last used, and a way to end it. */
export function sessionsPage(context: PageContext, model: SessionsPageModel): string {
  const when = (date: Date) => date.toISOString().slice(0, 16).replace('T', ' ');
  const rows = model.sessions.map((session) => {
    const reference = sessionReference(session.idHash);
    const end = html`<form method="post" action="${signInPaths.endSession}" class="inline">${csrf(context.csrfToken)}<input type="hidden" name="session" value="${reference}"><button class="link" type="submit">End</button></form>`;
    return html`<tr><td><code>${reference}</code>${session.idHash === model.current ? html` <span class="sub">(this browser)</span>` : ''}</td><td>${when(session.createdAt)}</td><td>${when(session.lastSeenAt)}</td><td>${when(session.idleExpiresAt)}</td><td>${session.idHash === model.current ? 'use Sign out' : end}</td></tr>`;
  });
  const others = model.sessions.filter((session) => session.idHash !== model.current).length;
  return layout(context, {
    title: 'Your sessions',
    section: 'portfolio',
    body: html`<p class="lede">Every session signed in as you, in UTC. End any you do not recognise; a session also ends after 30 minutes unused or 12 hours in all.</p><table><thead><tr><th>Session</th><th>Signed in</th><th>Last used</th><th>Ends if unused at</th><th></th></tr></thead><tbody>${rows}</tbody></table>${others > 0 ? html`<form method="post" action="${signInPaths.endSession}">${csrf(context.csrfToken)}<input type="hidden" name="session" value="others"><button type="submit">End all other sessions (${others})</button></form>` : ''}`,
  });
}
