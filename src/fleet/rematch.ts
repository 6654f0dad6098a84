import type { Kysely } from 'kysely';
import {
  type Advisory,
  AdvisoryIndex,
  loadAdvisoriesById,
  loadAdvisoriesFor,
  packageNameKey,
} from '../advisories/index.js';
import type { SupplyChainSettings } from '../policy/index.js';
import type { Store } from '../store/index.js';

/**
 * Continuous re-matching: the latest SBOM of every repository is kept as rows indexed by package
 * (migration 014-fleet-components), so when advisories arrive the repositories they affect are
 * found by a query and a version comparison, without reading any repository again.
 */

type ComponentsTable = {
  repository: string;
  ecosystem: string;
  name: string;
  version: string;
  purl: string;
  recorded_at: string;
};
type MatchesTable = {
  repository: string;
  advisory_id: string;
  purl: string;
  severity: string;
  published: string | null;
  first_seen: string;
  due: string | null;
  notified_new_at: string | null;
  notified_overdue_at: string | null;
};
type Tables = { repository_components: ComponentsTable; advisory_matches: MatchesTable };

function tables(store: Store): Kysely<Tables> {
  return store.db.withTables<Tables>() as unknown as Kysely<Tables>;
}

export interface Component {
  ecosystem: string;
  name: string;
  version: string;
  purl: string;
}

const batch = 500;

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
    const db = transaction.withTables<Tables>() as unknown as Kysely<Tables>;
    await db.deleteFrom('repository_components').where('repository', '=', repository).execute();
    const list = [...rows.values()];
    for (let start = 0; start < list.length; start += 100)
      await db
        .insertInto('repository_components')
        .values(list.slice(start, start + 100))
        .execute();
  });
}

/** One repository's package affected by one advisory. */
export interface AdvisoryMatch {
  repository: string;
  advisoryId: string;
  purl: string;
  severity: string;
  published?: string;
  /** The day the fix is due (published + the policy's SLA for the severity), when published is known. */
  due?: string;
}

