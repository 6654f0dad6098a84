import pg from 'pg';
import { type FleetQueue, type QueueSettings, startQueue } from '../fleet/index.js';
import type { TestSchema } from '../store/__fixtures__/postgres-server.js';
import { openStore, type Store } from '../store/index.js';

/** A fleet's store and queue on the test PostgreSQL. */
export interface TestFleet {
  store: Store;
  queue: FleetQueue;
  /** pg-boss's schema, beside the store's. */
  queueSchema: string;
  /** Stops the queue, closes the store and drops the queue's schema (the store's is the caller's). */
  close(): Promise<void>;
}

/** Opens a store in the test schema and starts a pg-boss queue in a schema of its own beside it. */
export async function openTestFleet(
  schema: TestSchema,
  settings: Omit<QueueSettings, 'url' | 'schema'>,
): Promise<TestFleet> {
  const store = await openStore({ kind: 'postgres', url: schema.url });
  const queueSchema = `${schema.name}_queue`;
  const queue = await startQueue({ url: schema.url, schema: queueSchema, ...settings }, () => {});
  return {
    store,
    queue,
    queueSchema,
    async close() {
      await queue.stop();
      await store.close();
      const client = new pg.Client({ connectionString: schema.url });
      await client.connect();
      await client.query(`drop schema if exists ${queueSchema} cascade`);
      await client.end();
    },
  };
}
