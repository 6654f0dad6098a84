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
  const { error, results } = await createMigrator(connection).migrateToLatest();
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
