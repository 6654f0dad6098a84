import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redactDatabaseUrl } from '../errors.js';

/** The PostgreSQL the tests use: SHIPGUARD_TEST_POSTGRES_URL, else the one CI and .ci/run start. */
export const testPostgresUrl: string =
  process.env['SHIPGUARD_TEST_POSTGRES_URL'] || 'postgres://postgres@127.0.0.1:5432/test';

export interface PostgresProbe {
  reachable: boolean;
  reason: string;
}

/** Whether the test server answers within a couple of seconds. */
export async function probePostgres(url = testPostgresUrl): Promise<PostgresProbe> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return { reachable: true, reason: '' };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { reachable: false, reason: typeof code === 'string' ? code : String(error) };
  } finally {
    await client.end().catch(() => {});
  }
}

/** Says, once, why the PostgreSQL tests of a file are skipped and how to run them. */
export function warnPostgresSkipped(suite: string, probe: PostgresProbe): void {
  if (probe.reachable) return;
  // CI (.ci/run) starts the server and sets this, so a missing server fails there instead of skipping.
  if (process.env['SHIPGUARD_REQUIRE_POSTGRES'] === '1') {
    throw new Error(`${suite}: PostgreSQL is required (SHIPGUARD_REQUIRE_POSTGRES=1) but not reachable (${probe.reason})`);
  }
  console.warn(
    [
      `${suite}: skipped, PostgreSQL is not reachable at ${redactDatabaseUrl(testPostgresUrl)} (${probe.reason}).`,
      '  To run them, start a server with trust auth and a database named test on 127.0.0.1:5432,',
      '  e.g. `docker run --rm -p 127.0.0.1:5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:17`,',
      '  or point SHIPGUARD_TEST_POSTGRES_URL at one.',
    ].join('\n'),
  );
}

/**
 * A schema of its own for one test file, so files running in parallel (and CI jobs sharing a
 * server) never see each other's tables. `url` puts it first and alone on the search_path.
 */
export interface TestSchema {
  name: string;
  url: string;
  /** Drops and recreates the schema: an empty database for the next test. */
  reset(): Promise<void>;
  drop(): Promise<void>;
}

export async function createTestSchema(baseUrl = testPostgresUrl): Promise<TestSchema> {
  const name = `shipguard_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${name}`);
  const admin = async (statements: string[]) => {
    const client = new pg.Client({ connectionString: baseUrl });
    client.on('error', () => {});
    await client.connect();
    try {
      for (const statement of statements) await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin([`create schema ${name}`]);
  return {
    name,
    url: url.toString(),
    reset: () => admin([`drop schema if exists ${name} cascade`, `create schema ${name}`]),
    drop: () => admin([`drop schema if exists ${name} cascade`]),
  };
}
