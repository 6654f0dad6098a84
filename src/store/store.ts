import { resolve } from 'node:path';
import { type Kysely, sql, type Transaction } from 'kysely';
import {
  type Assessment,
  type ControlStatus,
  controlStatuses,
  emptyStatusCounts,
  redactDeep,
  type StatusCounts,
  severities,
} from '../kernel/index.js';
import type { DriverConnection, StoreDialect } from './driver.js';
import { StoreError } from './errors.js';
import { latestRowOf } from './latest.js';
import { describeStoreLocation, type StoreLocation } from './location.js';
import { migrateToLatest } from './migrator.js';
import { openPostgresConnection } from './postgres/dialect.js';
import { openSqliteConnection } from './sqlite/dialect.js';
import type { AssessmentsTable, ControlResultsTable, StatusCountColumns, StoreTables } from './tables.js';

export type { StoreDialect } from './driver.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export {
  describeStoreLocation,
  parseStoreLocation,
  resolveStoreLocation,
  type StoreLocation,
  type StoreLocationOptions,
} from './location.js';
export type { LatestAssessmentsTable, StoreTables } from './tables.js';

/** One stored assessment without its document: what `shipguard history` lists. */
export interface AssessmentSummary {
  id: string;
  /** Absolute path of the repository root. */
  repository: string;
  commit?: string;
  branch?: string;
  startedAt: string;
  finishedAt: string;
  catalogVersion: string;
  toolVersion: string;
  summary: StatusCounts;
}

/** One assessment's control results counted per area and status. */
export interface AreaTrendEntry {
  assessmentId: string;
  startedAt: string;
  commit?: string;
  /** Area → how many of its controls ended in each status; keys in name order. */
  areas: Record<string, StatusCounts>;
}

export interface SaveAssessmentOptions {
  /**
   * Absolute path of the repository root the assessment is about (what history is keyed by).
   * Defaults to `subject.path` resolved against the current directory; pass the real root.
   */
  repository?: string;
  /**
   * Other names of the same repository, such as the local path of the clone that was assessed:
   * recorded so that assessments saved under such a path before repositories had keys (and
   * lookups by path, like the gate's) find the repository's history.
   */
  aliases?: readonly string[];
}

export interface ListAssessmentsQuery {
  repository?: string;
  /** Only assessments started at or after this UTC ISO-8601 time. */
  startedFrom?: string;
  /** Only assessments started before this UTC ISO-8601 time. */
  startedBefore?: string;
  /** Other names of the repository to include (the local path its history was keyed by before). */
  alsoKnownAs?: readonly string[];
  /** At most this many, newest first; default 50. */
  limit?: number;
}

export interface AreaTrendQuery {
  repository: string;
  alsoKnownAs?: readonly string[];
  /** The last this many assessments, newest first. */
  limit: number;
}

/**
 * A module's view of the store: only the tables it names, with the row types it declares (the
 * module that owns a table declares its rows; see docs/architecture.md). Takes the store's `db`
 * or a transaction of it.
 */
export function viewTables<Tables extends Record<string, object>>(db: Kysely<StoreTables>): Kysely<Tables> {
  return db.withTables<Tables>() as unknown as Kysely<Tables>;
}

/** Assessment history, in SQLite or PostgreSQL through the same queries. */
export interface Store {
  readonly dialect: StoreDialect;
  /** The Kysely instance, for modules that add their own tables through migrations. */
  readonly db: Kysely<StoreTables>;
  /** Where the store is, safe to print (no password). */
  readonly location: string;
  /** Migrations this open applied (empty when the schema was already current). */
  readonly appliedMigrations: readonly string[];
  /** Stores an assessment and its control results in one transaction. */
  saveAssessment(assessment: Assessment, options?: SaveAssessmentOptions): Promise<void>;
  getAssessment(id: string): Promise<Assessment | undefined>;
  /** Newest first (by start time, then id). */
  listAssessments(query?: ListAssessmentsQuery): Promise<AssessmentSummary[]>;
  latestAssessmentForCommit(repository: string, commit: string): Promise<Assessment | undefined>;
  /** Per assessment (newest first), per area, the count of each status. */
  areaTrend(query: AreaTrendQuery): Promise<AreaTrendEntry[]>;
  /** Closes the file or the pool; later calls fail with STORE_CLOSED. Safe to call twice. */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** SQLite: how long a writer waits for another process's lock. */
  busyTimeoutMs?: number;
  /** PostgreSQL: how long to wait for a connection. */
  connectTimeoutMs?: number;
}

