import { mkdirSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import {
  CompiledQuery,
  type DatabaseConnection,
  Kysely,
  SqliteAdapter,
  type SqliteDatabase,
  SqliteDialect,
  SqliteDriver,
  type SqliteStatement,
} from 'kysely';
import type { DriverConnection } from '../driver.js';
import { StoreError } from '../errors.js';
import { memoryPath } from '../location.js';
import type { StoreTables } from '../tables.js';
import { toSqliteStoreError } from './errors.js';

export interface SqliteOpenOptions {
  /** How long a writer waits for another connection's write lock before STORE_BUSY. */
  busyTimeoutMs?: number;
}

export const defaultBusyTimeoutMs = 5_000;

/**
 * Opens (creating the file and its folder when missing) a SQLite store through node:sqlite,
 * with WAL journaling, a busy timeout and foreign keys on, and wraps it in Kysely.
 */
export function openSqliteConnection(path: string, options: SqliteOpenOptions = {}): DriverConnection {
  const busyTimeoutMs = options.busyTimeoutMs ?? defaultBusyTimeoutMs;
  const inMemory = path === memoryPath;
  if (!inMemory) {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'failed';
      throw new StoreError('STORE_UNREACHABLE', `cannot create the folder of ${path} (${reason})`, {
        cause: error,
      });
    }
  }
  let database: DatabaseSync;
  try {
    database = new DatabaseSync(path, { timeout: busyTimeoutMs, enableForeignKeyConstraints: true });
  } catch (error) {
    throw toSqliteStoreError(error, 'opening the store', path);
  }
  try {
    // The first statement reads the file header, so a file that is not a database fails here.
    database.exec(`PRAGMA busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    database.exec('PRAGMA foreign_keys = ON');
    if (!inMemory) {
      database.exec('PRAGMA journal_mode = WAL');
      // In WAL mode NORMAL loses no committed data on a crash of the process, only on power loss.
      database.exec('PRAGMA synchronous = NORMAL');
    }
  } catch (error) {
    database.close();
    throw toSqliteStoreError(error, 'opening the store', path);
  }
  let lockKey: string | undefined;
  try {
    lockKey = inMemory ? undefined : realpathSync(path);
  } catch (error) {
    database.close();
    throw toSqliteStoreError(error, 'opening the store', path);
  }
  const db = new Kysely<StoreTables>({ dialect: new NodeSqliteDialect(database, lockKey) });
  return {
    dialect: 'sqlite',
    db,
    displayLocation: path,
    toStoreError: (error, action) => toSqliteStoreError(error, action, path),
  };
}

/**
 * Kysely's SqliteDialect over node:sqlite's DatabaseSync. Differences from the stock dialect:
 * transactions start with BEGIN IMMEDIATE (the write lock is taken up front, so two writers queue
 * on the busy timeout instead of failing on upgrade), DDL runs inside transactions (SQLite can, and
 * migrations become atomic), and connections to the same file from one process take turns.
 */
export class NodeSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase;
  readonly #lockKey: string | undefined;

  /** `lockKey` is the file's real path; undefined for `:memory:`, which nothing else can open. */
  constructor(database: DatabaseSync, lockKey: string | undefined) {
    const adapted = adaptDatabase(database);
    super({ database: adapted });
    this.#database = adapted;
    this.#lockKey = lockKey;
  }

  override createDriver(): SqliteDriver {
    return new NodeSqliteDriver(this.#database, this.#lockKey);
  }

  override createAdapter(): SqliteAdapter {
    return new NodeSqliteAdapter();
  }
}

class NodeSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class NodeSqliteDriver extends SqliteDriver {
  readonly #lockKey: string | undefined;
  #release: (() => void) | undefined;
  #lock: FileTurns | undefined;

  constructor(database: SqliteDatabase, lockKey: string | undefined) {
    super({ database });
    this.#lockKey = lockKey;
  }

  override async init(...args: Parameters<SqliteDriver['init']>): Promise<void> {
    if (this.#lockKey !== undefined) this.#lock = holdFileTurns(this.#lockKey);
    await super.init(...args);
  }

  /**
   * node:sqlite blocks the thread while it waits for a lock. If a second connection in this
   * process waited for a transaction that is paused at an `await`, that transaction could never
   * finish; so connections to one file from one process take turns, and the busy timeout is left
   * for other processes.
   */
  override async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#lock) this.#release = await this.#lock.take();
    return super.acquireConnection();
  }

  override async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  /**
   * SQLite ends the transaction itself on some errors (SQLITE_FULL: the disk is full); a ROLLBACK
   * then fails with "no transaction is active" and would hide the error that matters.
   */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } catch (error) {
      if (error instanceof Error && /no transaction is active/.test(error.message)) return;
      throw error;
    }
  }

  override async destroy(): Promise<void> {
    await super.destroy();
    if (this.#lockKey !== undefined && this.#lock) letGoOfFileTurns(this.#lockKey);
    this.#lock = undefined;
  }
}

/** The statement shape Kysely's SQLite driver expects, over node:sqlite's StatementSync. */
function adaptDatabase(database: DatabaseSync): SqliteDatabase {
  return {
    close: () => database.close(),
    prepare: (sql) => adaptStatement(database.prepare(sql)),
  };
}

function adaptStatement(statement: StatementSync): SqliteStatement {
  return {
    // Statements that return rows (SELECT, RETURNING, most PRAGMAs) describe their columns.
    reader: statement.columns().length > 0,
    all: (parameters) => statement.all(...toSqlValues(parameters)),
    run: (parameters) => statement.run(...toSqlValues(parameters)),
    iterate: (parameters) => statement.iterate(...toSqlValues(parameters)),
  };
}

function toSqlValues(parameters: ReadonlyArray<unknown>): SQLInputValue[] {
  return parameters.map(toSqlValue);
}

function toSqlValue(value: unknown): SQLInputValue {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
    return value;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Uint8Array) return value;
  throw new StoreError('STORE_INVALID_INPUT', `a ${typeof value} cannot be bound as a SQLite parameter`);
}

/** A queue of turns, shared by every connection of this process to one file. */
interface FileTurns {
  take(): Promise<() => void>;
  holders: number;
}

const turnsByFile = new Map<string, FileTurns>();

function holdFileTurns(key: string): FileTurns {
  let turns = turnsByFile.get(key);
  if (!turns) {
    turns = createTurns();
    turnsByFile.set(key, turns);
  }
  turns.holders += 1;
  return turns;
}

function letGoOfFileTurns(key: string): void {
  const turns = turnsByFile.get(key);
  if (!turns) return;
  turns.holders -= 1;
  if (turns.holders <= 0) turnsByFile.delete(key);
}

function createTurns(): FileTurns {
  let tail: Promise<void> = Promise.resolve();
  return {
    holders: 0,
    take() {
      let release: () => void = () => {};
      const done = new Promise<void>((resolve) => {
        release = resolve;
      });
      const previous = tail;
      tail = previous.then(() => done);
      return previous.then(() => release);
    },
  };
}
