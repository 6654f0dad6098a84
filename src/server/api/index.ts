/** The machine-facing half of `shipguard serve`: API tokens, CI identities, uploads, the JSON API (readme.md). */
export {
  type AuthenticateOptions,
  authenticateBearer,
  bearerCredential,
  type WorkloadIssuer,
} from './authenticate.js';
export { ApiError, type ApiErrorCode } from './errors.js';
export { openApiDocumentPath, registerApi } from './openapi.js';
export { apiPortfolio, type PortfolioEntry, worstStatus } from './portfolio.js';
export { type ApiDeps, type ApiRoute, apiPlugin, apiRoutes, effectiveRoles, mayUse } from './routes.js';
export {
  type ApiTokenInfo,
  apiTokenPattern,
  apiTokenPrefix,
  createApiToken,
  everyRepository,
  listApiTokens,
  maxTokenLifetimeDays,
  revokeApiToken,
  tokenRoles,
} from './tokens.js';
export {
  discardUpload,
  readUpload,
  type StreamedUpload,
  streamUpload,
  type UploadLimits,
} from './upload.js';
export { readableRepositories, type UploadResult, uploadRepository } from './uploads.js';
