import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import {
  type Advisory,
  AdvisoryIndex,
  advisoryDigestsFor,
  loadAdvisoriesById,
  loadAdvisoryRecords,
  packageNameKey,
} from '../advisories/index.js';
import type { SupplyChainSettings } from '../policy/index.js';
import { type Store, viewTables } from '../store/index.js';

/**
 * Continuous re-matching (migration 014-fleet-components): the latest SBOM of every repository
 * is kept as rows indexed by package, advisories are matched against each distinct package
 * version once (many repositories share a version), and repositories are joined in when asked.
 * No repository is read again.
 */

type ComponentsTable = {
  repository: string;
  ecosystem: string;
  name: string;
  version: string;
  purl: string;
  recorded_at: string;
};
type PackageMatchesTable = {
  ecosystem: string;
  name: string;
  version: string;
  advisory_id: string;
  severity: string;
  published: string | null;
  first_seen: string;
  due: string | null;
};
type NotificationsTable = {
  repository: string;
  advisory_id: string;
  purl: string;
  kind: string;
  sent_at: string;
};
type RematchPackagesTable = {
  ecosystem: string;
  name: string;
  changes: number | string;
  matched_changes: number | string;
  fingerprint: string | null;
};
type Tables = {
  rematch_packages: RematchPackagesTable;
  repository_components: ComponentsTable;
  package_advisory_matches: PackageMatchesTable;
  match_notifications: NotificationsTable;
};

function tables(store: Store): Kysely<Tables> {
  return viewTables<Tables>(store.db);
}

export interface Component {
  ecosystem: string;
  name: string;
  version: string;
  purl: string;
}

const batch = 500;
/** Chunks of a full re-match read while an earlier one is matched. */
const chunksReadAhead = 2;
/** Rows per statement when PostgreSQL takes them as arrays (`unnest`). */
const rowsPerArrayStatement = 5_000;
/**
 * Part of every package fingerprint: raise it when matching itself changes, so every package is
 * matched again. (rematch-2: fingerprints from the advisories' stored digests; the first full
 * re-match after the change matches every package once, which also removes any match left on a
 * version a repository dropped before `recordComponents` counted dropped versions.)
 */
const fingerprintVersion = 'rematch-2';

/** `column = any($1)` on PostgreSQL (one parameter however long the list), `column in (…)` on SQLite. */
function oneOf(store: Store, values: readonly string[]) {
  return store.dialect === 'postgres'
    ? { operator: '=' as const, value: sql<string>`any(${[...values]}::text[])` }
    : { operator: 'in' as const, value: [...values] };
}

/** Replaces a repository's components with those of its latest SBOM (idempotent: a retried job writes the same rows). */
export async function recordComponents(
  store: Store,
  repository: string,
  components: readonly Component[],
  now: Date,
): Promise<void> {
  const recordedAt = now.toISOString();
  const rows = new Map<string, ComponentsTable>();
  for (const component of components) {
    if (!component.purl) continue;
    rows.set(component.purl, {
      repository,
      ecosystem: component.ecosystem,
      name: packageNameKey(component.ecosystem, component.name),
      version: component.version,
      purl: component.purl,
      recorded_at: recordedAt,
    });
  }
  await store.db.transaction().execute(async (transaction) => {
    const db = viewTables<Tables>(transaction);
    const before = new Set(
      (
        await db
          .selectFrom('repository_components')
          .select(['ecosystem', 'name', 'version'])
          .where('repository', '=', repository)
          .execute()
      ).map((row) => `${row.ecosystem}\0${row.name}\0${row.version}`),
    );
    await db.deleteFrom('repository_components').where('repository', '=', repository).execute();
    const list = [...rows.values()];
    for (let start = 0; start < list.length; start += 100)
      await db
        .insertInto('repository_components')
        .values(list.slice(start, start + 100))
        .execute();
    // Packages with a version new to this repository, or one it no longer has: the next full
    // re-match matches them even when their advisories did not change (a version already stored
    // elsewhere was matched then; a version no repository has any more loses its matches then).
    const changed = new Map<string, { ecosystem: string; name: string }>();
    const after = new Set<string>();
    for (const row of list) {
      const key = `${row.ecosystem}\0${row.name}\0${row.version}`;
      after.add(key);
      if (!before.has(key))
        changed.set(`${row.ecosystem}\0${row.name}`, { ecosystem: row.ecosystem, name: row.name });
    }
    for (const key of before) {
      if (after.has(key)) continue;
      const [ecosystem = '', name = ''] = key.split('\0');
      changed.set(`${ecosystem}\0${name}`, { ecosystem, name });
    }
    // In one order, so two repositories recorded at once never wait on each other's rows in turn.
    const marks = [...changed.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, mark]) => mark);
    for (let start = 0; start < marks.length; start += 100)
      await db
        .insertInto('rematch_packages')
        .values(
          marks
            .slice(start, start + 100)
            .map((mark) => ({ ...mark, changes: 1, matched_changes: 0, fingerprint: null })),
        )
        .onConflict((conflict) =>
          conflict.columns(['ecosystem', 'name']).doUpdateSet({ changes: sql`rematch_packages.changes + 1` }),
        )
        .execute();
  });
}

