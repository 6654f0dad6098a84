import { type ErrorKinds, errorWithKinds, type SourceLocation } from '../kernel/index.js';

export type CatalogErrorCode =
  | 'CATALOG_UNREADABLE'
  | 'CATALOG_TOO_LARGE'
  | 'CATALOG_SYNTAX'
  | 'CATALOG_INVALID'
  | 'CATALOG_DUPLICATE_ID';

/** The catalog ships with shipguard: every failure to read it is ours (exit 3). */
const catalogErrorKinds: ErrorKinds<CatalogErrorCode> = {
  CATALOG_UNREADABLE: 'internal',
  CATALOG_TOO_LARGE: 'internal',
  CATALOG_SYNTAX: 'internal',
  CATALOG_INVALID: 'internal',
  CATALOG_DUPLICATE_ID: 'internal',
};

/**
 * The control catalog could not be read or is malformed. The catalog ships with shipguard, so
 * this is an internal error (exit 3), never the user's; `key` names the offending entry.
 */
export class CatalogError extends errorWithKinds(catalogErrorKinds) {
  readonly key: string | undefined;

  constructor(
    code: CatalogErrorCode,
    message: string,
    options: { cause?: unknown; location?: SourceLocation; key?: string } = {},
  ) {
    super(code, message, options);
    this.key = options.key;
  }
}
