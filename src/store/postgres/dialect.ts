import { Kysely, PostgresDialect } from 'kysely';
import type { Pool } from 'pg';
import type { DriverConnection } from '../driver.js';
import { redactDatabaseUrl, StoreError } from '../errors.js';
import type { StoreTables } from '../tables.js';
import { toPostgresStoreError } from './errors.js';

export interface PostgresOpenOptions {
  /** How long to wait for a connection before STORE_UNREACHABLE. */
  connectTimeoutMs?: number;
  /** Most connections the pool opens. */
  maxConnections?: number;
}

export const defaultConnectTimeoutMs = 10_000;

/**
 * Connects to PostgreSQL with a `pg` Pool (the URL may carry libpq parameters such as `sslmode`
 * or `options=-c search_path=…`), checks the server answers, and wraps the pool in Kysely.
 * Tables are created in the connection's current schema (the first existing one on search_path).
 */
export async function openPostgresConnection(
  url: string,
  options: PostgresOpenOptions = {},
): Promise<DriverConnection> {
  const toStoreError = (error: unknown, action: string) => toPostgresStoreError(error, action, url);
  // Loaded on first use: most commands run on SQLite and never need the PostgreSQL client.
  const { default: pg } = await import('pg');
  let pool: Pool;
  try {
    pool = new pg.Pool({
      connectionString: url,
      connectionTimeoutMillis: options.connectTimeoutMs ?? defaultConnectTimeoutMs,
      max: options.maxConnections ?? 10,
      application_name: 'shipguard',
    });
  } catch (error) {
    throw new StoreError(
      'STORE_INVALID_LOCATION',
      `cannot use the PostgreSQL URL ${redactDatabaseUrl(url)}: ${toStoreError(error, 'reading the URL').message}`,
    );
  }
  // An idle client losing its connection emits 'error' on the pool; unhandled, that ends the
  // process. The next query reports the failure instead.
  pool.on('error', () => {});
  let schema: unknown;
  try {
    const result = await pool.query<{ schema: unknown }>('select current_schema() as schema');
    schema = result.rows[0]?.schema;
  } catch (error) {
    await pool.end().catch(() => {});
    throw toStoreError(error, 'connecting to the store');
  }
  if (typeof schema !== 'string') {
    await pool.end().catch(() => {});
    throw new StoreError(
      'STORE_INVALID_LOCATION',
      `no schema on the search_path of ${redactDatabaseUrl(url)} exists; create it or change search_path`,
    );
  }
  const db = new Kysely<StoreTables>({ dialect: new PostgresDialect({ pool }) });
  return {
    dialect: 'postgres',
    db,
    displayLocation: redactDatabaseUrl(url),
    migrationSchema: schema,
    toStoreError,
  };
}