/** A package version one advisory affects. */
export interface VersionMatch {
  ecosystem: string;
  name: string;
  version: string;
  advisoryId: string;
  severity: string;
  published?: string;
  /** The day the fix is due (published + the policy's SLA for the severity), when published is known. */
  due?: string;
}

/** One repository's package affected by one advisory. */
export interface AdvisoryMatch {
  repository: string;
  advisoryId: string;
  purl: string;
  /** The package (the advisory database's name key) and version matched. */
  name: string;
  version: string;
  severity: string;
  published?: string;
  due?: string;
}

export interface RematchResult {
  advisories: number;
  /** Distinct package versions compared with the advisories. */
  versionsChecked: number;
  /** Version matches not known before this run. */
  added: VersionMatch[];
  /** Version matches known before that no longer hold (upgraded everywhere, advisory withdrawn). */
  resolved: number;
  total: number;
}

function dueDay(advisory: Advisory, sla: SupplyChainSettings['slaDays']): string | undefined {
  if (!advisory.published) return undefined;
  const level = advisory.severity.level;
  const days = level === 'unknown' ? sla.low : sla[level];
  const published = Date.parse(advisory.published);
  if (Number.isNaN(published)) return undefined;
  return new Date(published + days * 86_400_000).toISOString().slice(0, 10);
}

function versionMatchKey(match: {
  ecosystem: string;
  name: string;
  version: string;
  advisoryId: string;
}): string {
  return `${match.ecosystem}\0${match.name}\0${match.version}\0${match.advisoryId}`;
}

function groupNames(packages: ReadonlyArray<{ ecosystem: string; name: string }>): Map<string, string[]> {
  const byEcosystem = new Map<string, Set<string>>();
  for (const item of packages) {
    const names = byEcosystem.get(item.ecosystem) ?? new Set<string>();
    names.add(packageNameKey(item.ecosystem, item.name));
    byEcosystem.set(item.ecosystem, names);
  }
  return new Map([...byEcosystem].map(([ecosystem, names]) => [ecosystem, [...names]]));
}

/**
 * Matches advisories against every distinct stored package version. With `advisoryIds`, only
 * those advisories (a new or changed one, found through the package index); without, all of
 * them (after a sync), and matches that no longer hold are removed. A known match keeps its
 * first-seen day.
 */
