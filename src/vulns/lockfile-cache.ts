import type { Kysely } from 'kysely';
import { containsCredential } from '../kernel/index.js';
import { type Store, type StoreAccess, viewTables } from '../store/index.js';

/** What history needs of a locked package: enough to match advisories over time. */
export interface HistoricalPackage {
  ecosystem: string;
  name: string;
  version: string;
}

/** `null`: that blob could not be parsed (a gap in the timeline, remembered as one). */
export type CachedParse = HistoricalPackage[] | null;

/** Parsed lockfile blobs, keyed by git blob id and file name (the name picks the parser). */
export interface LockfileParseCache {
  get(keys: readonly LockfileBlobKey[]): Promise<Map<string, CachedParse>>;
  put(entries: ReadonlyArray<{ key: LockfileBlobKey; packages: CachedParse }>): Promise<void>;
}

export interface LockfileBlobKey {
  blobId: string;
  fileName: string;
}

/** Bump when a lockfile parser changes what it extracts: older rows then miss and parse again. */
export const lockfileParserVersion = '1';

export function blobKeyString(key: LockfileBlobKey): string {
  return `${key.blobId} ${key.fileName}`;
}

// A type alias, not an interface: Kysely needs an index-compatible record.
type LockfileParsesTable = {
  blob_id: string;
  file_name: string;
  parser_version: string;
  packages: string | null;
  parsed_at: string;
};
type CacheTables = { lockfile_parses: LockfileParsesTable };

const batchSize = 200;
const maxCachedBytes = 32 * 1024 * 1024;

/** The cache in the store (migration 010-lockfile-cache), shared by every run on any repository. */
export class StoreLockfileParseCache implements LockfileParseCache {
  private readonly db: Kysely<CacheTables>;
  private readonly now: () => Date;

  constructor(store: Store, now: () => Date = () => new Date()) {
    this.db = viewTables<CacheTables>(store.db);
    this.now = now;
  }

  async get(keys: readonly LockfileBlobKey[]): Promise<Map<string, CachedParse>> {
    const found = new Map<string, CachedParse>();
    const ids = [...new Set(keys.map((key) => key.blobId))];
    const names = new Set(keys.map((key) => key.fileName));
    for (let start = 0; start < ids.length; start += batchSize) {
      const rows = await this.db
        .selectFrom('lockfile_parses')
        .select(['blob_id', 'file_name', 'packages'])
        .where('parser_version', '=', lockfileParserVersion)
        .where('blob_id', 'in', ids.slice(start, start + batchSize))
        .execute();
      for (const row of rows) {
        if (!names.has(row.file_name)) continue;
        const packages = decode(row.packages);
        // An undecodable row is treated as a miss: the blob is parsed again and the row replaced.
        if (packages !== undefined)
          found.set(blobKeyString({ blobId: row.blob_id, fileName: row.file_name }), packages);
      }
    }
    return found;
  }

  async put(entries: ReadonlyArray<{ key: LockfileBlobKey; packages: CachedParse }>): Promise<void> {
    const parsedAt = this.now().toISOString();
    const rows = entries.flatMap(({ key, packages }) => {
      const text =
        packages === null
          ? null
          : JSON.stringify(packages.map((item) => [item.ecosystem, item.name, item.version]));
      if (text !== null && text.length > maxCachedBytes) return [];
      // The store holds no credential (the redaction boundary): a version naming one (a token in
      // a git URL) is parsed again next time rather than stored.
      if (text !== null && containsCredential(text)) return [];
      return [
        {
          blob_id: key.blobId,
          file_name: key.fileName,
          parser_version: lockfileParserVersion,
          packages: text,
          parsed_at: parsedAt,
        },
      ];
    });
    for (let start = 0; start < rows.length; start += 50) {
      await this.db
        .insertInto('lockfile_parses')
        .values(rows.slice(start, start + 50))
        .onConflict((conflict) =>
          conflict.columns(['blob_id', 'file_name', 'parser_version']).doUpdateSet((eb) => ({
            packages: eb.ref('excluded.packages'),
            parsed_at: eb.ref('excluded.parsed_at'),
          })),
        )
        .execute();
    }
  }
}

function decode(text: string | null): CachedParse | undefined {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) return undefined;
    const packages: HistoricalPackage[] = [];
    for (const item of value) {
      if (!Array.isArray(item) || item.length !== 3) return undefined;
      const [ecosystem, name, version] = item as unknown[];
      if (typeof ecosystem !== 'string' || typeof name !== 'string' || typeof version !== 'string')
        return undefined;
      packages.push({ ecosystem, name, version });
    }
    return packages;
  } catch {
    return undefined;
  }
}

/** The cache in the command's store for caches (`StoreAccess.forCaches`: existing, or made by a command that writes it anyway). */
export async function lockfileCacheOf(access: StoreAccess): Promise<LockfileParseCache | undefined> {
  const store = await access.forCaches();
  return store ? new StoreLockfileParseCache(store) : undefined;
}
