import { type ErrorKinds, errorWithKinds } from '../../kernel/index.js';

export type ApiErrorCode =
  /** A token request the administrator made wrongly (unknown role, no expiry, too long a life). */
  | 'API_TOKEN_REQUEST_INVALID'
  /** No token with that id (revoking). */
  | 'API_TOKEN_NOT_FOUND'
  /** An upload larger than its limit: the stream was stopped, nothing was kept. */
  | 'API_UPLOAD_TOO_LARGE'
  /** An upload past what its principal may have accepted in 24 hours (ASVS 12.1.3). */
  | 'API_UPLOAD_QUOTA'
  /** An upload of a media type the route does not take. */
  | 'API_UPLOAD_MEDIA_TYPE'
  /** An upload whose content is not what the route takes (schema, shape, JSON). */
  | 'API_UPLOAD_INVALID'
  /** An upload for a repository the principal may not act on. */
  | 'API_REPOSITORY_FORBIDDEN'
  /** An upload that is already recorded with other content (an assessment id reused). */
  | 'API_CONFLICT';

const apiErrorKinds: ErrorKinds<ApiErrorCode> = {
  API_TOKEN_REQUEST_INVALID: 'usage',
  API_TOKEN_NOT_FOUND: 'usage',
  API_UPLOAD_TOO_LARGE: 'rejected',
  API_UPLOAD_QUOTA: 'rejected',
  API_UPLOAD_MEDIA_TYPE: 'rejected',
  API_UPLOAD_INVALID: 'rejected',
  API_REPOSITORY_FORBIDDEN: 'rejected',
  API_CONFLICT: 'rejected',
};

/** The HTTP status each code answers with. */
export const statusOfApiError: Readonly<Record<ApiErrorCode, number>> = {
  API_TOKEN_REQUEST_INVALID: 400,
  API_TOKEN_NOT_FOUND: 404,
  API_UPLOAD_TOO_LARGE: 413,
  API_UPLOAD_QUOTA: 429,
  API_UPLOAD_MEDIA_TYPE: 415,
  API_UPLOAD_INVALID: 422,
  API_REPOSITORY_FORBIDDEN: 403,
  API_CONFLICT: 409,
};

export class ApiError extends errorWithKinds(apiErrorKinds) {}
