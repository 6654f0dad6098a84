import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeOnPostgres, emptiedLocation } from '../testing/store-backends.js';
import { describeStoreSuite } from '../testing/store-suite.js';

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

await describeOnPostgres('PostgreSQL store suite', 'PostgreSQL', (schema) => {
  describeStoreSuite('PostgreSQL', {
    shared: true,
    openOptions: { connectTimeoutMs: 5_000 },
    createLocation: () => emptiedLocation(schema()),
  });
});
