import type { Store } from '../store/index.js';
import { type ArchiveLimits, defaultArchiveLimits } from './archive.js';
import { listSources, markSourceChecked, replaceSource } from './database.js';
import { AdvisoryError } from './errors.js';
import { parseOsvArchive } from './import.js';

/** OSV's public bucket of per-ecosystem archives (`<ecosystem>/all.zip`). */
export const defaultOsvSource = 'https://osv-vulnerabilities.storage.googleapis.com';

export interface SyncOutcome {
  ecosystem: string;
  status: 'updated' | 'unchanged' | 'failed';
  records?: number;
  invalidRecords?: number;
  error?: AdvisoryError;
}

export interface SyncOptions {
  source?: string;
  ecosystems: readonly string[];
  now?: Date;
  timeoutMs?: number;
  limits?: ArchiveLimits;
}

/** The store's source name for an OSV ecosystem archive. */
export function osvSourceName(ecosystem: string): string {
  return `osv:${ecosystem}`;
}

function archiveUrl(base: string, ecosystem: string): URL {
  let url: URL;
  try {
    url = new URL(`${base.replace(/\/+$/, '')}/${encodeURIComponent(ecosystem)}/all.zip`);
  } catch (error) {
    throw new AdvisoryError('SOURCE_INVALID', `not a URL: ${base}`, { cause: error });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AdvisoryError(
      'SOURCE_INVALID',
      `only http and https sources are supported, not ${url.protocol}`,
    );
  }
  if (url.username || url.password)
    throw new AdvisoryError('SOURCE_INVALID', 'credentials in the source URL are not accepted');
  return url;
}

async function readBounded(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes)
    throw new AdvisoryError('SYNC_TOO_LARGE', `the archive is ${declared} bytes, more than ${maxBytes}`);
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > maxBytes)
      throw new AdvisoryError('SYNC_TOO_LARGE', `the archive is larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Downloads each ecosystem's OSV archive with its last ETag / Last-Modified (304 → unchanged),
 * parses the whole archive, then swaps it into the store in one transaction. Any failure
 * (network, HTTP status, size, zip bomb, store) leaves that ecosystem's previous data intact.
 */
export async function syncAdvisories(store: Store, options: SyncOptions): Promise<SyncOutcome[]> {
  const base = options.source ?? defaultOsvSource;
  const limits = options.limits ?? defaultArchiveLimits;
  const known = new Map((await listSources(store)).map((source) => [source.source, source]));
  const outcomes: SyncOutcome[] = [];
  for (const ecosystem of options.ecosystems) {
    const name = osvSourceName(ecosystem);
    const now = (options.now ?? new Date()).toISOString();
    try {
      const url = archiveUrl(base, ecosystem);
      const previous = known.get(name);
      const headers: Record<string, string> = { accept: 'application/zip' };
      if (previous?.etag) headers['if-none-match'] = previous.etag;
      if (previous?.lastModified) headers['if-modified-since'] = previous.lastModified;
      let response: Response;
      try {
        response = await fetch(url, {
          headers,
          redirect: 'error',
          signal: AbortSignal.timeout(options.timeoutMs ?? 120_000),
        });
      } catch (error) {
        throw new AdvisoryError('SYNC_HTTP', `${url.href}: ${(error as Error).message}`, { cause: error });
      }
      if (response.status === 304 && previous) {
        await markSourceChecked(store, name, now);
        outcomes.push({ ecosystem, status: 'unchanged', records: previous.records });
        continue;
      }
      if (response.status !== 200) {
        await response.body?.cancel().catch(() => {});
        throw new AdvisoryError('SYNC_HTTP', `${url.href} answered ${response.status}`);
      }
      const archive = await readBounded(response, limits.maxArchiveBytes);
      const parsed = parseOsvArchive(archive, limits);
      const etag = response.headers.get('etag');
      const lastModified = response.headers.get('last-modified');
      await replaceSource(
        store,
        {
          source: name,
          origin: url.href,
          ...(etag ? { etag } : {}),
          ...(lastModified ? { lastModified } : {}),
          importedAt: now,
          checkedAt: now,
          errors: parsed.errors.length,
        },
        parsed.advisories,
      );
      outcomes.push({
        ecosystem,
        status: 'updated',
        records: parsed.advisories.length,
        invalidRecords: parsed.errors.length,
      });
    } catch (error) {
      const failure =
        error instanceof AdvisoryError
          ? error
          : new AdvisoryError('SYNC_HTTP', `${ecosystem}: ${(error as Error).message}`, { cause: error });
      outcomes.push({ ecosystem, status: 'failed', error: failure });
    }
  }
  return outcomes;
}

export interface SourceAge {
  source: string;
  origin: string;
  records: number;
  invalidRecords: number;
  importedAt: string;
  checkedAt: string;
  /** Whole days since the source was last confirmed current (imported, or a 304). */
  ageDays: number;
}

export async function advisoryStatus(store: Store, now: Date = new Date()): Promise<SourceAge[]> {
  return (await listSources(store)).map((source) => ({
    source: source.source,
    origin: source.origin,
    records: source.records,
    invalidRecords: source.errors,
    importedAt: source.importedAt,
    checkedAt: source.checkedAt,
    ageDays: Math.floor((now.getTime() - Date.parse(source.checkedAt)) / 86_400_000),
  }));
}
