import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { type Store, viewTables } from '../store/index.js';
import { packageNameKey } from './match.js';
import type { Advisory } from './osv.js';

// Type aliases, not interfaces: Kysely needs them to be index-compatible records.
type AdvisorySourcesTable = {
  source: string;
  origin: string;
  etag: string | null;
  last_modified: string | null;
  imported_at: string;
  checked_at: string;
  record_count: number | string | bigint;
  error_count: number | string | bigint;
};
type AdvisoriesTable = {
  source: string;
  id: string;
  modified: string;
  published: string | null;
  withdrawn: string | null;
  severity: string;
  document: string;
  /** `advisoryDigest(document)` (migration 024; null only if a record were written without it). */
  digest: string | null;
};
type AdvisoryPackagesTable = { source: string; advisory_id: string; ecosystem: string; name: string };
export type AdvisoryTables = {
  advisory_sources: AdvisorySourcesTable;
  advisories: AdvisoriesTable;
  advisory_packages: AdvisoryPackagesTable;
};

function advisoryDb(store: Store): Kysely<AdvisoryTables> {
  return viewTables<AdvisoryTables>(store.db);
}

/** One imported source: an OSV ecosystem archive (`npm`), or a file or folder imported by hand. */
export interface AdvisorySource {
  source: string;
  /** Where it came from: a URL or a path. */
  origin: string;
  etag?: string;
  lastModified?: string;
  importedAt: string;
  checkedAt: string;
  /** The newest `modified` date among its records: the data is no newer than this. */
  newestModified?: string;
  records: number;
  errors: number;
}

const rowsPerInsert = 200;
const namesPerQuery = 500;

/**
 * A digest of one stored advisory document: a record whose digest is unchanged is unchanged.
 * Migration 024 backfills with the same formula.
 */
export function advisoryDigest(document: string): string {
  return createHash('sha256').update(document).digest('base64url');
}

/**
 * Replaces everything one source holds with `advisories`, in one transaction: readers see the
 * old set or the new one, and a failure leaves the old one in place.
 */
export async function replaceSource(
  store: Store,
  source: Omit<AdvisorySource, 'records'>,
  advisories: readonly Advisory[],
): Promise<void> {
  const db = advisoryDb(store);
  const unique = new Map(advisories.map((advisory) => [advisory.id, advisory]));
  await db.transaction().execute(async (transaction) => {
    await transaction.deleteFrom('advisory_packages').where('source', '=', source.source).execute();
    await transaction.deleteFrom('advisories').where('source', '=', source.source).execute();
    const rows = [...unique.values()];
    for (let start = 0; start < rows.length; start += rowsPerInsert) {
      const batch = rows.slice(start, start + rowsPerInsert);
      await transaction
        .insertInto('advisories')
        .values(
          batch.map((advisory) => {
            const document = JSON.stringify(advisory);
            return {
              source: source.source,
              id: advisory.id,
              modified: advisory.modified,
              published: advisory.published ?? null,
              withdrawn: advisory.withdrawn ?? null,
              severity: advisory.severity.level,
              document,
              digest: advisoryDigest(document),
            };
          }),
        )
        .execute();
      const packageRows = new Map<string, AdvisoryPackagesTable>();
      for (const advisory of batch) {
        for (const affected of advisory.affected) {
          const ecosystem = affected.ecosystem.split(':')[0] ?? affected.ecosystem;
          const name = packageNameKey(ecosystem, affected.name);
          packageRows.set(`${advisory.id}\0${ecosystem}\0${name}`, {
            source: source.source,
            advisory_id: advisory.id,
            ecosystem,
            name,
          });
        }
      }
      const packageList = [...packageRows.values()];
      for (let offset = 0; offset < packageList.length; offset += rowsPerInsert) {
        await transaction
          .insertInto('advisory_packages')
          .values(packageList.slice(offset, offset + rowsPerInsert))
          .execute();
      }
    }
    await transaction.deleteFrom('advisory_sources').where('source', '=', source.source).execute();
    await transaction
      .insertInto('advisory_sources')
      .values({
        source: source.source,
        origin: source.origin,
        etag: source.etag ?? null,
        last_modified: source.lastModified ?? null,
        imported_at: source.importedAt,
        checked_at: source.checkedAt,
        record_count: unique.size,
        error_count: source.errors,
      })
      .execute();
  });
}

