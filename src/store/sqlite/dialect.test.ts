import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildAssessment } from '../__fixtures__/assessment-builder.js';
import { migrationTable } from '../migrator.js';
import { openStore, type Store } from '../store.js';
import { NodeSqliteDialect } from './dialect.js';

let folder: string;
const opened: Store[] = [];

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'shipguard-sqlite-'));
});

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  rmSync(folder, { recursive: true, force: true });
});

async function open(path: string, busyTimeoutMs?: number): Promise<Store> {
  const store = await openStore(
    { kind: 'sqlite', path },
    busyTimeoutMs === undefined ? {} : { busyTimeoutMs },
  );
  opened.push(store);
  return store;
}

async function pragma(store: Store, name: string): Promise<unknown> {
  const result = await sql<Record<string, unknown>>`${sql.raw(`PRAGMA ${name}`)}`.execute(store.db);
  return result.rows[0]?.[name === 'busy_timeout' ? 'timeout' : name];
}

describe('SQLite dialect over node:sqlite', () => {
  it('opens with WAL journaling, foreign keys on and the busy timeout, creating missing folders', async () => {
    const store = await open(join(folder, 'a', 'b', 'shipguard.db'), 1_234);
    expect(store.dialect).toBe('sqlite');
    expect(await pragma(store, 'journal_mode')).toBe('wal');
    expect(await pragma(store, 'foreign_keys')).toBe(1);
    expect(await pragma(store, 'busy_timeout')).toBe(1_234);
  });

  it('tells readers from writers by the statement columns (select, insert … returning, update)', async () => {
    const database = new DatabaseSync(':memory:');
    const db = new Kysely<{ items: { id: number; name: string } }>({
      dialect: new NodeSqliteDialect(database, undefined),
    });
    try {
      await db.schema
        .createTable('items')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('name', 'text')
        .execute();
      const inserted = await db
        .insertInto('items')
        .values({ id: 7, name: 'seven' })
        .returning(['id', 'name'])
        .execute();
      expect(inserted).toEqual([{ id: 7, name: 'seven' }]);
      const updated = await db
        .updateTable('items')
        .set({ name: 'sieben' })
        .where('id', '=', 7)
        .executeTakeFirst();
      expect(updated.numUpdatedRows).toBe(1n);
      expect(await db.selectFrom('items').selectAll().execute()).toEqual([{ id: 7, name: 'sieben' }]);
      const streamed: unknown[] = [];
      for await (const row of db.selectFrom('items').select('name').stream()) streamed.push(row);
      expect(streamed).toEqual([{ name: 'sieben' }]);
    } finally {
      await db.destroy();
    }
  });

  it('rolls a failed transaction back', async () => {
    const store = await open(join(folder, 'rollback.db'));
    await expect(
      store.db.transaction().execute(async (transaction) => {
        await transaction
          .insertInto('control_results')
          .values({
            assessment_id: 'nobody',
            control_id: 'SD-01',
            area: 'a',
            status: 'pass',
            severity: 'low',
          })
          .execute();
      }),
    ).rejects.toThrow(/FOREIGN KEY/);
    expect(await store.db.selectFrom('control_results').selectAll().execute()).toEqual([]);
  });

  it('reports a file that is not a database as STORE_CORRUPT, and leaves it alone', async () => {
    const path = join(folder, 'notes.db');
    const content = `${'these are meeting notes, not a database. '.repeat(10)}\n`;
    writeFileSync(path, content);
    await expect(open(path)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(path, 'utf8')).toBe(content);
  });

  it('reports a path it cannot open as STORE_UNREACHABLE', async () => {
    mkdirSync(join(folder, 'a-folder'));
    await expect(open(join(folder, 'a-folder'))).rejects.toMatchObject({ code: 'STORE_UNREACHABLE' });
    writeFileSync(join(folder, 'a-file'), 'x');
    await expect(open(join(folder, 'a-file', 'shipguard.db'))).rejects.toMatchObject({
      code: 'STORE_UNREACHABLE',
    });
  });

  it('refuses a store written by a newer shipguard with STORE_MIGRATION_FAILED', async () => {
    const path = join(folder, 'newer.db');
    const store = await open(path);
    await store.db
      .withTables<{ [migrationTable]: { name: string; timestamp: string } }>()
      .insertInto(migrationTable)
      .values({ name: '999-from-the-future', timestamp: new Date().toISOString() })
      .execute();
    await store.close();
    await expect(open(path)).rejects.toMatchObject({ code: 'STORE_MIGRATION_FAILED' });
  });

  it('waits for another process holding the write lock, up to the busy timeout', async () => {
    const path = join(folder, 'shared.db');
    const patient = await open(path, 10_000);
    const holder = await holdWriteLock(path, 600);
    // Saving at all proves the wait: without it the write fails at once with STORE_BUSY.
    await patient.saveAssessment(buildAssessment({ id: 'after-wait' }), { repository: '/srv/repo' });
    await holder.done;
    expect((await patient.listAssessments()).map((summary) => summary.id)).toEqual(['after-wait']);
  });

  it('gives up with STORE_BUSY when the other process holds the lock too long', async () => {
    const path = join(folder, 'busy.db');
    const impatient = await open(path, 100);
    const holder = await holdWriteLock(path, 3_000);
    try {
      await expect(
        impatient.saveAssessment(buildAssessment({ id: 'too-soon' }), { repository: '/srv/repo' }),
      ).rejects.toMatchObject({ code: 'STORE_BUSY' });
    } finally {
      holder.kill();
      await holder.done.catch(() => {});
    }
    expect(await impatient.listAssessments()).toEqual([]);
  });
});

/** Another process that takes the database's write lock and keeps it for `milliseconds`. */
async function holdWriteLock(
  path: string,
  milliseconds: number,
): Promise<{ done: Promise<void>; kill: () => void }> {
  const script = [
    "const { DatabaseSync } = require('node:sqlite');",
    'const db = new DatabaseSync(process.argv[1]);',
    "db.exec('BEGIN IMMEDIATE');",
    "process.stdout.write('locked\\n');",
    'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.argv[2]));',
    "db.exec('COMMIT');",
  ].join('\n');
  const child = spawn(process.execPath, ['-e', script, path, String(milliseconds)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0 || signal === 'SIGKILL' ? resolve() : reject(new Error(`lock holder exited ${code}`)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString('utf8').includes('locked')) resolve();
    });
    child.on('close', () => reject(new Error('the lock holder ended before taking the lock')));
  });
  return { done, kill: () => child.kill('SIGKILL') };
}
