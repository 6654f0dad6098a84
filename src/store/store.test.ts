import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { describeStoreSuite } from '../testing/store-suite.js';
import {
  createTestSchema,
  probePostgres,
  type TestSchema,
  warnPostgresSkipped,
} from './__fixtures__/postgres-server.js';

describeStoreSuite('SQLite file', {
  shared: true,
  openOptions: { busyTimeoutMs: 2_000 },
  async createLocation() {
    const folder = mkdtempSync(join(tmpdir(), 'shipguard-store-'));
    // A folder that does not exist yet: opening must create it.
    return { kind: 'sqlite', path: join(folder, 'nested', 'shipguard.db') };
  },
  async removeLocation(location) {
    if (location.kind === 'sqlite') rmSync(join(location.path, '..', '..'), { recursive: true, force: true });
  },
});

describeStoreSuite('SQLite in memory', {
  shared: false,
  async createLocation() {
    return { kind: 'sqlite', path: ':memory:' };
  },
});

const postgres = await probePostgres();
warnPostgresSkipped('PostgreSQL store suite', postgres);

describe.skipIf(!postgres.reachable)('PostgreSQL', () => {
  let schema: TestSchema | undefined;

  beforeAll(async () => {
    schema = await createTestSchema();
  });

  afterAll(async () => {
    await schema?.drop();
  });

  describeStoreSuite('PostgreSQL', {
    shared: true,
    openOptions: { connectTimeoutMs: 5_000 },
    async createLocation() {
      if (!schema) throw new Error('the test schema was not created');
      await schema.reset();
      return { kind: 'postgres', url: schema.url };
    },
  });
});
