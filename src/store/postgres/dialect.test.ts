import { createServer } from 'node:net';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { describeOnPostgres } from '../../testing/store-backends.js';
import { testPostgresUrl } from '../__fixtures__/postgres-server.js';
import { openStore, StoreError } from '../store.js';

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('PostgreSQL dialect, without a server', () => {
  it('reports a refused connection as STORE_UNREACHABLE without printing the password', async () => {
    const secret = ['pw', 'for', 'tests', String(Date.now())].join('-');
    const url = `postgres://ada:${secret}@127.0.0.1:${await closedPort()}/shipguard`;
    const error = await openStore({ kind: 'postgres', url }, { connectTimeoutMs: 2_000 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_UNREACHABLE' });
    const message = (error as Error).message;
    expect(message).toContain('postgres://ada:***@127.0.0.1:');
    expect(message).not.toContain(secret);
  });

  it('reports a server that never answers as STORE_UNREACHABLE after the connect timeout', {
    timeout: 5_000,
  }, async () => {
    const sockets = new Set<import('node:net').Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    try {
      if (address === null || typeof address === 'string') throw new Error('no port');
      await expect(
        openStore(
          { kind: 'postgres', url: `postgres://ada@127.0.0.1:${address.port}/x` },
          { connectTimeoutMs: 300 },
        ),
      ).rejects.toMatchObject({ code: 'STORE_UNREACHABLE' });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

await describeOnPostgres(
  'PostgreSQL dialect tests',
  'PostgreSQL dialect, with the test server',
  (testSchema) => {
    it('creates its tables, and the migration tables, in the schema on search_path', async () => {
      const schema = testSchema();
      const store = await openStore({ kind: 'postgres', url: schema.url });
      try {
        expect(store.dialect).toBe('postgres');
        const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = ${schema.name} order by table_name
      `.execute(store.db);
        // Other modules add their own tables through later migrations.
        expect(tables.rows.map((row) => row.table_name)).toEqual(
          expect.arrayContaining([
            'assessments',
            'control_results',
            'shipguard_migration',
            'shipguard_migration_lock',
          ]),
        );
      } finally {
        await store.close();
      }
    });

    it('reports a search_path without an existing schema as STORE_INVALID_LOCATION', async () => {
      const url = new URL(testPostgresUrl);
      url.searchParams.set('options', '-c search_path=shipguard_no_such_schema');
      await expect(openStore({ kind: 'postgres', url: url.toString() })).rejects.toMatchObject({
        code: 'STORE_INVALID_LOCATION',
      });
    });

    it('reports a database that does not exist as STORE_UNREACHABLE', async () => {
      const url = new URL(testPostgresUrl);
      url.pathname = '/shipguard_no_such_database';
      await expect(openStore({ kind: 'postgres', url: url.toString() })).rejects.toMatchObject({
        code: 'STORE_UNREACHABLE',
      });
    });
  },
);