export async function rematch(
  store: Store,
  options: { now: Date; slaDays: SupplyChainSettings['slaDays']; advisoryIds?: readonly string[] },
): Promise<RematchResult> {
  const db = tables(store);
  const postgres = store.dialect === 'postgres';
  const firstSeen = options.now.toISOString();
  const advisoryIds = new Set<string>();
  const added: VersionMatch[] = [];
  let resolved = 0;
  let versionsChecked = 0;

  // Matches each package's versions against the advisories: one match per (version, advisory).
  const matchVersions = (
    ecosystem: string,
    versions: ReadonlyMap<string, readonly string[]>,
    index: AdvisoryIndex,
    scope: ReadonlySet<string> | undefined,
  ): Map<string, VersionMatch> => {
    const found = new Map<string, VersionMatch>();
    for (const [name, list] of versions) {
      for (const version of list) {
        for (const hit of index.match(ecosystem, name, version)) {
          if (scope && !scope.has(hit.advisory.id)) continue;
          const due = dueDay(hit.advisory, options.slaDays);
          const match: VersionMatch = {
            ecosystem,
            name,
            version,
            advisoryId: hit.advisory.id,
            severity: hit.advisory.severity.level,
            ...(hit.advisory.published ? { published: hit.advisory.published } : {}),
            ...(due ? { due } : {}),
          };
          found.set(versionMatchKey(match), match);
        }
      }
    }
    return found;
  };

  type Known = { name: string; version: string; advisoryId: string };

  // PostgreSQL takes each column as one array parameter (`unnest`): one statement for thousands
  // of rows; SQLite, in the same process, takes multi-row statements.
  const insertMatches = async (tx: Kysely<Tables>, fresh: readonly VersionMatch[]) => {
    if (postgres) {
      for (let start = 0; start < fresh.length; start += rowsPerArrayStatement) {
        const some = fresh.slice(start, start + rowsPerArrayStatement);
        const column = (pick: (match: VersionMatch) => string | null) => some.map(pick);
        await sql`insert into package_advisory_matches
            (ecosystem, name, version, advisory_id, severity, published, first_seen, due)
          select u.ecosystem, u.name, u.version, u.advisory_id, u.severity, u.published, ${firstSeen}, u.due
          from unnest(${column((m) => m.ecosystem)}::text[], ${column((m) => m.name)}::text[],
            ${column((m) => m.version)}::text[], ${column((m) => m.advisoryId)}::text[],
            ${column((m) => m.severity)}::text[], ${column((m) => m.published ?? null)}::text[],
            ${column((m) => m.due ?? null)}::text[])
            as u(ecosystem, name, version, advisory_id, severity, published, due)`.execute(tx);
      }
      return;
    }
    for (let start = 0; start < fresh.length; start += 100) {
      await tx
        .insertInto('package_advisory_matches')
        .values(
          fresh.slice(start, start + 100).map((match) => ({
            ecosystem: match.ecosystem,
            name: match.name,
            version: match.version,
            advisory_id: match.advisoryId,
            severity: match.severity,
            published: match.published ?? null,
            first_seen: firstSeen,
            due: match.due ?? null,
          })),
        )
        .execute();
    }
  };

  const deleteMatches = async (tx: Kysely<Tables>, ecosystem: string, stale: readonly Known[]) => {
    if (postgres) {
      for (let start = 0; start < stale.length; start += rowsPerArrayStatement) {
        const some = stale.slice(start, start + rowsPerArrayStatement);
        await sql`delete from package_advisory_matches m
          using unnest(${some.map((match) => match.name)}::text[], ${some.map((match) => match.version)}::text[],
            ${some.map((match) => match.advisoryId)}::text[]) as s(name, version, advisory_id)
          where m.ecosystem = ${ecosystem} and m.name = s.name and m.version = s.version
            and m.advisory_id = s.advisory_id`.execute(tx);
      }
      return;
    }
    for (let start = 0; start < stale.length; start += 100) {
      const some = stale.slice(start, start + 100);
      await tx
        .deleteFrom('package_advisory_matches')
        .where('ecosystem', '=', ecosystem)
        .where((eb) =>
          eb.or(
            some.map((match) =>
              eb.and([
                eb('name', '=', match.name),
                eb('version', '=', match.version),
                eb('advisory_id', '=', match.advisoryId),
              ]),
            ),
          ),
        )
        .execute();
    }
  };

  const writeState = async (tx: Kysely<Tables>, state: readonly RematchPackagesTable[]) => {
    if (postgres) {
      for (let start = 0; start < state.length; start += rowsPerArrayStatement) {
        const some = state.slice(start, start + rowsPerArrayStatement);
        await sql`insert into rematch_packages (ecosystem, name, changes, matched_changes, fingerprint)
          select * from unnest(${some.map((row) => row.ecosystem)}::text[], ${some.map((row) => row.name)}::text[],
            ${some.map((row) => String(row.changes))}::bigint[],
            ${some.map((row) => String(row.matched_changes))}::bigint[],
            ${some.map((row) => row.fingerprint)}::text[])
          on conflict (ecosystem, name) do update
            set matched_changes = excluded.matched_changes, fingerprint = excluded.fingerprint`.execute(tx);
      }
      return;
    }
    for (let start = 0; start < state.length; start += 100)
      await tx
        .insertInto('rematch_packages')
        .values(state.slice(start, start + 100))
        .onConflict((conflict) =>
          conflict.columns(['ecosystem', 'name']).doUpdateSet((eb) => ({
            matched_changes: eb.ref('excluded.matched_changes'),
            fingerprint: eb.ref('excluded.fingerprint'),
          })),
        )
        .execute();
  };

  // Writes the difference between what was found and what was known, in one transaction, with the
  // packages' re-match state when a full re-match matched them.
  const writeDifference = async (
    ecosystem: string,
    found: ReadonlyMap<string, VersionMatch>,
    known: ReadonlyMap<string, Known>,
    state: ReadonlyArray<RematchPackagesTable>,
  ) => {
    const fresh = [...found.values()].filter((match) => !known.has(versionMatchKey(match)));
    const stale = [...known].filter(([key]) => !found.has(key)).map(([, match]) => match);
    if (fresh.length > 0 || stale.length > 0 || state.length > 0)
      await store.db.transaction().execute(async (transaction) => {
        const tx = viewTables<Tables>(transaction);
        await insertMatches(tx, fresh);
        await deleteMatches(tx, ecosystem, stale);
        await writeState(tx, state);
      });
    for (const match of fresh) added.push(match);
    resolved += stale.length;
  };

  const knownMatches = async (ecosystem: string, names: readonly string[], scope?: ReadonlySet<string>) => {
    const known = new Map<string, Known>();
    if (names.length === 0) return known;
    const nameIn = oneOf(store, names);
    let query = db
      .selectFrom('package_advisory_matches')
      .select(['name', 'version', 'advisory_id'])
      .where('ecosystem', '=', ecosystem)
      .where('name', nameIn.operator, nameIn.value);
    if (scope) query = query.where('advisory_id', 'in', [...scope]);
    for (const row of await query.execute()) {
      const match = { name: row.name, version: row.version, advisoryId: row.advisory_id };
      known.set(versionMatchKey({ ecosystem, ...match }), match);
    }
    return known;
  };

  // Each package's distinct stored versions. PostgreSQL returns one row per package (its versions
  // as an array), so a chunk of a million versions is a few thousand rows on the wire.
  const distinctVersions = async (ecosystem: string, names: readonly string[]) => {
    const versions = new Map<string, string[]>();
    if (names.length === 0) return versions;
    if (postgres) {
      const rows = await sql<{
        name: string;
        versions: string[];
      }>`select name, array_agg(distinct version) as versions
        from repository_components where ecosystem = ${ecosystem} and name = any(${[...names]}::text[])
        group by name`.execute(db);
      for (const row of rows.rows) {
        versions.set(row.name, row.versions);
        versionsChecked += row.versions.length;
      }
      return versions;
    }
    const rows = await db
      .selectFrom('repository_components')
      .select(['name', 'version'])
      .distinct()
      .where('ecosystem', '=', ecosystem)
      .where('name', 'in', [...names])
      .execute();
    for (const row of rows) {
      const list = versions.get(row.name);
      if (list) list.push(row.version);
      else versions.set(row.name, [row.version]);
    }
    versionsChecked += rows.length;
    return versions;
  };

  // One chunk of packages for one or a few advisories: every version of the packages they name.
  const scopedChunk = async (
    ecosystem: string,
    names: readonly string[],
    advisories: readonly Advisory[],
    scope: ReadonlySet<string>,
  ) => {
    for (const advisory of advisories) advisoryIds.add(advisory.id);
    const versions = await distinctVersions(ecosystem, names);
    const found = matchVersions(ecosystem, versions, new AdvisoryIndex(advisories), scope);
    await writeDifference(ecosystem, found, await knownMatches(ecosystem, names, scope), []);
  };

  // What one chunk of a full re-match needs read before matching. A package whose advisories'
  // digests are those it was last matched against, and that gained or lost no version in any
  // repository since, is skipped (its matches cannot have changed): for the rest, their versions,
  // the advisories naming them and their known matches.
  type FullChunk = {
    ecosystem: string;
    state: RematchPackagesTable[];
    toCheck: string[];
    advisories: Advisory[];
    versions: Map<string, string[]>;
    known: Map<string, Known>;
  };
  const readFullChunk = async (
    ecosystem: string,
    names: readonly string[],
  ): Promise<FullChunk | undefined> => {
    // The change counts are read before the versions: a version recorded after this read raises
    // the count again, and the package is matched at the next re-match.
    const nameIn = oneOf(store, names);
    const [stateRows, digests] = await Promise.all([
      db
        .selectFrom('rematch_packages')
        .select(['name', 'changes', 'matched_changes', 'fingerprint'])
        .where('ecosystem', '=', ecosystem)
        .where('name', nameIn.operator, nameIn.value)
        .execute(),
      advisoryDigestsFor(store, ecosystem, names),
    ]);
    const seen = new Map(stateRows.map((row) => [row.name, row]));
    const state: RematchPackagesTable[] = [];
    const toMatch: string[] = [];
    const toCheck: string[] = [];
    const records = new Map<string, { source: string; id: string }>();
    for (const name of names) {
      const named = digests.get(name) ?? [];
      for (const record of named) advisoryIds.add(record.id);
      // A record without a digest cannot be compared: the package is matched every time.
      let fingerprint: string | null = null;
      if (named.every((record) => record.digest !== null)) {
        const hash = createHash('sha256').update(fingerprintVersion);
        for (const record of named)
          hash
            .update('\0')
            .update(record.id)
            .update('\0')
            .update(record.digest ?? '');
        fingerprint = hash.digest('base64url');
      }
      const last = seen.get(name);
      if (
        last &&
        fingerprint !== null &&
        last.fingerprint === fingerprint &&
        String(last.changes) === String(last.matched_changes)
      )
        continue;
      const changes = last ? Number(last.changes) : 0;
      state.push({ ecosystem, name, changes, matched_changes: changes, fingerprint });
      toCheck.push(name);
      if (named.length > 0) {
        toMatch.push(name);
        for (const record of named) records.set(`${record.source}\0${record.id}`, record);
      }
    }
    if (toCheck.length === 0) return undefined;
    const [advisories, versions, known] = await Promise.all([
      loadAdvisoryRecords(store, [...records.values()]),
      distinctVersions(ecosystem, toMatch),
      knownMatches(ecosystem, toCheck),
    ]);
    return { ecosystem, state, toCheck, advisories, versions, known };
  };

  const runChunks = async (
    packages: ReadonlyArray<{ ecosystem: string; name: string }>,
    matchChunk: (ecosystem: string, names: readonly string[]) => Promise<void>,
  ) => {
    for (const [ecosystem, names] of groupNames(packages)) {
      for (let start = 0; start < names.length; start += batch)
        await matchChunk(ecosystem, names.slice(start, start + batch));
    }
  };

  if (options.advisoryIds) {
    const advisories = await loadAdvisoriesById(store, options.advisoryIds);
    const scope = new Set(advisories.map((advisory) => advisory.id));
    const packages = advisories.flatMap((advisory) =>
      advisory.affected.map((affected) => ({
        ecosystem: affected.ecosystem.split(':')[0] ?? affected.ecosystem,
        name: affected.name,
      })),
    );
    await runChunks(packages, (ecosystem, names) => scopedChunk(ecosystem, names, advisories, scope));
    // Matches of an id that is no longer held (withdrawn from the database).
    const gone = options.advisoryIds.filter((id) => !scope.has(id));
    if (gone.length > 0) {
      const removed = await db
        .deleteFrom('package_advisory_matches')
        .where('advisory_id', 'in', gone)
        .executeTakeFirst();
      resolved += Number(removed.numDeletedRows);
    }
  } else {
    // Every component is read, chunk by chunk, through the package index: on PostgreSQL the plan
    // for that needs current statistics, which autovacuum may not have gathered yet after many
    // SBOMs were recorded (the per-chunk read then scans the whole index each time).
    if (postgres) await sql`analyze repository_components`.execute(db);
    const packages = await db
      .selectFrom('repository_components')
      .select(['ecosystem', 'name'])
      .distinct()
      .execute();
    const chunks: Array<{ ecosystem: string; names: string[] }> = [];
    for (const [ecosystem, names] of groupNames(packages))
      for (let start = 0; start < names.length; start += batch)
        chunks.push({ ecosystem, names: names.slice(start, start + batch) });
    // The next chunks are read, and the previous one written, while this one is matched
    // (PostgreSQL answers on other connections of the pool meanwhile; SQLite's one connection
    // takes the queries in turn). Chunks hold different packages; their writes are made one after
    // another.
    const reading: Array<Promise<FullChunk | undefined>> = [];
    let read = 0;
    const readAhead = () => {
      while (reading.length < chunksReadAhead && read < chunks.length) {
        const next = chunks[read++] as { ecosystem: string; names: string[] };
        const promise = readFullChunk(next.ecosystem, next.names);
        // Awaited in turn (or abandoned when an earlier chunk fails); never an unhandled rejection.
        promise.catch(() => {});
        reading.push(promise);
      }
    };
    let writing: Promise<void> | undefined;
    try {
      for (let position = 0; position < chunks.length; position++) {
        readAhead();
        const chunk = await reading.shift();
        readAhead();
        if (!chunk) continue;
        const found = matchVersions(
          chunk.ecosystem,
          chunk.versions,
          new AdvisoryIndex(chunk.advisories),
          undefined,
        );
        await writing;
        writing = writeDifference(chunk.ecosystem, found, chunk.known, chunk.state);
        writing.catch(() => {});
      }
      await writing;
    } finally {
      await Promise.allSettled([...reading, writing]);
    }
    // A package no repository has any more is in no chunk: its matches go here. (A package some
    // repository still has lost a version: `recordComponents` counted it, and its chunk removed
    // that version's matches.)
    const present = new Set(packages.map((item) => `${item.ecosystem}\0${item.name}`));
    const matched = await db
      .selectFrom('package_advisory_matches')
      .select(['ecosystem', 'name'])
      .distinct()
      .execute();
    for (const [ecosystem, names] of groupNames(
      matched.filter((item) => !present.has(`${item.ecosystem}\0${item.name}`)),
    )) {
      for (let start = 0; start < names.length; start += batch) {
        // Checked again as it is deleted: a repository may have brought the package back since.
        const orphaned = await db
          .deleteFrom('package_advisory_matches')
          .where('ecosystem', '=', ecosystem)
          .where('name', 'in', names.slice(start, start + batch))
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('repository_components')
                  .select(sql`1`.as('one'))
                  .whereRef('repository_components.ecosystem', '=', 'package_advisory_matches.ecosystem')
                  .whereRef('repository_components.name', '=', 'package_advisory_matches.name')
                  .whereRef('repository_components.version', '=', 'package_advisory_matches.version'),
              ),
            ),
          )
          .executeTakeFirst();
        resolved += Number(orphaned.numDeletedRows);
      }
    }
  }
  const total = await db
    .selectFrom('package_advisory_matches')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return { advisories: advisoryIds.size, versionsChecked, added, resolved, total: Number(total.count) };
}

