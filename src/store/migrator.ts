import { type MigrationResult, Migrator } from 'kysely/migration';
import type { DriverConnection } from './driver.js';
import { StoreError, type StoreErrorCode } from './errors.js';
import { migrations } from './migrations/index.js';

export const migrationTable = 'shipguard_migration';
export const migrationLockTable = 'shipguard_migration_lock';

/** Kysely's Migrator over the migrations in migrations/index.ts. */
export function createMigrator(connection: DriverConnection): Migrator {
  return new Migrator({
    db: connection.db,
    provider: { getMigrations: async () => ({ ...migrations }) },
    migrationTableName: migrationTable,
    migrationLockTableName: migrationLockTable,
    ...(connection.migrationSchema === undefined ? {} : { migrationTableSchema: connection.migrationSchema }),
  });
}

/** Brings the schema up to date; run on every open. Returns the names of the migrations applied. */
export async function migrateToLatest(connection: DriverConnection): Promise<string[]> {
  let outcome = await createMigrator(connection).migrateToLatest();
  // Kysely looks for its migration table by listing the tables of every schema; on PostgreSQL a
  // schema another client drops during that listing fails it ("schema …" or "relation … does not
  // exist", before any migration ran), though
  // nothing of ours is wrong. Listing again is safe: nothing was applied.
  for (let attempt = 1; attempt < 4 && isConcurrentSchemaDrop(outcome.error, outcome.results); attempt++)
    outcome = await createMigrator(connection).migrateToLatest();
  const { error, results } = outcome;
  if (error !== undefined) throw toMigrationError(connection, error, results);
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}

function toMigrationError(
  connection: DriverConnection,
  error: unknown,
  results: MigrationResult[] | undefined,
): StoreError {
  const failed = results?.find((result) => result.status === 'Error')?.migrationName;
  const classified = connection.toStoreError(
    error,
    failed
      ? `migration ${failed} of ${connection.displayLocation}`
      : `migrating ${connection.displayLocation}`,
  );
  // A damaged file, an unreachable server or a held lock is that, not a migration bug.
  if (passedThrough.has(classified.code)) return classified;
  const message = error instanceof Error ? error.message : String(error);
  if (/previously executed migration \S+ is missing/.test(message)) {
    return new StoreError(
      'STORE_MIGRATION_FAILED',
      `${connection.displayLocation} was written by a newer shipguard (${message}); upgrade shipguard`,
      { cause: error },
    );
  }
  return new StoreError('STORE_MIGRATION_FAILED', classified.message, { cause: error });
}

const passedThrough: ReadonlySet<StoreErrorCode> = new Set([
  'STORE_CORRUPT',
  'STORE_UNREACHABLE',
  'STORE_BUSY',
]);

function isConcurrentSchemaDrop(error: unknown, results: MigrationResult[] | undefined): boolean {
  if (error === undefined || (results ?? []).length > 0) return false;
  const message = error instanceof Error ? error.message : String(error);
  return /^(?:schema|relation) "[^"]{1,300}" does not exist$/.test(message);
}
