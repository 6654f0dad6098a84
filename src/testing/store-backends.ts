import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import {
  createTestSchema,
  probePostgres,
  type TestSchema,
  warnPostgresSkipped,
} from '../store/__fixtures__/postgres-server.js';
import type { StoreLocation } from '../store/index.js';

/** Where a suite's store lives for one test, and how to clean it up. */
export interface StoreBackend {
  createLocation(): Promise<StoreLocation>;
  removeLocation?(location: StoreLocation): Promise<void>;
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

  const postgres = await probePostgres();
  warnPostgresSkipped(`${label} in PostgreSQL`, postgres);
  describe.skipIf(!postgres.reachable)('PostgreSQL', () => {
    let schema: TestSchema | undefined;
    beforeAll(async () => {
      schema = await createTestSchema();
    });
    afterAll(async () => {
      await schema?.drop();
    });
    suite('PostgreSQL', {
      async createLocation() {
        if (!schema) throw new Error('the test schema was not created');
        await schema.reset();
        return { kind: 'postgres', url: schema.url };
      },
    });
  });
}