const defaultListLimit = 50;
const maxLimit = 10_000;
const maxIdLength = 256;
/** Rows per INSERT, well under both dialects' bound-parameter limits. */
const insertBatchSize = 500;
/** Names one repository may be known by in a history query. */
const maxAliases = 100;

/**
 * Opens the store at `location` and brings its schema up to date.
 *
 * @example
 * const store = await openStore(resolveStoreLocation({ db: options.db, repositoryRoot, cwd: process.cwd() }));
 * try {
 *   await store.saveAssessment(assessment, { repository: repositoryRoot });
 * } finally {
 *   await store.close();
 * }
 */
export async function openStore(location: StoreLocation, options: OpenStoreOptions = {}): Promise<Store> {
  const connection = await openConnection(location, options);
  let applied: string[];
  try {
    applied = await migrateToLatest(connection);
  } catch (error) {
    await connection.db.destroy().catch(() => {});
    throw error;
  }
  return new KyselyStore(connection, applied);
}

async function openConnection(location: StoreLocation, options: OpenStoreOptions): Promise<DriverConnection> {
  if (location.kind === 'sqlite') {
    if (location.path === '') throw new StoreError('STORE_INVALID_LOCATION', 'the SQLite path is empty');
    return openSqliteConnection(
      location.path,
      options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs },
    );
  }
  if (!URL.canParse(location.url)) {
    throw new StoreError('STORE_INVALID_LOCATION', `not a valid URL: ${describeStoreLocation(location)}`);
  }
  return openPostgresConnection(
    location.url,
    options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs },
  );
}

type SummaryColumns = Omit<AssessmentsTable, 'document'>;

const summaryColumns = [
  'id',
  'repository',
  'commit',
  'branch',
  'started_at',
  'finished_at',
  'catalog_version',
  'tool_version',
  'fail',
  'partial',
  'unknown',
  'pass',
  'not_applicable',
] as const satisfies ReadonlyArray<keyof SummaryColumns>;

class KyselyStore implements Store {
  readonly dialect: StoreDialect;
  readonly db: Kysely<StoreTables>;
  readonly location: string;
  readonly appliedMigrations: readonly string[];
  readonly #connection: DriverConnection;
  #closed = false;

  constructor(connection: DriverConnection, appliedMigrations: string[]) {
    this.#connection = connection;
    this.dialect = connection.dialect;
    this.db = connection.db;
    this.location = connection.displayLocation;
    this.appliedMigrations = Object.freeze([...appliedMigrations]);
  }

