import type { Kysely } from 'kysely';
import type { StoreError } from './errors.js';
import type { StoreTables } from './tables.js';

export type StoreDialect = 'sqlite' | 'postgres';

/**
 * What each driver folder (sqlite/, postgres/) hands to the dialect-neutral store: an open Kysely
 * instance and a way to turn that driver's errors into StoreErrors. Both folders have the same
 * file roles: `dialect.ts` opens, `errors.ts` classifies.
 */
export interface DriverConnection {
  dialect: StoreDialect;
  db: Kysely<StoreTables>;
  /** Where the store is, safe to print (no password). */
  displayLocation: string;
  /** Schema that holds the migration tables; undefined means the connection's default. */
  migrationSchema?: string;
  /** Turns anything the driver threw into a StoreError; `action` says what was being done. */
  toStoreError(error: unknown, action: string): StoreError;
}
