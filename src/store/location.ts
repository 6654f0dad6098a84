import { isAbsolute, join, resolve } from 'node:path';
import { redactDatabaseUrl, StoreError } from './errors.js';

/** Where assessment history lives: a SQLite file (or `:memory:`), or a PostgreSQL database. */
export type StoreLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export interface StoreLocationOptions {
  /** The `--db` option: a SQLite file path, `:memory:`, or a `postgres://` / `postgresql://` URL. */
  db?: string;
  /** The environment as the CLI read it, for SHIPGUARD_DB (nothing below the CLI reads it itself). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Root of the repository being worked on; the default store is `.shipguard/shipguard.db` in it. */
  repositoryRoot?: string;
  /** Relative SQLite paths are taken from here, and it is the fallback root. */
  cwd: string;
}

export const memoryPath = ':memory:';
const defaultFolder = '.shipguard';
const defaultFile = 'shipguard.db';
const maxLocationLength = 4096;

/**
 * Picks the store: `--db`, else SHIPGUARD_DB (an empty value counts as unset), else
 * `<repositoryRoot>/.shipguard/shipguard.db`, else `<cwd>/.shipguard/shipguard.db`.
 *
 * @example
 * resolveStoreLocation({ db: 'postgres://ci@db.internal/shipguard', cwd: process.cwd() })
 * // → { kind: 'postgres', url: 'postgres://ci@db.internal/shipguard' }
 */
export function resolveStoreLocation(options: StoreLocationOptions): StoreLocation {
  if (options.db !== undefined) return parseStoreLocation(options.db, options.cwd, '--db');
  const fromEnvironment = options.env?.['SHIPGUARD_DB'];
  if (fromEnvironment !== undefined && fromEnvironment !== '') {
    return parseStoreLocation(fromEnvironment, options.cwd, 'SHIPGUARD_DB');
  }
  const root = options.repositoryRoot ?? options.cwd;
  return { kind: 'sqlite', path: resolve(options.cwd, root, defaultFolder, defaultFile) };
}

/** Reads one location as the user wrote it; `source` names where it came from in errors. */
export function parseStoreLocation(text: string, cwd: string, source = 'the store location'): StoreLocation {
  if (text.length === 0) throw invalid(`${source} is empty`);
  if (text.length > maxLocationLength)
    throw invalid(`${source} is longer than ${maxLocationLength} characters`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
  if (/[\u0000-\u001f\u007f]/.test(text)) throw invalid(`${source} contains control characters`);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw invalid(`${source} is not a valid PostgreSQL URL: ${redactDatabaseUrl(text)}`);
    }
    if (url.hostname === '' && !url.searchParams.has('host')) {
      throw invalid(`${source} names no host: ${redactDatabaseUrl(text)}`);
    }
    return { kind: 'postgres', url: text };
  }
  if (scheme !== undefined) {
    throw invalid(
      `${source} uses the unsupported scheme "${scheme}://"; give a SQLite file path or a postgres:// URL`,
    );
  }
  if (text === memoryPath) return { kind: 'sqlite', path: memoryPath };
  return { kind: 'sqlite', path: isAbsolute(text) ? text : resolve(cwd, text) };
}

/** The location as it may be printed: PostgreSQL passwords are redacted. */
export function describeStoreLocation(location: StoreLocation): string {
  return location.kind === 'sqlite' ? location.path : redactDatabaseUrl(location.url);
}

/** The default store file for a repository root (the place `.gitignore` should cover). */
export function defaultStorePath(repositoryRoot: string): string {
  return join(repositoryRoot, defaultFolder, defaultFile);
}

function invalid(message: string): StoreError {
  return new StoreError('STORE_INVALID_LOCATION', message);
}