  async saveAssessment(unsafe: Assessment, options: SaveAssessmentOptions = {}): Promise<void> {
    // The store holds no credential, whoever built the assessment (the redaction boundary).
    const assessment = redactDeep(unsafe);
    const repository = options.repository ?? resolve(assessment.subject.path);
    await this.#run(`saving assessment ${assessment.id}`, () =>
      this.db.transaction().execute(async (transaction) => {
        await writeAssessmentRows(transaction, assessment, { ...options, repository });
      }),
    );
  }

  /** The repository and every name it is also known by (its aliases), bounded. */
  async #names(repository: string, alsoKnownAs: readonly string[] = []): Promise<string[]> {
    const alias = await this.db
      .selectFrom('repository_aliases')
      .select('repository')
      .where('alias', '=', repository)
      .executeTakeFirst();
    const key = alias?.repository ?? repository;
    const others = await this.db
      .selectFrom('repository_aliases')
      .select('alias')
      .where('repository', '=', key)
      .orderBy('alias')
      .limit(maxAliases)
      .execute();
    return [...new Set([key, repository, ...alsoKnownAs, ...others.map((row) => row.alias)])];
  }

  async getAssessment(id: string): Promise<Assessment | undefined> {
    const row = await this.#run(`reading assessment ${id}`, () =>
      this.db.selectFrom('assessments').select(['id', 'document']).where('id', '=', id).executeTakeFirst(),
    );
    return row === undefined ? undefined : parseDocument(row.id, row.document, this.location);
  }

  async listAssessments(query: ListAssessmentsQuery = {}): Promise<AssessmentSummary[]> {
    const limit = checkLimit(query.limit ?? defaultListLimit);
    const rows = await this.#run('listing assessments', async () => {
      let select = this.db.selectFrom('assessments').select(summaryColumns);
      if (query.startedFrom !== undefined)
        select = select.where('started_at', '>=', normalizeTimestamp(query.startedFrom, 'startedFrom'));
      if (query.startedBefore !== undefined)
        select = select.where('started_at', '<', normalizeTimestamp(query.startedBefore, 'startedBefore'));
      if (query.repository !== undefined) {
        const names = await this.#names(query.repository, query.alsoKnownAs);
        select = select.where('repository', 'in', names);
      }
      return select.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    });
    return rows.map(toSummary);
  }

  async latestAssessmentForCommit(repository: string, commit: string): Promise<Assessment | undefined> {
    const row = await this.#run(`finding the assessment of commit ${commit}`, async () =>
      this.db
        .selectFrom('assessments')
        .select(['id', 'document'])
        .where('repository', 'in', await this.#names(repository))
        .where('commit', '=', commit)
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst(),
    );
    return row === undefined ? undefined : parseDocument(row.id, row.document, this.location);
  }

  async areaTrend(query: AreaTrendQuery): Promise<AreaTrendEntry[]> {
    const limit = checkLimit(query.limit);
    return this.#run('reading the trend per area', async () => {
      const assessments = await this.db
        .selectFrom('assessments')
        .select(['id', 'started_at', 'commit'])
        .where('repository', 'in', await this.#names(query.repository, query.alsoKnownAs))
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      if (assessments.length === 0) return [];
      const counts = await this.db
        .selectFrom('control_results')
        .select(['assessment_id', 'area', 'status', (builder) => builder.fn.countAll().as('count')])
        .where(
          'assessment_id',
          'in',
          assessments.map((assessment) => assessment.id),
        )
        .groupBy(['assessment_id', 'area', 'status'])
        .orderBy('area')
        .execute();
      const byAssessment = new Map<string, Map<string, StatusCounts>>();
      for (const row of counts) {
        const status = toControlStatus(row.status, this.location);
        let areas = byAssessment.get(row.assessment_id);
        if (!areas) {
          areas = new Map();
          byAssessment.set(row.assessment_id, areas);
        }
        let areaCounts = areas.get(row.area);
        if (!areaCounts) {
          areaCounts = emptyStatusCounts();
          areas.set(row.area, areaCounts);
        }
        // count(*) is a bigint in PostgreSQL, which pg hands over as a string.
        areaCounts[status] += Number(row.count);
      }
      return assessments.map((assessment) => {
        const areas = byAssessment.get(assessment.id) ?? new Map<string, StatusCounts>();
        const entry: AreaTrendEntry = {
          assessmentId: assessment.id,
          startedAt: assessment.started_at,
          areas: Object.fromEntries([...areas].sort(([a], [b]) => compareText(a, b))),
        };
        if (assessment.commit !== null) entry.commit = assessment.commit;
        return entry;
      });
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.db.destroy();
  }

  async #run<T>(action: string, work: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new StoreError('STORE_CLOSED', `${action}: the store is already closed`);
    try {
      return await work();
    } catch (error) {
      throw this.#connection.toStoreError(error, action);
    }
  }
}

