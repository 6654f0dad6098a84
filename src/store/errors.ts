import { type ErrorKinds, errorWithKinds } from '../kernel/index.js';

export type StoreErrorCode =
  /** `--db` or SHIPGUARD_DB names something that cannot be a store (bad URL, unsupported scheme). */
  | 'STORE_INVALID_LOCATION'
  /** The file cannot be opened or created, or the PostgreSQL server cannot be reached or refuses us. */
  | 'STORE_UNREACHABLE'
  /** The SQLite file is not a database, is damaged, or holds rows shipguard cannot read back. */
  | 'STORE_CORRUPT'
  /** Bringing the schema up to date failed (or the store was written by a newer shipguard). */
  | 'STORE_MIGRATION_FAILED'
  /** Another writer held the store for longer than the busy timeout, or a serialization failure. */
  | 'STORE_BUSY'
  /** A row with the same key is already stored, e.g. an assessment saved twice. */
  | 'STORE_CONFLICT'
  /** What was asked to be stored or looked up is malformed (empty id, bad timestamp, bad limit). */
  | 'STORE_INVALID_INPUT'
  /** Any other failure of a query. */
  | 'STORE_QUERY_FAILED'
  /** The store was used after close(). */
  | 'STORE_CLOSED';

/** The kind of each code, which decides the exit code. */
const storeErrorKinds: ErrorKinds<StoreErrorCode> = {
  STORE_INVALID_LOCATION: 'usage',
  STORE_UNREACHABLE: 'internal',
  STORE_CORRUPT: 'internal',
  STORE_MIGRATION_FAILED: 'internal',
  STORE_BUSY: 'internal',
  STORE_CONFLICT: 'internal',
  STORE_INVALID_INPUT: 'internal',
  STORE_QUERY_FAILED: 'internal',
  STORE_CLOSED: 'internal',
};

export class StoreError extends errorWithKinds(storeErrorKinds) {}

const secretParameters = new Set(['password', 'sslpassword']);

/**
 * A database URL that is safe to print: the password (in the user part or as a query parameter)
 * is replaced by `***`. Text that does not parse as a URL is not echoed at all.
 */
export function redactDatabaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return '(a URL that does not parse)';
  }
  if (url.password !== '') url.password = '***';
  for (const name of [...url.searchParams.keys()]) {
    if (secretParameters.has(name.toLowerCase())) url.searchParams.set(name, '***');
  }
  return url.toString().replaceAll('%2A%2A%2A', '***');
}

/** Removes every occurrence of the URL's password from a message (drivers sometimes echo their config). */
export function scrubPassword(message: string, url: string): string {
  const secrets: string[] = [];
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') secrets.push(parsed.password, decodeOrKeep(parsed.password));
    for (const [name, value] of parsed.searchParams) {
      if (secretParameters.has(name.toLowerCase()) && value !== '') secrets.push(value);
    }
  } catch {
    // An unparsable URL was never handed to the driver, so it cannot be echoed.
  }
  let scrubbed = message.replaceAll(url, redactDatabaseUrl(url));
  for (const secret of secrets) scrubbed = scrubbed.replaceAll(secret, '***');
  return scrubbed;
}

function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
