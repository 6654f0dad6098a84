/**
 * The JSON API inside the real server: bearer credentials (API tokens, CI workload identities)
 * become principals in the server's own authentication hook, and the API's routes are added as a
 * plugin, under the server's headers, rate limit and logging. `serve` and the tests use this one
 * wiring, so what is tested is what runs.
 */
import type { Catalog } from '../catalog/index.js';
import { maxEvidenceBytes } from '../records/index.js';
import type { Store } from '../store/index.js';
import { authenticateBearer, registerApi } from './api/index.js';
import type { ServerOptions } from './app.js';
import type { ServerConfig } from './config.js';

export function apiServerOptions(
  store: Store,
  config: ServerConfig,
  options: { catalog: Catalog; now?: () => Date; uploadFolder?: string; portfolioFreshMs?: number },
): Pick<ServerOptions, 'authenticateBearer' | 'plugins'> {
  const now = options.now ?? (() => new Date());
  return {
    authenticateBearer: (request) =>
      authenticateBearer(store, request.headers.authorization, {
        now: now(),
        workloadIssuers: config.ci.workloadIssuers.map(({ refs, ...issuer }) =>
          refs ? { ...issuer, refs } : issuer,
        ),
        onRefused: (reason) =>
          request.log.info({ event: 'bearer.refused', reason }, 'bearer credential refused'),
      }),
    plugins: [
      (app) =>
        registerApi(app, {
          store,
          catalog: options.catalog,
          clock: now,
          // The API's uploads are kept as evidence: never more than the evidence store keeps, so a
          // larger one is cut off as it streams (413), not parsed whole and refused after.
          maxUploadBytes: Math.min(config.limits.uploadBytes, maxEvidenceBytes),
          uploadBytesPerDay: config.limits.uploadBytesPerDay,
          ...(options.uploadFolder === undefined ? {} : { uploadFolder: options.uploadFolder }),
          ...(options.portfolioFreshMs === undefined ? {} : { portfolioFreshMs: options.portfolioFreshMs }),
          // The server's own hook has already decided who this is (a bearer, or a session).
          authenticate: async (request) => request.auth?.principal,
        }),
    ],
  };
}
