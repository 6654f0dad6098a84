/**
 * What every route registrar of the server receives: the store, the validated configuration,
 * the clock (injected, so tests move time), the audit trail, and the policy's page settings.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Catalog } from '../catalog/index.js';
import type { ChangeSettings } from '../policy/index.js';
import type { Signer } from '../provenance/index.js';
import type { Store } from '../store/index.js';
import type { ServerUser } from './accounts.js';
import type { Audit } from './audit.js';
import type { ServerConfig } from './config.js';
import type { OidcSignIn } from './oidc-login.js';

export interface ServerContext {
  store: Store;
  config: ServerConfig;
  now: () => Date;
  audit: Audit;
  catalog: Catalog;
  changeSettings: ChangeSettings;
  oidc?: OidcSignIn;
  /** The local development sign-in token (no OIDC, loopback only); held in memory only. */
  localSignInToken?: string;
  /** The record-signing key the server holds for a user, if any (records, pen tests, training). */
  signerFor(user: ServerUser): Promise<Signer | undefined>;
  /** The public origin people open: the configured one, else the listening address. */
  publicUrl(request: FastifyRequest): URL;
  /** A CSRF token bound to the request's session (or to "anonymous" before sign-in). */
  csrfToken(request: FastifyRequest, reply: FastifyReply): string;
}
