/**
 * Who a request comes from, once the server has authenticated it. Every route decides from this
 * alone; nothing in a request body or header names who acts.
 *
 * - `session`: a person signed in through OpenID Connect (server-side session, `__Host-` cookie).
 * - `token`: an API token (random, stored hashed, scoped to roles and repositories, expiring).
 * - `workload`: a CI job proved by its OIDC ID token (issuer, audience, repository, ref checked).
 */
import type { ServerRole } from './pages/index.js';

export type RequestPrincipal =
  | {
      kind: 'session';
      /** The identity provider's stable subject (`iss` + `sub`). */
      subject: string;
      name: string;
      email?: string;
      roles: readonly ServerRole[];
      /** Roles granted but not usable in this session: its sign-in showed one factor (decision 0010). */
      withheldRoles?: readonly ServerRole[];
      /** Auditor access is time-boxed: after this instant the role grants nothing. */
      rolesExpireAt?: Date;
    }
  | {
      kind: 'token';
      tokenId: string;
      name: string;
      roles: readonly ServerRole[];
      /** Repositories (normalised remote URLs) the token may act on; empty = none. */
      repositories: readonly string[];
    }
  | {
      kind: 'workload';
      issuer: string;
      subject: string;
      /** The repository the ID token names (normalised remote URL). */
      repository: string;
      ref?: string;
      roles: readonly ['ci'];
    };
