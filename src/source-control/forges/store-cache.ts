import type { Kysely } from 'kysely';
import { type Store, viewTables } from '../../store/index.js';
import type { CachedResponse, ForgeCache } from './http.js';

// A type alias, not an interface: Kysely needs an index-compatible record.
type ForgeResponsesTable = {
  key: string;
  forge: string;
  etag: string | null;
  last_modified: string | null;
  body: string;
  fetched_at: string;
};
type ForgeCacheTables = { forge_responses: ForgeResponsesTable };

const maxKeyLength = 2000;

/**
 * Forge responses in the store (migration 005-forge-cache), so that the next `shipguard review`
 * or assessment revalidates with If-None-Match instead of spending the rate limit. Only what the
 * forge answered is kept: the key names the forge, host, path and query, never the token.
 */
export class StoreForgeCache implements ForgeCache {
  private readonly db: Kysely<ForgeCacheTables>;
  private readonly now: () => Date;

  constructor(store: Store, now: () => Date = () => new Date()) {
    this.db = viewTables<ForgeCacheTables>(store.db);
    this.now = now;
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    if (key.length > maxKeyLength) return undefined;
    const row = await this.db
      .selectFrom('forge_responses')
      .select(['etag', 'last_modified', 'body'])
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      body: row.body,
      ...(row.etag === null ? {} : { etag: row.etag }),
      ...(row.last_modified === null ? {} : { lastModified: row.last_modified }),
    };
  }

  async put(key: string, response: CachedResponse): Promise<void> {
    if (key.length > maxKeyLength) return;
    const values = {
      etag: response.etag ?? null,
      last_modified: response.lastModified ?? null,
      body: response.body,
      fetched_at: this.now().toISOString(),
    };
    await this.db
      .insertInto('forge_responses')
      .values({ key, forge: key.split(' ', 1)[0] ?? '', ...values })
      .onConflict((conflict) => conflict.column('key').doUpdateSet(values))
      .execute();
  }
}