/**
 * Writes an assessment, its control results and its aliases inside a transaction the caller
 * holds, for a caller that must commit them together with other rows (the fleet writes its
 * run record and the ledger entry in the same transaction). The assessment is redacted here.
 */
export async function writeAssessmentRows(
  transaction: Transaction<StoreTables>,
  unsafe: Assessment,
  options: SaveAssessmentOptions & { repository: string },
): Promise<void> {
  const assessment = redactDeep(unsafe);
  const row = toAssessmentRow(assessment, options.repository);
  const controlRows = toControlRows(assessment);
  await transaction.insertInto('assessments').values(row).execute();
  // The repository's latest assessment: replaced only by a newer one (a later start, or the same
  // start and a greater id), so an older assessment saved late leaves it as it is.
  const latest = latestRowOf(assessment, options.repository, row.started_at);
  const { repository: _key, ...update } = latest;
  await transaction
    .insertInto('latest_assessments')
    .values(latest)
    .onConflict((conflict) =>
      conflict
        .column('repository')
        .doUpdateSet(update)
        .where(
          sql<boolean>`excluded.started_at > latest_assessments.started_at or (excluded.started_at = latest_assessments.started_at and excluded.assessment_id > latest_assessments.assessment_id)`,
        ),
    )
    .execute();
  // The day's totals for the fleet-wide trend: added to, in the same transaction.
  const day = { ...dayCountsOf(row), day: row.started_at.slice(0, 10), assessments: 1 };
  await transaction
    .insertInto('assessment_days')
    .values(day)
    .onConflict((conflict) =>
      conflict.column('day').doUpdateSet({
        assessments: sql`assessment_days.assessments + 1`,
        fail: sql`assessment_days.fail + ${day.fail}`,
        partial: sql`assessment_days.partial + ${day.partial}`,
        unknown: sql`assessment_days.unknown + ${day.unknown}`,
        pass: sql`assessment_days.pass + ${day.pass}`,
        not_applicable: sql`assessment_days.not_applicable + ${day.not_applicable}`,
      }),
    )
    .execute();
  for (let start = 0; start < controlRows.length; start += insertBatchSize) {
    await transaction
      .insertInto('control_results')
      .values(controlRows.slice(start, start + insertBatchSize))
      .execute();
  }
  const recordedAt = new Date().toISOString();
  for (const alias of new Set(options.aliases ?? [])) {
    if (alias === '' || alias === options.repository) continue;
    // The newest save decides: a folder re-cloned from another remote moves to that key.
    await transaction
      .insertInto('repository_aliases')
      .values({ alias, repository: options.repository, recorded_at: recordedAt })
      .onConflict((conflict) =>
        conflict.column('alias').doUpdateSet({ repository: options.repository, recorded_at: recordedAt }),
      )
      .execute();
  }
}

function toAssessmentRow(assessment: Assessment, repository: string): AssessmentsTable {
  const id = checkId(assessment.id);
  if (repository === '') throw invalidInput(`assessment ${id} names no repository`);
  const counts = assessment.summary;
  const row: AssessmentsTable = {
    id,
    repository,
    commit: assessment.subject.commit ?? null,
    branch: assessment.subject.branch ?? null,
    started_at: normalizeTimestamp(assessment.startedAt, `startedAt of assessment ${id}`),
    finished_at: normalizeTimestamp(assessment.finishedAt, `finishedAt of assessment ${id}`),
    catalog_version: assessment.catalogVersion,
    tool_version: assessment.tool.version,
    fail: checkCount(counts.fail, id),
    partial: checkCount(counts.partial, id),
    unknown: checkCount(counts.unknown, id),
    pass: checkCount(counts.pass, id),
    not_applicable: checkCount(counts['not-applicable'], id),
    document: JSON.stringify(assessment),
  };
  return row;
}