/** Each repository package a stored version match applies to: the version index joined in. */
function repositoryMatches(db: Kysely<Tables>) {
  return db
    .selectFrom('package_advisory_matches as m')
    .innerJoin('repository_components as c', (join) =>
      join
        .onRef('c.ecosystem', '=', 'm.ecosystem')
        .onRef('c.name', '=', 'm.name')
        .onRef('c.version', '=', 'm.version'),
    )
    .select([
      'c.repository',
      'c.purl',
      'c.name',
      'c.version',
      'm.advisory_id',
      'm.severity',
      'm.published',
      'm.due',
    ]);
}

/** The repositories' packages matched by these advisories (all advisories when none are named). */
export async function affectedRepositories(
  store: Store,
  advisoryIds?: readonly string[],
): Promise<AdvisoryMatch[]> {
  const db = tables(store);
  let query = repositoryMatches(db).orderBy('c.repository').orderBy('m.advisory_id').orderBy('c.purl');
  if (advisoryIds) {
    if (advisoryIds.length === 0) return [];
    query = query.where('m.advisory_id', 'in', [...advisoryIds]);
  }
  return (await query.execute()).map(toAdvisoryMatch);
}

function toAdvisoryMatch(row: {
  repository: string;
  purl: string;
  name: string;
  version: string;
  advisory_id: string;
  severity: string;
  published: string | null;
  due: string | null;
}): AdvisoryMatch {
  return {
    repository: row.repository,
    advisoryId: row.advisory_id,
    purl: row.purl,
    name: row.name,
    version: row.version,
    severity: row.severity,
    ...(row.published ? { published: row.published } : {}),
    ...(row.due ? { due: row.due } : {}),
  };
}