export interface RematchResult {
  advisories: number;
  componentsChecked: number;
  /** Matches not known before this run. */
  added: AdvisoryMatch[];
  /** Matches known before that no longer hold (the package was upgraded, the advisory withdrawn). */
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

async function componentsOf(
  db: Kysely<Tables>,
  packages: ReadonlyArray<{ ecosystem: string; name: string }>,
): Promise<ComponentsTable[]> {
  const byEcosystem = new Map<string, Set<string>>();
  for (const item of packages) {
    const names = byEcosystem.get(item.ecosystem) ?? new Set<string>();
    names.add(packageNameKey(item.ecosystem, item.name));
    byEcosystem.set(item.ecosystem, names);
  }
  const rows: ComponentsTable[] = [];
  for (const [ecosystem, names] of byEcosystem) {
    const list = [...names];
    for (let start = 0; start < list.length; start += batch) {
      const found = await db
        .selectFrom('repository_components')
        .selectAll()
        .where('ecosystem', '=', ecosystem)
        .where('name', 'in', list.slice(start, start + batch))
        .execute();
      for (const row of found) rows.push(row);
    }
  }
  return rows;
}

/**
 * Matches advisories against every stored component. With `advisoryIds`, only those advisories
 * (a new or changed one: its repositories are found by the package index); without, all of them
 * (after a sync), and matches that no longer hold are removed. Known matches keep their
 * first-seen day and notification state.
 */
export async function rematch(
  store: Store,
  options: { now: Date; slaDays: SupplyChainSettings['slaDays']; advisoryIds?: readonly string[] },
): Promise<RematchResult> {
  const db = tables(store);
  const found = new Map<string, AdvisoryMatch>();
  const advisoryIds = new Set<string>();
  let componentsChecked = 0;
  // Packages in chunks: memory stays bounded however many SBOMs and advisories there are.
  const match = async (
    advisories: Advisory[],
    packages: ReadonlyArray<{ ecosystem: string; name: string }>,
  ) => {
    for (const advisory of advisories) advisoryIds.add(advisory.id);
    const affected = new Set(
      advisories.flatMap((advisory) =>
        advisory.affected.map((item) => {
          const ecosystem = item.ecosystem.split(':')[0] ?? item.ecosystem;
          return `${ecosystem}\0${packageNameKey(ecosystem, item.name)}`;
        }),
      ),
    );
    const candidates = await componentsOf(
      db,
      packages.filter((item) =>
        affected.has(`${item.ecosystem}\0${packageNameKey(item.ecosystem, item.name)}`),
      ),
    );
    componentsChecked += candidates.length;
    const index = new AdvisoryIndex(advisories);
    for (const component of candidates) {
      for (const hit of index.match(component.ecosystem, component.name, component.version)) {
        const due = dueDay(hit.advisory, options.slaDays);
        const entry: AdvisoryMatch = {
          repository: component.repository,
          advisoryId: hit.advisory.id,
          purl: component.purl,
          severity: hit.advisory.severity.level,
          ...(hit.advisory.published ? { published: hit.advisory.published } : {}),
          ...(due ? { due } : {}),
        };
        found.set(matchKey(entry), entry);
      }
    }
  };
  if (options.advisoryIds) {
    const advisories = await loadAdvisoriesById(store, options.advisoryIds);
    await match(
      advisories,
      advisories.flatMap((advisory) =>
        advisory.affected.map((affected) => ({
          ecosystem: affected.ecosystem.split(':')[0] ?? affected.ecosystem,
          name: affected.name,
        })),
      ),
    );
  } else {
    const packages = await db
      .selectFrom('repository_components')
      .select(['ecosystem', 'name'])
      .distinct()
      .execute();
    for (let start = 0; start < packages.length; start += batch) {
      const chunk = packages.slice(start, start + batch);
      await match(await loadAdvisoriesFor(store, chunk), chunk);
    }
  }
  return store.db.transaction().execute(async (transaction) => {
    const tx = transaction.withTables<Tables>() as unknown as Kysely<Tables>;
    const scope = options.advisoryIds ? [...advisoryIds] : undefined;
    const known = new Set<string>();
    if (scope === undefined || scope.length > 0) {
      let query = tx.selectFrom('advisory_matches').select(['repository', 'advisory_id', 'purl']);
      if (scope) query = query.where('advisory_id', 'in', scope);
      for (const row of await query.execute())
        known.add(matchKey({ repository: row.repository, advisoryId: row.advisory_id, purl: row.purl }));
    }
    const added = [...found.values()].filter((entry) => !known.has(matchKey(entry)));
    const firstSeen = options.now.toISOString();
    for (let start = 0; start < added.length; start += 100) {
      await tx
        .insertInto('advisory_matches')
        .values(
          added.slice(start, start + 100).map((entry) => ({
            repository: entry.repository,
            advisory_id: entry.advisoryId,
            purl: entry.purl,
            severity: entry.severity,
            published: entry.published ?? null,
            first_seen: firstSeen,
            due: entry.due ?? null,
            notified_new_at: null,
            notified_overdue_at: null,
          })),
        )
        .execute();
    }
    const stale = [...known].filter((key) => !found.has(key));
    for (const key of stale) {
      const [repository = '', advisoryId = '', purl = ''] = key.split('\0');
      await tx
        .deleteFrom('advisory_matches')
        .where('repository', '=', repository)
        .where('advisory_id', '=', advisoryId)
        .where('purl', '=', purl)
        .execute();
    }
    return {
      advisories: advisoryIds.size,
      componentsChecked,
      added,
      resolved: stale.length,
      total: found.size,
    };
  });
}

function matchKey(entry: { repository: string; advisoryId: string; purl: string }): string {
  return `${entry.repository}\0${entry.advisoryId}\0${entry.purl}`;
}

export interface PendingNotification {
  kind: 'new-critical' | 'overdue';
  match: AdvisoryMatch;
}

/** What to tell people now: new critical matches, and matches whose due day has passed, each once. */
export async function pendingNotifications(store: Store, now: Date): Promise<PendingNotification[]> {
  const db = tables(store);
  const today = now.toISOString().slice(0, 10);
  const rows = await db
    .selectFrom('advisory_matches')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('severity', '=', 'critical'), eb('notified_new_at', 'is', null)]),
        eb.and([eb('due', '<', today), eb('notified_overdue_at', 'is', null)]),
      ]),
    )
    .orderBy('repository')
    .orderBy('advisory_id')
    .execute();
  return rows.flatMap((row): PendingNotification[] => {
    const match: AdvisoryMatch = {
      repository: row.repository,
      advisoryId: row.advisory_id,
      purl: row.purl,
      severity: row.severity,
      ...(row.published ? { published: row.published } : {}),
      ...(row.due ? { due: row.due } : {}),
    };
    const kinds: PendingNotification[] = [];
    if (row.severity === 'critical' && row.notified_new_at === null)
      kinds.push({ kind: 'new-critical', match });
    if (row.due !== null && row.due < today && row.notified_overdue_at === null)
      kinds.push({ kind: 'overdue', match });
    return kinds;
  });
}

/** Marks notifications delivered, so a retry or the next run does not send them again. */
export async function markNotified(
  store: Store,
  sent: readonly PendingNotification[],
  now: Date,
): Promise<void> {
  const db = tables(store);
  const at = now.toISOString();
  for (const item of sent) {
    await db
      .updateTable('advisory_matches')
      .set(item.kind === 'new-critical' ? { notified_new_at: at } : { notified_overdue_at: at })
      .where('repository', '=', item.match.repository)
      .where('advisory_id', '=', item.match.advisoryId)
      .where('purl', '=', item.match.purl)
      .execute();
  }
}
