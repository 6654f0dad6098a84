/** `shipguard serve`: the server and its pages (see readme.md). */
export {
  bootstrapTokenMatches,
  grantRole,
  hasAdministrator,
  issueBootstrapToken,
  revokeRole,
  type ServerUser,
} from './accounts.js';
/** The JSON API, API tokens and CI uploads. */
export * as api from './api/index.js';
export { apiServerOptions } from './api-wiring.js';
export { buildServer, type ServerOptions, type ServerPlugin } from './app.js';
export type { BearerAuthenticator } from './authenticate.js';
export {
  defaultHost,
  defaultPort,
  isLoopbackHost,
  resolveServerConfig,
  type ServerConfig,
  type ServerConfigInputs,
} from './config.js';
export type { ServerContext } from './context.js';
export { ServerError, type ServerErrorCode } from './errors.js';
export * as pages from './pages/index.js';
export type { RequestPrincipal } from './principal.js';
