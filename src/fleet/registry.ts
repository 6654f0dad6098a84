import type { Kysely } from 'kysely';
import type { RepositoryIdentity } from '../source-control/index.js';
import type { Store } from '../store/index.js';
import { FleetError } from './errors.js';
import type { FleetRepositoriesTable, FleetTables } from './tables.js';

export type FleetRepository = FleetRepositoriesTable;

export function fleetDb(store: Store): Kysely<FleetTables> {
  return store.db as unknown as Kysely<FleetTables>;
}

export interface AddResult {
  added: RepositoryIdentity[];
  /** Already in the fleet: left as they were (their schedule kept). */
  present: RepositoryIdentity[];
}

/**
 * Adds repositories, staggered: the n-th new one is due `n × staggerSeconds` after `now`, so
 * adding a thousand does not queue a thousand jobs at once.
 */
export async function addRepositories(
  store: Store,
  identities: readonly RepositoryIdentity[],
  options: { now?: Date; staggerSeconds?: number } = {},
): Promise<AddResult> {
  const now = options.now ?? new Date();
  const stagger = options.staggerSeconds ?? 30;
  if (!Number.isFinite(stagger) || stagger < 0) {
    throw new FleetError('FLEET_INVALID_OPTION', `the stagger must be zero or more seconds, not ${stagger}`);
  }
  const db = fleetDb(store);
  const result: AddResult = { added: [], present: [] };
  await db.transaction().execute(async (trx) => {
    const seen = new Set<string>();
    for (const identity of identities) {
      if (seen.has(identity.key)) continue;
      seen.add(identity.key);
      const existing = await trx
        .selectFrom('fleet_repositories')
        .select('key')
        .where('key', '=', identity.key)
        .executeTakeFirst();
      if (existing) {
        result.present.push(identity);
        continue;
      }
      const due = new Date(now.getTime() + result.added.length * stagger * 1000).toISOString();
      await trx
        .insertInto('fleet_repositories')
        .values({
          key: identity.key,
          url: identity.url,
          subfolder: identity.subfolder ?? null,
          source: identity.source,
          added_at: now.toISOString(),
          due_at: due,
          last_attempted_at: null,
          last_finished_at: null,
          last_status: null,
          last_error: null,
          last_run_id: null,
          queued_run_id: null,
          queued_trigger: null,
        })
        .execute();
      result.added.push(identity);
    }
  });
  return result;
}

export async function listRepositories(
  store: Store,
  options: { limit?: number } = {},
): Promise<FleetRepository[]> {
  return fleetDb(store)
    .selectFrom('fleet_repositories')
    .selectAll()
    .orderBy('key')
    .limit(options.limit ?? 100_000)
    .execute();
}

export async function getRepository(store: Store, key: string): Promise<FleetRepository | undefined> {
  return fleetDb(store)
    .selectFrom('fleet_repositories')
    .selectAll()
    .where('key', '=', key)
    .executeTakeFirst();
}

/** Removes repositories from the fleet; their stored assessments and ledger entries stay. */
export async function removeRepositories(
  store: Store,
  keys: readonly string[],
): Promise<{ removed: string[]; unknown: string[] }> {
  const removed: string[] = [];
  const unknown: string[] = [];
  for (const key of keys) {
    const result = await fleetDb(store)
      .deleteFrom('fleet_repositories')
      .where('key', '=', key)
      .executeTakeFirst();
    (Number(result.numDeletedRows) > 0 ? removed : unknown).push(key);
  }
  return { removed, unknown };
}

/** How many runs the fleet has recorded, per repository key (for `fleet list` and the tests). */
export async function countRuns(store: Store, repository: string): Promise<number> {
  const row = await fleetDb(store)
    .selectFrom('fleet_runs')
    .select((builder) => builder.fn.countAll().as('count'))
    .where('repository', '=', repository)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}
