import { redactDatabaseUrl, StoreError, type StoreErrorCode, scrubPassword } from '../errors.js';

/** Node socket errors that mean the server is not there. */
const unreachableSocketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
]);

/** SQLSTATE codes (or classes, two characters) that map to a store error code. */
const sqlStates: ReadonlyArray<[prefix: string, code: StoreErrorCode]> = [
  ['23505', 'STORE_CONFLICT'], // unique_violation
  ['40001', 'STORE_BUSY'], // serialization_failure
  ['40P01', 'STORE_BUSY'], // deadlock_detected
  ['55P03', 'STORE_BUSY'], // lock_not_available
  ['57014', 'STORE_BUSY'], // query_canceled (statement or lock timeout)
  ['3D000', 'STORE_UNREACHABLE'], // invalid_catalog_name: no such database
  ['08', 'STORE_UNREACHABLE'], // connection exceptions
  ['28', 'STORE_UNREACHABLE'], // invalid authorization
  ['53', 'STORE_UNREACHABLE'], // insufficient resources (too many connections, disk full)
  ['57P', 'STORE_UNREACHABLE'], // server shutting down or starting up
  ['42501', 'STORE_UNREACHABLE'], // insufficient_privilege
  ['XX001', 'STORE_CORRUPT'], // data_corrupted
  ['XX002', 'STORE_CORRUPT'], // index_corrupted
];

/** Turns a pg (or socket) error into a StoreError; never lets the URL's password through. */
export function toPostgresStoreError(error: unknown, action: string, url: string): StoreError {
  if (error instanceof StoreError) return error;
  const where = redactDatabaseUrl(url);
  const errorCode = readCode(error);
  const message = scrubPassword(describe(error), url);
  const code = classify(error, errorCode);
  const detail = errorCode === undefined ? message : `${message} [${errorCode}]`;
  const text =
    code === 'STORE_UNREACHABLE'
      ? `${action} failed: cannot use the PostgreSQL store at ${where} (${detail})`
      : `${action} failed in ${where}: ${detail}`;
  return new StoreError(code, text, { cause: error });
}

function classify(error: unknown, errorCode: string | undefined): StoreErrorCode {
  if (errorCode !== undefined) {
    if (unreachableSocketCodes.has(errorCode)) return 'STORE_UNREACHABLE';
    for (const [prefix, code] of sqlStates) if (errorCode.startsWith(prefix)) return code;
  }
  // pg reports its own connect timeout and dropped connections without a code.
  const message = describe(error);
  if (/connection (terminated|timeout)|timeout exceeded when trying to connect/i.test(message)) {
    return 'STORE_UNREACHABLE';
  }
  return 'STORE_QUERY_FAILED';
}

function readCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code: unknown = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code !== '') return code;
  // Connecting to a name with several addresses fails with an AggregateError of socket errors.
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const innerCode = readCode(inner);
      if (innerCode !== undefined) return innerCode;
    }
  }
  return undefined;
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') {
    return error.errors.map((inner) => describe(inner)).join('; ');
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