/** Records that a source was checked and found unchanged (HTTP 304). */
export async function markSourceChecked(store: Store, source: string, checkedAt: string): Promise<void> {
  await advisoryDb(store)
    .updateTable('advisory_sources')
    .set({ checked_at: checkedAt })
    .where('source', '=', source)
    .execute();
}

export async function listSources(store: Store): Promise<AdvisorySource[]> {
  const db = advisoryDb(store);
  const rows = await db.selectFrom('advisory_sources').selectAll().orderBy('source').execute();
  const newest = new Map(
    (
      await db
        .selectFrom('advisories')
        .select(['source', (builder) => builder.fn.max('modified').as('newest')])
        .groupBy('source')
        .execute()
    ).map((row) => [row.source, row.newest]),
  );
  return rows.map((row) => {
    const source: AdvisorySource = {
      source: row.source,
      origin: row.origin,
      importedAt: row.imported_at,
      checkedAt: row.checked_at,
      records: Number(row.record_count),
      errors: Number(row.error_count),
    };
    if (row.etag !== null) source.etag = row.etag;
    if (row.last_modified !== null) source.lastModified = row.last_modified;
    const newestModified = newest.get(row.source);
    if (typeof newestModified === 'string') source.newestModified = newestModified;
    return source;
  });
}

