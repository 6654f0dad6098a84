import { ForgeError } from './errors.js';

/** A response kept for revalidation: its validators and its body (never a request header). */
export interface CachedResponse {
  etag?: string;
  lastModified?: string;
  body: string;
}

/**
 * Responses kept by ETag/Last-Modified, so that an unchanged answer costs a 304 (which forges do
 * not count against the rate limit). Keys come from {@link forgeCacheKey}: no token in them.
 */
export interface ForgeCache {
  get(key: string): Promise<CachedResponse | undefined>;
  put(key: string, response: CachedResponse): Promise<void>;
}

export class MemoryForgeCache implements ForgeCache {
  private readonly entries = new Map<string, CachedResponse>();
  async get(key: string) {
    return this.entries.get(key);
  }
  async put(key: string, response: CachedResponse) {
    this.entries.set(key, { ...response });
  }
}

/** Query parameters some forges accept a token in: never part of a cache key. */
const tokenParameters = new Set(['access_token', 'private_token', 'job_token', 'token']);

/**
 * The cache key of a request: the forge, the API host, the path and the query, without user
 * information or token parameters, so the same question asked with another token finds the entry
 * (the forge still decides, through the ETag, whether the answer is unchanged for that token).
 */
export function forgeCacheKey(forge: string, url: URL): string {
  const query = new URLSearchParams();
  for (const [name, value] of url.searchParams) {
    if (!tokenParameters.has(name.toLowerCase())) query.append(name, value);
  }
  const search = query.size > 0 ? `?${query.toString()}` : '';
  return `${forge} ${url.host}${url.pathname}${search}`;
}

