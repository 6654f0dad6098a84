import { StoreError, type StoreErrorCode } from '../errors.js';

/** Primary SQLite result codes (the low byte of an extended code) that mean something to a user. */
const resultCodes: Readonly<Record<number, StoreErrorCode>> = {
  5: 'STORE_BUSY', // SQLITE_BUSY
  6: 'STORE_BUSY', // SQLITE_LOCKED
  8: 'STORE_UNREACHABLE', // SQLITE_READONLY
  10: 'STORE_UNREACHABLE', // SQLITE_IOERR
  11: 'STORE_CORRUPT', // SQLITE_CORRUPT
  13: 'STORE_UNREACHABLE', // SQLITE_FULL
  14: 'STORE_UNREACHABLE', // SQLITE_CANTOPEN
  23: 'STORE_UNREACHABLE', // SQLITE_AUTH
  26: 'STORE_CORRUPT', // SQLITE_NOTADB
};

const constraintPrimaryKey = 1555;
const constraintUnique = 2067;

/** The extended result code node:sqlite attaches to its errors, if this is one. */
export function sqliteResultCode(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const errcode: unknown = (error as Error & { errcode?: unknown }).errcode;
  return typeof errcode === 'number' ? errcode : undefined;
}

/** Turns a node:sqlite error (or anything else) into a StoreError about the file at `path`. */
export function toSqliteStoreError(error: unknown, action: string, path: string): StoreError {
  if (error instanceof StoreError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const resultCode = sqliteResultCode(error);
  if (resultCode === undefined) {
    return new StoreError('STORE_QUERY_FAILED', `${action} failed in ${path}: ${message}`, { cause: error });
  }
  if (resultCode === constraintPrimaryKey || resultCode === constraintUnique) {
    return new StoreError('STORE_CONFLICT', `${action} failed in ${path}: ${message}`, { cause: error });
  }
  const code = resultCodes[resultCode & 0xff] ?? 'STORE_QUERY_FAILED';
  const explanation: Partial<Record<StoreErrorCode, string>> = {
    STORE_CORRUPT: `${path} is not a shipguard store or is damaged (${message}); move it away or pass another --db`,
    STORE_BUSY: `${path} stayed locked by another writer past the busy timeout (${message})`,
    STORE_UNREACHABLE: `cannot use ${path} (${message})`,
  };
  return new StoreError(code, `${action} failed: ${explanation[code] ?? `${message} in ${path}`}`, {
    cause: error,
  });
}
