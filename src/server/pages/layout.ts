/**
 * The page shell: head (one stylesheet, no script, nothing inline), the
 * navigation, the signed-in person, and a notice line. Every page is `layout(context, ...)`.
 */
import { type Html, html, type Interpolation } from './html.js';

/** URL paths of the pages and of the forms they post to; the server registers the same. */
export const paths = {
  portfolio: '/',
  repository: '/repositories/',
  records: '/records',
  recordNew: '/records',
  evidenceUpload: '/records/evidence',
  trainingImport: '/people/training',
  penTests: '/pen-tests',
  penTestUpload: '/pen-tests',
  planApprove: (engagement: string) => `/pen-tests/${encodeURIComponent(engagement)}/plan`,
  changes: '/changes',
  changeApprove: (id: string) => `/changes/${encodeURIComponent(id)}/approve`,
  changeImplement: (id: string) => `/changes/${encodeURIComponent(id)}/implement`,
  gate: '/gate',
  exceptions: '/exceptions',
  people: '/people',
  ledger: '/ledger',
  inclusion: (index: number) => `/ledger/entries/${index}`,
  evidence: (sha256: string) => `/evidence/${sha256}`,
  logout: '/logout',
  accountSessions: '/account/sessions',
  stylesheet: '/assets/pages.css',
} as const;

export type Section =
  | 'portfolio'
  | 'records'
  | 'pen-tests'
  | 'changes'
  | 'gate'
  | 'exceptions'
  | 'people'
  | 'ledger';

/** Who is looking, what they may do, and the CSRF token their forms carry. */
export interface PageContext {
  user: { name: string; roles: readonly string[] };
  csrfToken: string;
  /** Form actions this user may take (e.g. 'records.write'); buttons for others are not shown. */
  can: ReadonlySet<string>;
  /** A one-line message after a form post (e.g. "3 training records imported"). */
  notice?: { tone: 'ok' | 'error'; text: string };
}

const sections: ReadonlyArray<{ id: Section; label: string; href: string }> = [
  { id: 'portfolio', label: 'Portfolio', href: paths.portfolio },
  { id: 'records', label: 'Records', href: paths.records },
  { id: 'pen-tests', label: 'Pen tests', href: paths.penTests },
  { id: 'changes', label: 'Changes', href: paths.changes },
  { id: 'gate', label: 'Gate', href: paths.gate },
  { id: 'exceptions', label: 'Exceptions', href: paths.exceptions },
  { id: 'people', label: 'People', href: paths.people },
  { id: 'ledger', label: 'Ledger', href: paths.ledger },
];

export function layout(context: PageContext, page: { title: string; section: Section; body: Html }): string {
  const nav = sections.map(
    (section) =>
      html`<a href="${section.href}"${section.id === page.section ? html` class="active" aria-current="page"` : ''}>${section.label}</a>`,
  );
  return `<!doctype html>${
    html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${page.title} · shipguard</title><link rel="stylesheet" href="${paths.stylesheet}"></head><body><header class="top"><a class="brand" href="${paths.portfolio}"><span class="mark" aria-hidden="true"></span>shipguard</a><nav aria-label="Sections">${nav}</nav><div class="who"><a class="user" href="${paths.accountSessions}" title="Your sessions">${context.user.name}</a><span class="roles">${context.user.roles.join(', ')}</span><form method="post" action="${paths.logout}">${csrfField(context)}<button class="link" type="submit">Sign out</button></form></div></header><main>${
      context.notice
        ? html`<p class="notice ${context.notice.tone}" role="status">${context.notice.text}</p>`
        : ''
    }<h1>${page.title}</h1>${page.body}</main></body></html>`.text
  }`;
}

/** The hidden field every state-changing form carries. */
export function csrfField(context: PageContext): Html {
  return html`<input type="hidden" name="_csrf" value="${context.csrfToken}">`;
}

/** A form posting to `action` with the CSRF field, shown only when the user may do `permission`. */
export function form(
  context: PageContext,
  permission: string,
  attributes: { action: string; multipart?: boolean; className?: string },
  fields: Interpolation,
): Html {
  if (!context.can.has(permission)) return html``;
  return html`<form method="post" action="${attributes.action}"${attributes.multipart ? html` enctype="multipart/form-data"` : ''} class="${attributes.className ?? 'inline'}">${csrfField(context)}${fields}</form>`;
}

export function pill(tone: string, text: Interpolation): Html {
  return html`<span class="pill ${tone}">${text}</span>`;
}

export function empty(text: string): Html {
  return html`<p class="empty">${text}</p>`;
}

export function card(title: Interpolation, body: Interpolation, extra = ''): Html {
  return html`<section class="card ${extra}"><h2>${title}</h2>${body}</section>`;
}

export function stat(label: string, value: Interpolation, tone = ''): Html {
  return html`<div class="stat ${tone}"><span class="stat-value">${value}</span><span class="stat-label">${label}</span></div>`;
}

export function shortHash(hex: string, length = 12): string {
  return hex.replace(/^sha256:/, '').slice(0, length);
}
