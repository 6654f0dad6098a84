import { type ErrorKinds, errorWithKinds } from '../kernel/index.js';

export type ServerErrorCode =
  /** The configuration file or a value is malformed (unknown key, wrong type). */
  | 'SERVER_CONFIG_INVALID'
  /** The configuration would run the server insecurely; the message says which setting and why. */
  | 'SERVER_CONFIG_INSECURE'
  /** The identity provider could not be reached or answered something unusable. */
  | 'SERVER_OIDC_UNAVAILABLE'
  /** A sign-in that failed its checks (state, nonce, PKCE, token signature, issuer). */
  | 'SERVER_SIGN_IN_REFUSED'
  /** A role grant the rules refuse (an auditor without an end, an unknown role or user). */
  | 'SERVER_GRANT_INVALID';

const serverErrorKinds: ErrorKinds<ServerErrorCode> = {
  SERVER_CONFIG_INVALID: 'config',
  SERVER_CONFIG_INSECURE: 'config',
  SERVER_OIDC_UNAVAILABLE: 'internal',
  SERVER_SIGN_IN_REFUSED: 'rejected',
  SERVER_GRANT_INVALID: 'usage',
};

export class ServerError extends errorWithKinds(serverErrorKinds) {}
