import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import {
  createTestSchema,
  probePostgres,
  type TestSchema,
  warnPostgresSkipped,
} from '../store/__fixtures__/postgres-server.js';
import { type OpenStoreOptions, openStore, type Store, type StoreLocation } from '../store/index.js';

/** Where a suite's store lives for one test, and how to clean it up. */
export interface StoreBackend {
  createLocation(): Promise<StoreLocation>;
  removeLocation?(location: StoreLocation): Promise<void>;
}

/**
 * Gives each test of the enclosing describe block a fresh location from `backend`, removed after
 * the test. Returns `open`, which opens a store there (with `options`); each store it opened is
 * closed after the test, before its location is removed.
 */
export function storePerTest(backend: StoreBackend, options: OpenStoreOptions = {}): () => Promise<Store> {
  let location: StoreLocation;
  const opened: Store[] = [];
  beforeEach(async () => {
    location = await backend.createLocation();
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await backend.removeLocation?.(location);
  });
  return async () => {
    const store = await openStore(location, options);
    opened.push(store);
    return store;
  };
}

/**
 * Registers one suite twice: against a fresh SQLite file per test, and against PostgreSQL (a
 * schema of its own, emptied per test). The PostgreSQL run is skipped, saying why, when no
 * server answers, and fails instead when CI requires one (SHIPGUARD_REQUIRE_POSTGRES=1).
 */
export async function describeOnEveryStore(
  label: string,
  suite: (name: string, backend: StoreBackend) => void,
): Promise<void> {
  suite('SQLite file', {
    async createLocation() {
      return { kind: 'sqlite', path: join(mkdtempSync(join(tmpdir(), 'shipguard-store-')), 'store.db') };
    },
    async removeLocation(location) {
      if (location.kind === 'sqlite') rmSync(join(location.path, '..'), { recursive: true, force: true });
    },
  });

  await describeOnPostgres(`${label} in PostgreSQL`, 'PostgreSQL', (schema) => {
    suite('PostgreSQL', { createLocation: () => emptiedLocation(schema()) });
  });
}

/**
 * Registers `suite` under `title` when the test PostgreSQL answers, with a schema of its own
 * created before its tests and dropped after them (`schema()` gives it to the tests). When no
 * server answers it is skipped, saying why under `label`, and fails instead when CI requires one
 * (SHIPGUARD_REQUIRE_POSTGRES=1).
 */
export async function describeOnPostgres(
  label: string,
  title: string,
  suite: (schema: () => TestSchema) => void,
): Promise<void> {
  const postgres = await probePostgres();
  warnPostgresSkipped(label, postgres);
  describe.skipIf(!postgres.reachable)(title, () => {
    let schema: TestSchema | undefined;
    beforeAll(async () => {
      schema = await createTestSchema();
    });
    afterAll(async () => {
      await schema?.drop();
    });
    suite(() => {
      if (!schema) throw new Error('the test schema was not created');
      return schema;
    });
  });
}

/** The schema emptied, as a store location: a fresh PostgreSQL store for one test. */
export async function emptiedLocation(schema: TestSchema): Promise<StoreLocation> {
  await schema.reset();
  return { kind: 'postgres', url: schema.url };
}