export interface ForgeHttpOptions {
  /** Which forge (`github`, `gitlab`): the first part of every cache key. */
  forge?: string;
  baseUrl: string;
  token: string;
  /** Header carrying the token: GitHub `Authorization: Bearer`, GitLab `PRIVATE-TOKEN`. */
  authorization: (token: string) => Record<string, string>;
  cache?: ForgeCache;
  /** Retries after a 5xx or a network error. */
  maxRetries?: number;
  /** The longest single wait for a rate limit or a retry; a longer one fails instead. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
}

/** What a forge adapter is opened with: the forge's name for the repository, a token, transport. */
export interface ForgeAdapterOptions
  extends Partial<Pick<ForgeHttpOptions, 'cache' | 'sleep' | 'maxWaitMs'>> {
  project: string;
  token: string;
  apiUrl?: string;
}

/** The caller's optional cache, sleep and wait limit, passed on only where given. */
export function transportSettings(
  options: Pick<ForgeAdapterOptions, 'cache' | 'sleep' | 'maxWaitMs'>,
): Pick<ForgeHttpOptions, 'cache' | 'sleep' | 'maxWaitMs'> {
  return {
    ...(options.cache ? { cache: options.cache } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
  };
}

export interface JsonPage {
  body: unknown;
  /** The next page's URL (same origin as the base), when there is one. */
  next?: string;
}

const maxBodyBytes = 16 * 1024 * 1024;
const maxPages = 100;
/** Larger answers are not cached (a review list is a few kilobytes). */
const maxCachedBodyBytes = 4 * 1024 * 1024;

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * GET requests to a forge API: token in a header, ETag revalidation, bounded retries on 5xx and
 * network errors, waits on 429/403 rate limits (Retry-After, x-ratelimit-reset) up to a cap.
 */
export class ForgeHttp {
  requestCount = 0;
  private readonly base: URL;

  private readonly options: ForgeHttpOptions;

  constructor(options: ForgeHttpOptions) {
    this.options = options;
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  }

  /** Every page of a list endpoint, concatenated (pages are arrays). */
  async getAll(path: string): Promise<unknown[]> {
    const items: unknown[] = [];
    let url: string | undefined = this.resolve(path).toString();
    for (let page = 0; url && page < maxPages; page++) {
      const result: JsonPage = await this.getUrl(url);
      if (!Array.isArray(result.body)) {
        throw new ForgeError('FORGE_MALFORMED_RESPONSE', `expected a list from ${new URL(url).pathname}`);
      }
      items.push(...result.body);
      url = result.next;
    }
    return items;
  }

  async get(path: string): Promise<unknown> {
    return (await this.getUrl(this.resolve(path).toString())).body;
  }

  private resolve(path: string): URL {
    return new URL(path.replace(/^\//, ''), this.base);
  }

  private async getUrl(url: string): Promise<JsonPage> {
    const target = new URL(url);
    if (target.origin !== this.base.origin) {
      // Never send the token to another host, whatever a Link header says.
      throw new ForgeError(
        'FORGE_MALFORMED_RESPONSE',
        `a next-page link points to another host (${target.host})`,
      );
    }
    const where = target.pathname;
    const key = forgeCacheKey(this.options.forge ?? 'forge', target);
    // A cache that cannot be read or written costs requests, never the review.
    const cached = await this.options.cache?.get(key).catch(() => undefined);
    const maxRetries = this.options.maxRetries ?? 3;
    const maxWaitMs = this.options.maxWaitMs ?? 60_000;
    const sleep = this.options.sleep ?? defaultSleep;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      this.requestCount += 1;
      try {
        response = await fetch(url, {
          headers: {
            accept: 'application/json',
            'user-agent': 'shipguard',
            ...this.options.authorization(this.options.token),
            ...(cached?.etag ? { 'if-none-match': cached.etag } : {}),
            ...(cached?.lastModified ? { 'if-modified-since': cached.lastModified } : {}),
          },
          redirect: 'error',
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        });
      } catch (error) {
        if (attempt < maxRetries) {
          await sleep(Math.min(maxWaitMs, 250 * 2 ** attempt));
          continue;
        }
        throw new ForgeError('FORGE_UNREACHABLE', `GET ${where} failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      if (response.status === 304 && cached)
        return { body: parseJson(cached.body, where), ...nextOf(response, target) };
      if (response.status === 429 || (response.status === 403 && isRateLimited(response))) {
        await response.body?.cancel();
        const wait = rateLimitWait(response);
        if (attempt >= maxRetries || wait > maxWaitMs) {
          throw new ForgeError(
            'FORGE_RATE_LIMITED',
            `GET ${where} is rate limited (status ${response.status}; retry in ${Math.ceil(wait / 1000)} s)`,
          );
        }
        await sleep(wait);
        continue;
      }
      if (response.status >= 500) {
        await response.body?.cancel();
        if (attempt < maxRetries) {
          await sleep(Math.min(maxWaitMs, 250 * 2 ** attempt));
          continue;
        }
        throw new ForgeError(
          'FORGE_SERVER_ERROR',
          `GET ${where} failed with ${response.status} after ${attempt + 1} tries`,
        );
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        const code =
          response.status === 401 || response.status === 403
            ? 'FORGE_UNAUTHORIZED'
            : response.status === 404
              ? 'FORGE_NOT_FOUND'
              : 'FORGE_HTTP_ERROR';
        throw new ForgeError(code, `GET ${where} answered ${response.status}`);
      }
      const text = await readBounded(response, where);
      const body = parseJson(text, where);
      const etag = response.headers.get('etag');
      const lastModified = response.headers.get('last-modified');
      if ((etag || lastModified) && this.options.cache && text.length <= maxCachedBodyBytes) {
        await this.options.cache
          .put(key, {
            body: text,
            ...(etag ? { etag: etag.slice(0, 500) } : {}),
            ...(lastModified ? { lastModified: lastModified.slice(0, 100) } : {}),
          })
          .catch(() => {});
      }
      return { body, ...nextOf(response, target) };
    }
  }
}

function isRateLimited(response: Response): boolean {
  return response.headers.get('x-ratelimit-remaining') === '0' || response.headers.has('retry-after');
}

/** How long to wait: Retry-After (seconds or a date), else until x-ratelimit-reset, else a minute. */
export function rateLimitWait(response: Response, now = Date.now()): number {
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = Number(response.headers.get('x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  return 60_000;
}

function nextOf(response: Response, current: URL): { next?: string } {
  const link = response.headers.get('link');
  if (link) {
    for (const part of link.split(',').slice(0, 20)) {
      const match = /^\s*<([^>]{1,2000})>\s*;\s*rel="?next"?/.exec(part);
      if (match?.[1]) return { next: new URL(match[1], current).toString() };
    }
  }
  const nextPage = response.headers.get('x-next-page');
  if (nextPage && /^\d{1,6}$/.test(nextPage)) {
    const next = new URL(current);
    next.searchParams.set('page', nextPage);
    return { next: next.toString() };
  }
  return {};
}

async function readBounded(response: Response, where: string): Promise<string> {
  const length = Number(response.headers.get('content-length'));
  if (Number.isFinite(length) && length > maxBodyBytes) {
    await response.body?.cancel();
    throw new ForgeError('FORGE_MALFORMED_RESPONSE', `GET ${where} answered more than ${maxBodyBytes} bytes`);
  }
  const buffer = Buffer.from(await response.arrayBuffer());
  if (buffer.length > maxBodyBytes) {
    throw new ForgeError('FORGE_MALFORMED_RESPONSE', `GET ${where} answered more than ${maxBodyBytes} bytes`);
  }
  return buffer.toString('utf8');
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ForgeError('FORGE_MALFORMED_RESPONSE', `GET ${where} answered with malformed JSON`, {
      cause: error,
    });
  }
}
