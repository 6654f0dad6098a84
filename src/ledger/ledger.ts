/**
 * The ledger kept in the store: append, read, prove, checkpoint, verify. Every state change in
 * shipguard goes through `appendEvents` (or `appendToLedger` for one event).
 *
 * Concurrency: an append is one transaction that first locks the single `ledger_head` row
 * (PostgreSQL: SELECT … FOR UPDATE; SQLite: the store's transactions begin IMMEDIATE, which takes
 * the write lock), so concurrent writers append in turn and always extend the same tree.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import { redactDeep, ShipguardError } from '../kernel/index.js';
import { type Store, type StoreTables, viewTables } from '../store/index.js';
import { canonicalize, parseCanonical } from './canonical-json.js';
import { type NoteSigner, parseSignedCheckpoint, signCheckpoint } from './checkpoint.js';
import { LedgerError } from './errors.js';
import {
  appendLeaves,
  computeRoot,
  frontierNodes,
  generateConsistencyProof,
  generateInclusionProof,
  hashChildren,
  hashLeaf,
  type InclusionProof,
  listNodesRead,
  type NodeId,
  type NodeReader,
  StreamingRoot,
  verifyInclusion,
} from './merkle.js';

type LedgerEntriesTable = {
  idx: number | string | bigint;
  leaf_hash: string;
  entry: string;
  created_at: string;
};
type LedgerNodesTable = {
  level: number;
  idx: number | string | bigint;
  hash: string;
};
type LedgerHeadTable = {
  id: number;
  size: number | string | bigint;
  root: string;
  updated_at: string;
};
type LedgerCheckpointsTable = {
  size: number | string | bigint;
  root: string;
  note: string;
  created_at: string;
};
// Type aliases, not interfaces: Kysely needs them to be index-compatible records.
export type LedgerTables = {
  ledger_entries: LedgerEntriesTable;
  ledger_nodes: LedgerNodesTable;
  ledger_head: LedgerHeadTable;
  ledger_checkpoints: LedgerCheckpointsTable;
};

type LedgerDb = Kysely<LedgerTables>;

/** Something that happened, as the caller describes it. */
export interface LedgerEvent {
  /** Dotted lower-case kind, e.g. `assessment.completed`, `gate.decided`. */
  type: string;
  data: Record<string, unknown>;
}

/** What a leaf holds: the event, its position and when it was recorded. Stored as canonical JSON. */
export interface LedgerEntry {
  index: number;
  recordedAt: string;
  type: string;
  data: Record<string, unknown>;
}

export interface LedgerHead {
  size: number;
  root: Uint8Array;
}

const maxEntryBytes = 1024 * 1024;
const maxEventsPerAppend = 100_000;
const rowsPerInsert = 500;
const eventTypePattern = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;

function ledgerDb(store: Store): LedgerDb {
  return viewTables<LedgerTables>(store.db);
}

function toNumber(value: number | string | bigint): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number))
    throw new LedgerError('LEDGER_TAMPERED', `not an integer: ${String(value)}`);
  return number;
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function fromHex(text: string): Buffer {
  return Buffer.from(text, 'hex');
}

function nodeKey(level: number, index: number): string {
  return `${level}:${index}`;
}

async function readNodes(
  db: LedgerDb | Transaction<LedgerTables>,
  ids: readonly NodeId[],
): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  for (let start = 0; start < ids.length; start += 100) {
    const slice = ids.slice(start, start + 100);
    // A row-value IN list: one primary-key search per pair on SQLite and PostgreSQL, cheaper than
    // an OR of pairs (SQLite plans that as a multi-index OR). Casts type the parameters for PostgreSQL.
    const pairs = slice.map((id) => sql`(cast(${id.level} as integer), cast(${id.index} as bigint))`);
    const rows = await db
      .selectFrom('ledger_nodes')
      .select(['level', 'idx', 'hash'])
      .where(sql<boolean>`(level, idx) in (values ${sql.join(pairs)})`)
      .execute();
    for (const row of rows) found.set(nodeKey(row.level, toNumber(row.idx)), fromHex(row.hash));
  }
  return found;
}

