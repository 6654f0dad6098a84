import { normaliseName, samePersonName } from './names.js';

/**
 * Someone or something that proved who it is: a registered signing key, or a CI workload that
 * presented a verified OIDC ID token. `id` is what separation of duties compares; `name` is only
 * for display (normalised).
 */
export interface Principal {
  /** `key:<hex SHA-256 of the SPKI>` or `oidc:<issuer>#<subject>`. */
  id: string;
  kind: 'key' | 'workload';
  name: string;
  /** E-mail addresses the registry gives this principal (keys), for matching commit authors. */
  emails: string[];
}

export function keyPrincipalId(keyId: string): string {
  return `key:${keyId}`;
}

export function workloadPrincipalId(issuer: string, subject: string): string {
  return `oidc:${issuer}#${subject}`;
}

export function samePrincipal(a: Principal, b: Principal): boolean {
  return a.id === b.id;
}

/**
 * Whether a principal is one of the people a free-text author line names (`Name <email>` from a
 * commit): by a registered e-mail, or by the registered name. Used only to keep commit authors
 * from approving; a match never grants anything.
 */
export function principalMatchesPerson(principal: Principal, person: string): boolean {
  if (samePersonName(principal.name, person)) return true;
  return principal.emails.some((email) => samePersonName(`<${email}>`, person));
}

/**
 * Whether two principals are one person: the same principal, or one's registered name or e-mails
 * match the other's (a person may hold several keys, e.g. a PEM key under their name and an SSH
 * key the allowed-signers file names by e-mail). Used only to keep people apart; grants nothing.
 */
export function samePerson(a: Principal, b: Principal): boolean {
  if (samePrincipal(a, b) || principalMatchesPerson(a, b.name)) return true;
  return b.emails.some((email) => principalMatchesPerson(a, `<${email}>`));
}

/** For display: the normalised name and the start of the principal id. */
export function principalDisplay(principal: Principal): string {
  return `${normaliseName(principal.name)} (${principal.id.slice(0, 28)}${principal.id.length > 28 ? '…' : ''})`;
}