export interface PendingNotification {
  kind: 'new-critical' | 'overdue';
  match: AdvisoryMatch;
}

/** What to tell people now: critical matches and matches past their due day, each once per repository package. */
export async function pendingNotifications(store: Store, now: Date): Promise<PendingNotification[]> {
  const db = tables(store);
  const today = now.toISOString().slice(0, 10);
  const pending: PendingNotification[] = [];
  for (const kind of ['new-critical', 'overdue'] as const) {
    const rows = await repositoryMatches(db)
      .leftJoin('match_notifications as n', (join) =>
        join
          .onRef('n.repository', '=', 'c.repository')
          .onRef('n.advisory_id', '=', 'm.advisory_id')
          .onRef('n.purl', '=', 'c.purl')
          .on('n.kind', '=', kind),
      )
      .where('n.sent_at', 'is', null)
      .where(
        kind === 'new-critical' ? (eb) => eb('m.severity', '=', 'critical') : (eb) => eb('m.due', '<', today),
      )
      .orderBy('c.repository')
      .orderBy('m.advisory_id')
      .execute();
    for (const row of rows) pending.push({ kind, match: toAdvisoryMatch(row) });
  }
  return pending;
}

/** Marks notifications delivered, so a retry or the next run does not send them again. */
export async function markNotified(
  store: Store,
  sent: readonly PendingNotification[],
  now: Date,
): Promise<void> {
  const db = tables(store);
  const at = now.toISOString();
  for (let start = 0; start < sent.length; start += 100) {
    await db
      .insertInto('match_notifications')
      .values(
        sent.slice(start, start + 100).map((item) => ({
          repository: item.match.repository,
          advisory_id: item.match.advisoryId,
          purl: item.match.purl,
          kind: item.kind,
          sent_at: at,
        })),
      )
      .onConflict((conflict) => conflict.columns(['repository', 'advisory_id', 'purl', 'kind']).doNothing())
      .execute();
  }
}