function toControlRows(assessment: Assessment): ControlResultsTable[] {
  const seen = new Set<string>();
  const rows: ControlResultsTable[] = [];
  for (const control of assessment.controls) {
    if (control.controlId === '')
      throw invalidInput(`assessment ${assessment.id} has a control without an id`);
    if (seen.has(control.controlId)) {
      throw invalidInput(`assessment ${assessment.id} lists control ${control.controlId} twice`);
    }
    seen.add(control.controlId);
    if (!controlStatuses.includes(control.status)) {
      throw invalidInput(`control ${control.controlId} has the unknown status "${String(control.status)}"`);
    }
    if (!severities.includes(control.severity)) {
      throw invalidInput(
        `control ${control.controlId} has the unknown severity "${String(control.severity)}"`,
      );
    }
    rows.push({
      assessment_id: assessment.id,
      control_id: control.controlId,
      area: control.area,
      status: control.status,
      severity: control.severity,
    });
  }
  return rows;
}

function dayCountsOf(row: AssessmentsTable) {
  return {
    fail: row.fail,
    partial: row.partial,
    unknown: row.unknown,
    pass: row.pass,
    not_applicable: row.not_applicable,
  };
}

/** The five status counts of a summary row (PostgreSQL may return them as strings). */
export function statusCountsOfRow(row: StatusCountColumns): StatusCounts {
  return {
    fail: Number(row.fail),
    partial: Number(row.partial),
    unknown: Number(row.unknown),
    pass: Number(row.pass),
    'not-applicable': Number(row.not_applicable),
  };
}

function toSummary(row: SummaryColumns): AssessmentSummary {
  const summary: AssessmentSummary = {
    id: row.id,
    repository: row.repository,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    catalogVersion: row.catalog_version,
    toolVersion: row.tool_version,
    summary: statusCountsOfRow(row),
  };
  if (row.commit !== null) summary.commit = row.commit;
  if (row.branch !== null) summary.branch = row.branch;
  return summary;
}

/** Reads a stored document back; anything but the assessment that was saved is corruption. */
function parseDocument(id: string, document: string, location: string): Assessment {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch (error) {
    throw new StoreError('STORE_CORRUPT', `assessment ${id} in ${location} is not valid JSON`, {
      cause: error,
    });
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    (parsed as { id?: unknown }).id !== id ||
    (parsed as { schemaVersion?: unknown }).schemaVersion !== 1
  ) {
    throw new StoreError('STORE_CORRUPT', `assessment ${id} in ${location} does not hold that assessment`);
  }
  return parsed as Assessment;
}

function toControlStatus(text: string, location: string): ControlStatus {
  const status = controlStatuses.find((candidate) => candidate === text);
  if (status === undefined) {
    throw new StoreError(
      'STORE_CORRUPT',
      `${location} holds the unknown control status "${text.slice(0, 40)}"`,
    );
  }
  return status;
}

function checkId(id: string): string {
  if (typeof id !== 'string' || id === '') throw invalidInput('the assessment has no id');
  if (id.length > maxIdLength)
    throw invalidInput(`the assessment id is longer than ${maxIdLength} characters`);
  return id;
}

function checkCount(value: number, id: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw invalidInput(`assessment ${id} has a status count that is not a whole number: ${String(value)}`);
  }
  return value;
}

function checkLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > maxLimit) {
    throw invalidInput(`the limit must be a whole number from 1 to ${maxLimit}, not ${String(limit)}`);
  }
  return limit;
}

/** Stored as UTC ISO-8601 so that text order is time order in both dialects. */
function normalizeTimestamp(text: string, what: string): string {
  const time = typeof text === 'string' ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(time)) throw invalidInput(`${what} is not a timestamp: ${String(text).slice(0, 40)}`);
  return new Date(time).toISOString();
}

function invalidInput(message: string): StoreError {
  return new StoreError('STORE_INVALID_INPUT', message);
}

function compareText(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
