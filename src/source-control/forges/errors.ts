import { type ErrorKinds, errorWithKinds } from '../../kernel/index.js';

export type ForgeErrorCode =
  | 'FORGE_UNREACHABLE'
  | 'FORGE_UNAUTHORIZED'
  | 'FORGE_NOT_FOUND'
  | 'FORGE_RATE_LIMITED'
  | 'FORGE_SERVER_ERROR'
  | 'FORGE_HTTP_ERROR'
  | 'FORGE_MALFORMED_RESPONSE'
  | 'FORGE_NO_TOKEN';

/** The kind of each code, which decides the exit code. */
const forgeErrorKinds: ErrorKinds<ForgeErrorCode> = {
  FORGE_UNREACHABLE: 'internal',
  FORGE_UNAUTHORIZED: 'internal',
  FORGE_NOT_FOUND: 'internal',
  FORGE_RATE_LIMITED: 'internal',
  FORGE_SERVER_ERROR: 'internal',
  FORGE_HTTP_ERROR: 'internal',
  FORGE_MALFORMED_RESPONSE: 'internal',
  FORGE_NO_TOKEN: 'internal',
};

/** A forge API request that failed after its retries. Messages name the URL path, never the token. */
export class ForgeError extends errorWithKinds(forgeErrorKinds) {}