function mapReader(nodes: ReadonlyMap<string, Uint8Array>): NodeReader {
  return (level, index) => {
    const hash = nodes.get(nodeKey(level, index));
    if (hash === undefined) {
      throw new LedgerError(
        'LEDGER_TAMPERED',
        `the stored tree is missing node (level ${level}, index ${index})`,
      );
    }
    return hash;
  };
}

/** Runs a Merkle computation against the store, fetching exactly the nodes it reads in one pass. */
async function withStoredNodes<T>(
  db: LedgerDb,
  compute: (read: NodeReader) => T,
  cache?: UpperNodeCache,
): Promise<T> {
  const wanted = listNodesRead(compute);
  const nodes = cache === undefined ? new Map<string, Buffer>() : cache.take(wanted);
  const missing =
    cache === undefined ? wanted : wanted.filter((id) => !nodes.has(nodeKey(id.level, id.index)));
  for (const [key, hash] of await readNodes(db, missing)) {
    nodes.set(key, hash);
    cache?.keep(key, hash);
  }
  return compute(mapReader(nodes));
}

/** Levels below the root whose nodes are kept in memory: at most 2^13 nodes, whatever the size. */
const cachedLevels = 12;
const maxCachedNodes = 2 ** (cachedLevels + 1);

/**
 * The upper levels of the tree, kept in memory per open store, so a proof reads only its lower
 * levels (and the leaf) from the database. A complete subtree's hash never changes in an
 * append-only log; a store rewritten underneath (restored, tampered) would leave stale entries,
 * so every proof built with them is checked against the root read from the database, and on a
 * mismatch the cache is dropped and the proof rebuilt from the database alone.
 */
class UpperNodeCache {
  private readonly nodes = new Map<string, Buffer>();
  /** Nodes at this level and above are kept; set from the tree size of each use. */
  lowestLevel = Number.POSITIVE_INFINITY;

  forTreeSize(size: number): this {
    const depth = Math.ceil(Math.log2(Math.max(size, 1)));
    this.lowestLevel = Math.max(1, depth - cachedLevels);
    return this;
  }

  take(ids: readonly NodeId[]): Map<string, Buffer> {
    const found = new Map<string, Buffer>();
    for (const id of ids) {
      const key = nodeKey(id.level, id.index);
      const hash = id.level >= this.lowestLevel ? this.nodes.get(key) : undefined;
      if (hash !== undefined) found.set(key, hash);
    }
    return found;
  }

  keep(key: string, hash: Buffer): void {
    const level = Number(key.slice(0, key.indexOf(':')));
    if (level < this.lowestLevel) return;
    if (this.nodes.size >= maxCachedNodes) this.nodes.clear();
    this.nodes.set(key, hash);
  }

  clear(): void {
    this.nodes.clear();
  }
}

const upperNodeCaches = new WeakMap<Store, UpperNodeCache>();

function upperNodeCache(store: Store): UpperNodeCache {
  let cache = upperNodeCaches.get(store);
  if (cache === undefined) {
    cache = new UpperNodeCache();
    upperNodeCaches.set(store, cache);
  }
  return cache;
}

function checkEvent(event: LedgerEvent, position: number): void {
  if (typeof event.type !== 'string' || event.type.length > 100 || !eventTypePattern.test(event.type)) {
    throw new LedgerError(
      'EVENT_INVALID',
      `event ${position}: type must be dotted lower-case words, e.g. gate.decided`,
    );
  }
  if (typeof event.data !== 'object' || event.data === null || Array.isArray(event.data)) {
    throw new LedgerError('EVENT_INVALID', `event ${position}: data must be an object`);
  }
}

export interface AppendResult {
  /** Index of the first appended entry. */
  firstIndex: number;
  size: number;
  root: Uint8Array;
}

/**
 * Appends events as consecutive leaves in one transaction. The one function through which every
 * state change is recorded.
 */