/** Advisories that name any of these packages (withdrawn ones included; matching skips them). */
export async function loadAdvisoriesFor(
  store: Store,
  packages: ReadonlyArray<{ ecosystem: string; name: string }>,
): Promise<Advisory[]> {
  const db = advisoryDb(store);
  const namesByEcosystem = new Map<string, Set<string>>();
  for (const item of packages) {
    const names = namesByEcosystem.get(item.ecosystem) ?? new Set<string>();
    names.add(packageNameKey(item.ecosystem, item.name));
    namesByEcosystem.set(item.ecosystem, names);
  }
  const keys = new Set<string>();
  for (const [ecosystem, names] of namesByEcosystem) {
    const list = [...names];
    for (let start = 0; start < list.length; start += namesPerQuery) {
      const rows = await db
        .selectFrom('advisory_packages')
        .select(['source', 'advisory_id'])
        .where('ecosystem', '=', ecosystem)
        .where('name', 'in', list.slice(start, start + namesPerQuery))
        .execute();
      for (const row of rows) keys.add(`${row.source}\0${row.advisory_id}`);
    }
  }
  const bySource = new Map<string, string[]>();
  for (const key of keys) {
    const [source, id] = key.split('\0') as [string, string];
    bySource.set(source, [...(bySource.get(source) ?? []), id]);
  }
  const advisories = new Map<string, Advisory>();
  for (const [source, ids] of bySource) await readNewest(db, ids, advisories, source);
  return [...advisories.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Reads these ids' records (of one source, or any) into `into`, keeping the newest of each id. */
async function readNewest(
  db: Kysely<AdvisoryTables>,
  ids: readonly string[],
  into: Map<string, Advisory>,
  source?: string,
): Promise<void> {
  for (let start = 0; start < ids.length; start += namesPerQuery) {
    let query = db
      .selectFrom('advisories')
      .select(['document'])
      .where('id', 'in', ids.slice(start, start + namesPerQuery));
    if (source !== undefined) query = query.where('source', '=', source);
    for (const row of await query.execute()) {
      const advisory = JSON.parse(row.document) as Advisory;
      const existing = into.get(advisory.id);
      if (!existing || existing.modified < advisory.modified) into.set(advisory.id, advisory);
    }
  }
}

/** One stored advisory record: which source holds it, its id, and the digest of its document. */
export interface AdvisoryRecordKey {
  source: string;
  id: string;
  digest: string | null;
}

/**
 * For these package names of one ecosystem (name keys), the advisory records naming each, by
 * digest, without reading a document: per advisory id the newest record among those naming any
 * of the names (as `loadAdvisoriesFor` chooses), each name's list in id order. A name no
 * advisory names is left out.
 */
export async function advisoryDigestsFor(
  store: Store,
  ecosystem: string,
  names: readonly string[],
): Promise<Map<string, AdvisoryRecordKey[]>> {
  const byName = new Map<string, AdvisoryRecordKey[]>();
  if (names.length === 0) return byName;
  const rows: Array<{ name: string; source: string; id: string; modified: string; digest: string | null }> =
    [];
  for (let start = 0; start < names.length; start += namesPerQuery) {
    const some = names.slice(start, start + namesPerQuery);
    const query = advisoryDb(store)
      .selectFrom('advisory_packages as p')
      .innerJoin('advisories as a', (join) =>
        join.onRef('a.source', '=', 'p.source').onRef('a.id', '=', 'p.advisory_id'),
      )
      .select(['p.name', 'a.source', 'a.id', 'a.modified', 'a.digest'])
      .where('p.ecosystem', '=', ecosystem);
    rows.push(
      ...(await (store.dialect === 'postgres'
        ? query.where('p.name', '=', sql<string>`any(${some}::text[])`)
        : query.where('p.name', 'in', some)
      ).execute()),
    );
  }
  // The newest record of each id; between records of one modified time, the first source by name.
  const newest = new Map<string, { source: string; modified: string; digest: string | null }>();
  for (const row of rows) {
    const known = newest.get(row.id);
    if (
      !known ||
      known.modified < row.modified ||
      (known.modified === row.modified && row.source < known.source)
    )
      newest.set(row.id, { source: row.source, modified: row.modified, digest: row.digest });
  }
  const seen = new Set<string>();
  for (const row of rows) {
    const chosen = newest.get(row.id);
    if (!chosen || seen.has(`${row.name}\0${row.id}`)) continue;
    seen.add(`${row.name}\0${row.id}`);
    const list = byName.get(row.name) ?? [];
    list.push({ source: chosen.source, id: row.id, digest: chosen.digest });
    byName.set(row.name, list);
  }
  for (const list of byName.values()) list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return byName;
}

/** These advisory records, parsed (a record no longer held is left out), in id order. */
export async function loadAdvisoryRecords(
  store: Store,
  keys: ReadonlyArray<{ source: string; id: string }>,
): Promise<Advisory[]> {
  const bySource = new Map<string, Set<string>>();
  for (const key of keys) {
    const ids = bySource.get(key.source) ?? new Set<string>();
    ids.add(key.id);
    bySource.set(key.source, ids);
  }
  const advisories: Advisory[] = [];
  for (const [source, idSet] of bySource) {
    const ids = [...idSet];
    for (let start = 0; start < ids.length; start += namesPerQuery) {
      const some = ids.slice(start, start + namesPerQuery);
      const query = advisoryDb(store)
        .selectFrom('advisories')
        .select(['document'])
        .where('source', '=', source);
      const rows = await (store.dialect === 'postgres'
        ? query.where('id', '=', sql<string>`any(${some}::text[])`)
        : query.where('id', 'in', some)
      ).execute();
      for (const row of rows) advisories.push(JSON.parse(row.document) as Advisory);
    }
  }
  return advisories.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The newest record of each of these advisory ids (from any source); ids not held are left out. */
export async function loadAdvisoriesById(store: Store, ids: readonly string[]): Promise<Advisory[]> {
  const advisories = new Map<string, Advisory>();
  await readNewest(advisoryDb(store), [...new Set(ids)], advisories);
  return [...advisories.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** For each of these ecosystems, the sources holding at least one advisory record of it. */
export async function sourcesByEcosystem(
  store: Store,
  ecosystems: readonly string[],
): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (ecosystems.length === 0) return result;
  const rows = await advisoryDb(store)
    .selectFrom('advisory_packages')
    .select(['ecosystem', 'source'])
    .distinct()
    .where('ecosystem', 'in', [...ecosystems])
    .execute();
  for (const row of rows) result.set(row.ecosystem, [...(result.get(row.ecosystem) ?? []), row.source]);
  return result;
}
