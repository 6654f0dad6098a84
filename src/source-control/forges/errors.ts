import { ShipguardError } from '../../kernel/index.js';

export type ForgeErrorCode =
  | 'FORGE_UNREACHABLE'
  | 'FORGE_UNAUTHORIZED'
  | 'FORGE_NOT_FOUND'
  | 'FORGE_RATE_LIMITED'
  | 'FORGE_SERVER_ERROR'
  | 'FORGE_HTTP_ERROR'
  | 'FORGE_MALFORMED_RESPONSE'
  | 'FORGE_NO_TOKEN';

/** A forge API request that failed after its retries. Messages name the URL path, never the token. */
export class ForgeError extends ShipguardError<ForgeErrorCode> {}