export async function appendEvents(
  store: Store,
  events: readonly LedgerEvent[],
  options: {
    now?: () => Date;
    /**
     * Runs in the append's transaction once the ledger is locked, before anything is appended:
     * the caller's own rows commit with the entries or not at all. Returning false appends
     * nothing (the caller found its work already recorded: a retried job writes nothing twice).
     */
    alongside?: (transaction: Transaction<StoreTables>) => Promise<boolean>;
  } = {},
): Promise<AppendResult & { skipped?: true }> {
  if (events.length > maxEventsPerAppend) {
    throw new LedgerError('EVENT_INVALID', `at most ${maxEventsPerAppend} events per append`);
  }
  events.forEach(checkEvent);
  try {
    return await appendInTransaction(store, events, options);
  } catch (error) {
    if (error instanceof ShipguardError) throw error;
    // SQLite's "database or disk is full" names no file: say which store refused, and that the
    // transaction left the log as it was.
    throw new LedgerError(
      'LEDGER_WRITE_FAILED',
      `appending ${events.length} event(s) to the ledger in ${store.location} failed, nothing was appended: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

async function appendInTransaction(
  store: Store,
  events: readonly LedgerEvent[],
  options: {
    now?: () => Date;
    alongside?: (transaction: Transaction<StoreTables>) => Promise<boolean>;
  },
): Promise<AppendResult & { skipped?: true }> {
  const now = options.now ?? (() => new Date());
  return ledgerDb(store)
    .transaction()
    .execute(async (trx) => {
      let headQuery = trx.selectFrom('ledger_head').select(['size', 'root']).where('id', '=', 1);
      if (store.dialect === 'postgres') headQuery = headQuery.forUpdate();
      const head = await headQuery.executeTakeFirst();
      if (head === undefined) throw new LedgerError('LEDGER_TAMPERED', 'the ledger head row is missing');
      const size = toNumber(head.size);
      if (options.alongside && !(await options.alongside(trx as unknown as Transaction<StoreTables>))) {
        return { firstIndex: size, size, root: fromHex(head.root), skipped: true as const };
      }
      if (events.length === 0) return { firstIndex: size, size, root: fromHex(head.root) };
      const recordedAt = now().toISOString();
      const entries = events.map((event, offset) => {
        const entry: LedgerEntry = {
          index: size + offset,
          recordedAt,
          type: event.type,
          data: redactDeep(event.data),
        };
        const text = canonicalize(entry);
        if (Buffer.byteLength(text, 'utf8') > maxEntryBytes) {
          throw new LedgerError('EVENT_INVALID', `event ${offset} is larger than ${maxEntryBytes} bytes`);
        }
        return { index: size + offset, text, leafHash: hashLeaf(Buffer.from(text, 'utf8')) };
      });
      const nodes = new Map<string, Uint8Array>(await readNodes(trx, frontierNodes(size)));
      const created = appendLeaves(
        size,
        entries.map((entry) => entry.leafHash),
        mapReader(nodes),
      );
      for (const node of created) nodes.set(nodeKey(node.level, node.index), node.hash);
      const newSize = size + entries.length;
      const root = computeRoot(newSize, mapReader(nodes));
      for (let start = 0; start < entries.length; start += rowsPerInsert) {
        await trx
          .insertInto('ledger_entries')
          .values(
            entries.slice(start, start + rowsPerInsert).map((entry) => ({
              idx: entry.index,
              leaf_hash: toHex(entry.leafHash),
              entry: entry.text,
              created_at: recordedAt,
            })),
          )
          .execute();
      }
      for (let start = 0; start < created.length; start += rowsPerInsert) {
        await trx
          .insertInto('ledger_nodes')
          .values(
            created.slice(start, start + rowsPerInsert).map((node) => ({
              level: node.level,
              idx: node.index,
              hash: toHex(node.hash),
            })),
          )
          .execute();
      }
      await trx
        .updateTable('ledger_head')
        .set({ size: newSize, root: toHex(root), updated_at: recordedAt })
        .where('id', '=', 1)
        .execute();
      return { firstIndex: size, size: newSize, root };
    });
}

export async function appendToLedger(store: Store, event: LedgerEvent): Promise<AppendResult> {
  return appendEvents(store, [event]);
}

export async function readHead(store: Store): Promise<LedgerHead> {
  const head = await ledgerDb(store)
    .selectFrom('ledger_head')
    .select(['size', 'root'])
    .where('id', '=', 1)
    .executeTakeFirst();
  if (head === undefined) throw new LedgerError('LEDGER_TAMPERED', 'the ledger head row is missing');
  return { size: toNumber(head.size), root: fromHex(head.root) };
}

export interface StoredEntry {
  index: number;
  leafHash: string;
  entry: string;
  createdAt: string;
}

function toStoredEntry(row: {
  idx: string | number | bigint;
  leaf_hash: string;
  entry: string;
  created_at: string;
}): StoredEntry {
  return { index: toNumber(row.idx), leafHash: row.leaf_hash, entry: row.entry, createdAt: row.created_at };
}

/** Entries [from, from + limit) in order. */
export async function readEntries(store: Store, from: number, limit: number): Promise<StoredEntry[]> {
  const rows = await ledgerDb(store)
    .selectFrom('ledger_entries')
    .selectAll()
    .where('idx', '>=', from)
    .orderBy('idx')
    .limit(Math.min(Math.max(limit, 0), 10_000))
    .execute();
  return rows.map(toStoredEntry);
}

async function checkSize(store: Store, size: number | undefined): Promise<LedgerHead> {
  const head = await readHead(store);
  if (size === undefined) return head;
  if (!Number.isSafeInteger(size) || size < 0 || size > head.size) {
    throw new LedgerError('LEDGER_OUT_OF_RANGE', `the ledger has ${head.size} entries, not ${size}`);
  }
  return { size, root: await withStoredNodes(ledgerDb(store), (read) => computeRoot(size, read)) };
}

export async function proveInclusion(store: Store, index: number, treeSize?: number) {
  const tree = await checkSize(store, treeSize);
  if (!Number.isSafeInteger(index) || index < 0 || index >= tree.size) {
    throw new LedgerError('LEDGER_OUT_OF_RANGE', `no entry ${index} in a tree of ${tree.size}`);
  }
  const db = ledgerDb(store);
  // One query for the proof's nodes and the leaf, minus the upper levels already in memory.
  const compute = (read: NodeReader) => ({
    leafIndex: index,
    treeSize: tree.size,
    leafHash: read(0, index),
    proof: generateInclusionProof(index, tree.size, read),
    root: tree.root,
  });
  const cache = upperNodeCache(store).forTreeSize(tree.size);
  const fromCache = await withStoredNodes(db, compute, cache);
  if (leadsToRoot(fromCache)) return fromCache;
  cache.clear();
  const fromDatabase = await withStoredNodes(db, compute);
  if (leadsToRoot(fromDatabase)) return fromDatabase;
  throw new LedgerError(
    'LEDGER_TAMPERED',
    `the stored nodes for entry ${index} do not lead to the stored root of the tree of ${tree.size}`,
  );
}

/** Whether an inclusion proof leads to its root; the root always comes from the database. */
function leadsToRoot(proof: InclusionProof & { root: Uint8Array }): boolean {
  try {
    verifyInclusion(proof);
    return true;
  } catch (error) {
    if (error instanceof LedgerError) return false;
    throw error;
  }
}

export async function proveConsistency(store: Store, size1: number, size2?: number) {
  const second = await checkSize(store, size2);
  const first = await checkSize(store, size1);
  if (first.size > second.size)
    throw new LedgerError('LEDGER_OUT_OF_RANGE', `size ${size1} is after size ${second.size}`);
  const proof = await withStoredNodes(ledgerDb(store), (read) =>
    generateConsistencyProof(first.size, second.size, read),
  );
  return { size1: first.size, size2: second.size, root1: first.root, root2: second.root, proof };
}

/** Signs a checkpoint of the current head and stores it. Returns the note text. */
export async function createCheckpoint(store: Store, origin: string, signer: NoteSigner): Promise<string> {
  const head = await readHead(store);
  const note = signCheckpoint({ origin, size: head.size, root: head.root, extensions: [] }, [signer]);
  await ledgerDb(store)
    .insertInto('ledger_checkpoints')
    .values({ size: head.size, root: toHex(head.root), note, created_at: new Date().toISOString() })
    .onConflict((conflict) => conflict.column('size').doUpdateSet({ note, root: toHex(head.root) }))
    .execute();
  // The log records its own checkpoints, so deleting a stored checkpoint row is caught by any
  // verifier that reads the log past this entry (see verifyLedger).
  await appendToLedger(store, {
    type: checkpointEventType,
    data: { size: head.size, root: toHex(head.root), origin },
  });
  return note;
}

/** The entry `createCheckpoint` appends after each checkpoint it stores. */
export const checkpointEventType = 'ledger.checkpointed';

export async function latestCheckpoint(store: Store): Promise<string | undefined> {
  const row = await ledgerDb(store)
    .selectFrom('ledger_checkpoints')
    .select('note')
    .orderBy('size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.note;
}

export interface LedgerProblem {
  code: 'LEDGER_TAMPERED' | 'LEDGER_INCONSISTENT';
  /** The first entry found wrong, when one can be named. */
  index?: number;
  message: string;
}

export interface LedgerVerification {
  size: number;
  root: Uint8Array;
  problem?: LedgerProblem;
}

/**
 * Recomputes the log from its entries, trusting no stored hash: each row must sit at its index,
 * hold canonical JSON naming that index, and hash to its stored leaf hash and level-0 node; the
 * recomputed root must match the head row, every stored checkpoint, and the checkpoint `kept` by
 * the verifier (which catches a consistent rewrite or truncation the store alone cannot show).
 */
export async function verifyLedger(store: Store, kept?: LedgerHead): Promise<LedgerVerification> {
  const db = ledgerDb(store);
  const head = await readHead(store);
  const checkpoints = new Map<number, string>();
  /** A stored row whose signed note names another tree than the row (its root column was replaced). */
  let replacedNote: LedgerProblem | undefined;
  for (const row of await db
    .selectFrom('ledger_checkpoints')
    .select(['size', 'root', 'note'])
    .orderBy('size', 'desc')
    .limit(10_000)
    .execute()) {
    const size = toNumber(row.size);
    checkpoints.set(size, row.root);
    replacedNote ??= noteMismatch(size, row.root, row.note);
  }
  if (replacedNote) return { size: 0, root: new StreamingRoot().root(), problem: replacedNote };
  const stream = new StreamingRoot();
  const fail = (problem: LedgerProblem): LedgerVerification => ({
    size: stream.size,
    root: stream.root(),
    problem,
  });
  const checkRootsAt = (size: number): LedgerProblem | undefined => {
    if (kept !== undefined && kept.size === size && Buffer.compare(stream.root(), kept.root) !== 0) {
      return {
        code: 'LEDGER_INCONSISTENT',
        message: `the first ${size} entries no longer hash to the checkpoint you kept: the log was rewritten or forked`,
      };
    }
    const stored = checkpoints.get(size);
    if (stored !== undefined && stored !== toHex(stream.root())) {
      return {
        code: 'LEDGER_TAMPERED',
        message: `the first ${size} entries do not match the stored checkpoint at size ${size}`,
      };
    }
    return undefined;
  };
  /** Checkpoints the log says were made (size → root, and the entry that says so). */
  const recordedCheckpoints = new Map<number, { root: string; index: number }>();
  const early = checkRootsAt(0);
  if (early) return fail(early);
  let expected = 0;
  const page = 5_000;
  for (;;) {
    const rows = await db
      .selectFrom('ledger_entries')
      .leftJoin('ledger_nodes', (join) =>
        join.onRef('ledger_nodes.idx', '=', 'ledger_entries.idx').on('ledger_nodes.level', '=', 0),
      )
      .select([
        'ledger_entries.idx as idx',
        'ledger_entries.leaf_hash as leaf_hash',
        'ledger_entries.entry as entry',
        'ledger_nodes.hash as node_hash',
      ])
      .where('ledger_entries.idx', '>=', expected)
      .orderBy('ledger_entries.idx')
      .limit(page)
      .execute();
    for (const row of rows) {
      const index = toNumber(row.idx);
      if (index !== expected) {
        return fail({
          code: 'LEDGER_TAMPERED',
          index: expected,
          message: `entry ${expected} is missing (deleted)`,
        });
      }
      let parsed: { value: unknown; canonical: boolean };
      try {
        parsed = parseCanonical(row.entry);
      } catch {
        return fail({ code: 'LEDGER_TAMPERED', index, message: `entry ${index} is not JSON (edited)` });
      }
      if (!parsed.canonical) {
        return fail({
          code: 'LEDGER_TAMPERED',
          index,
          message: `entry ${index} is not in canonical form (edited)`,
        });
      }
      const claimed = (parsed.value as { index?: unknown } | null)?.index;
      if (claimed !== index) {
        return fail({
          code: 'LEDGER_TAMPERED',
          index,
          message: `entry ${index} says it is entry ${String(claimed)} (moved or reordered)`,
        });
      }
      const leafHash = hashLeaf(Buffer.from(row.entry, 'utf8'));
      if (toHex(leafHash) !== row.leaf_hash || row.node_hash !== toHex(leafHash)) {
        return fail({
          code: 'LEDGER_TAMPERED',
          index,
          message:
            row.node_hash === null
              ? `entry ${index} has no level-0 node (deleted)`
              : `entry ${index} does not match its recorded hash (edited)`,
        });
      }
      const recorded = recordedCheckpoint(parsed.value);
      if (recorded) recordedCheckpoints.set(recorded.size, { root: recorded.root, index });
      stream.push(leafHash);
      expected += 1;
      const problem = checkRootsAt(expected);
      if (problem) return fail(problem);
    }
    if (rows.length < page) break;
  }
  const larger = [...checkpoints.keys()].filter((size) => size > expected).sort((a, b) => b - a)[0];
  if (larger !== undefined) {
    return fail({
      code: 'LEDGER_INCONSISTENT',
      index: expected,
      message: `a stored checkpoint covers ${larger} entries but the log has only ${expected}: truncated from entry ${expected}`,
    });
  }
  for (const [size, recorded] of recordedCheckpoints) {
    const stored = checkpoints.get(size);
    if (stored === undefined && checkpoints.size < 10_000) {
      return fail({
        code: 'LEDGER_TAMPERED',
        index: recorded.index,
        message: `entry ${recorded.index} records a checkpoint at size ${size} that is no longer stored (deleted)`,
      });
    }
    if (stored !== undefined && stored !== recorded.root) {
      return fail({
        code: 'LEDGER_TAMPERED',
        index: recorded.index,
        message: `the stored checkpoint at size ${size} differs from the one entry ${recorded.index} records (replaced)`,
      });
    }
  }
  if (kept !== undefined && kept.size > expected) {
    return fail({
      code: 'LEDGER_INCONSISTENT',
      index: expected,
      message: `the checkpoint you kept has ${kept.size} entries but the log has only ${expected}: truncated from entry ${expected}`,
    });
  }
  if (expected !== head.size) {
    return fail({
      code: 'LEDGER_TAMPERED',
      index: Math.min(expected, head.size),
      message: `the head says ${head.size} entries but ${expected} are stored (${expected < head.size ? 'truncated' : 'rows added outside the ledger'})`,
    });
  }
  if (Buffer.compare(stream.root(), head.root) !== 0) {
    return fail({
      code: 'LEDGER_TAMPERED',
      message: 'the recomputed root differs from the stored head root',
    });
  }
  const nodeProblem = await verifyStoredNodes(db, expected);
  if (nodeProblem) return fail(nodeProblem);
  return { size: expected, root: stream.root() };
}

/** Whether a stored checkpoint's note (what a key signed) names the same size and root as its row. */
function noteMismatch(size: number, root: string, note: string): LedgerProblem | undefined {
  let checkpoint: { size: number; root: Uint8Array };
  try {
    checkpoint = parseSignedCheckpoint(note).checkpoint;
  } catch {
    return {
      code: 'LEDGER_TAMPERED',
      message: `the stored checkpoint at size ${size} holds no readable note`,
    };
  }
  if (checkpoint.size === size && toHex(checkpoint.root) === root) return undefined;
  return {
    code: 'LEDGER_TAMPERED',
    message: `the stored checkpoint at size ${size} holds a note for another tree (its signed root differs): the log or the row was rewritten`,
  };
}

function recordedCheckpoint(value: unknown): { size: number; root: string } | undefined {
  const entry = value as { type?: unknown; data?: { size?: unknown; root?: unknown } } | null;
  if (entry?.type !== checkpointEventType) return undefined;
  const size = entry.data?.size;
  const root = entry.data?.root;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || typeof root !== 'string') return undefined;
  return { size, root };
}

/**
 * Every stored node above the leaves must be the hash of its two stored children, and each level
 * must hold exactly the complete subtrees of a log of `size` entries: an edited upper node would
 * otherwise serve proofs that the stored head contradicts only when someone asks. Level 0 is
 * checked against the entries themselves. Reads each level once, in pages, beside the level below.
 */
async function verifyStoredNodes(db: LedgerDb, size: number): Promise<LedgerProblem | undefined> {
  const counts = new Map<number, number>();
  for (const row of await db
    .selectFrom('ledger_nodes')
    .select(['level', (eb) => eb.fn.countAll<number | string | bigint>().as('count')])
    .groupBy('level')
    .execute()) {
    counts.set(row.level, toNumber(row.count));
  }
  for (const [level, count] of counts) {
    const expected = Math.floor(size / 2 ** level);
    if (count !== expected) {
      return {
        code: 'LEDGER_TAMPERED',
        message: `level ${level} of the stored tree holds ${count} nodes, a log of ${size} entries has ${expected} (${count > expected ? 'rows added' : 'rows deleted'})`,
      };
    }
  }
  const page = 4_096;
  for (let level = 1; size >> level > 0; level += 1) {
    const total = Math.floor(size / 2 ** level);
    if (counts.get(level) !== total) {
      return { code: 'LEDGER_TAMPERED', message: `level ${level} of the stored tree is missing (deleted)` };
    }
    for (let start = 0; start < total; start += page) {
      const end = Math.min(total, start + page);
      const read = async (at: number, from: number, to: number) =>
        db
          .selectFrom('ledger_nodes')
          .select(['idx', 'hash'])
          .where('level', '=', at)
          .where('idx', '>=', from)
          .where('idx', '<', to)
          .orderBy('idx')
          .execute();
      const parents = await read(level, start, end);
      const children = await read(level - 1, start * 2, end * 2);
      for (let offset = 0; offset < end - start; offset += 1) {
        const index = start + offset;
        const parent = parents[offset];
        const left = children[offset * 2];
        const right = children[offset * 2 + 1];
        if (
          parent === undefined ||
          left === undefined ||
          right === undefined ||
          toNumber(parent.idx) !== index ||
          toNumber(left.idx) !== index * 2 ||
          toNumber(right.idx) !== index * 2 + 1
        ) {
          return {
            code: 'LEDGER_TAMPERED',
            message: `the stored tree lacks node (level ${level}, index ${index}) or its children (deleted)`,
          };
        }
        if (toHex(hashChildren(fromHex(left.hash), fromHex(right.hash))) !== parent.hash) {
          return {
            code: 'LEDGER_TAMPERED',
            message: `stored node (level ${level}, index ${index}) is not the hash of its children (edited)`,
          };
        }
      }
    }
  }
  return undefined;
}

/**
 * Entries whose canonical text contains `needle` (an exact substring, e.g. `"change":"CHG-1"`),
 * oldest first, at most `limit`. A coarse pre-filter: callers parse and check every entry.
 */
export async function findEntriesContaining(
  store: Store,
  needle: string,
  limit = 1000,
  fromIndex = 0,
): Promise<StoredEntry[]> {
  const escaped = needle.replace(/[\\%_]/g, (char) => `\\${char}`);
  const rows = await ledgerDb(store)
    .selectFrom('ledger_entries')
    .selectAll()
    .where('idx', '>=', Math.max(0, Math.floor(fromIndex)))
    .where(sql<boolean>`entry like ${`%${escaped}%`} escape '\\'`)
    .orderBy('idx')
    .limit(Math.min(Math.max(limit, 1), 100_000))
    .execute();
  return rows.map(toStoredEntry);
}

/** Stored checkpoint notes, largest size first. */
export async function listCheckpoints(
  store: Store,
  limit = 100,
): Promise<Array<{ size: number; note: string }>> {
  const rows = await ledgerDb(store)
    .selectFrom('ledger_checkpoints')
    .select(['size', 'note'])
    .orderBy('size', 'desc')
    .limit(Math.min(Math.max(limit, 1), 10_000))
    .execute();
  return rows.map((row) => ({ size: toNumber(row.size), note: row.note }));
}
