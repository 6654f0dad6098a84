/**
 * The portfolio as the API returns it: every repository's latest assessment with its status by
 * area. Lighter than the page's read model (no trend); the latest assessments come from the pages'
 * `latestAssessmentRows`, which reads the `latest_assessments` projection (one row per repository).
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { sql } from 'kysely';
import type { ControlStatus, StatusCounts } from '../../kernel/index.js';
import { type Store, statusCountsOfRow } from '../../store/index.js';
import { areasOf, latestAssessmentRows } from '../pages/index.js';

const gzipAsync = promisify(gzip);

export interface PortfolioEntry {
  repository: string;
  assessmentId: string;
  startedAt: string;
  commit?: string;
  summary: StatusCounts;
  /** Area → the worst status of its controls (fail, partial, unknown, pass, not-applicable). */
  areas: Record<string, ControlStatus>;
}

const worstFirst: readonly ControlStatus[] = ['fail', 'partial', 'unknown', 'pass', 'not-applicable'];

export function worstStatus(counts: StatusCounts): ControlStatus {
  return worstFirst.find((status) => counts[status] > 0) ?? 'not-applicable';
}

/**
 * Every repository's latest assessment with its status by area; `repositories` limits it to
 * those keys (a token's scope), undefined means all.
 */
export async function apiPortfolio(
  store: Store,
  repositories?: readonly string[],
): Promise<PortfolioEntry[]> {
  const latest = await latestAssessmentRows(store, repositories);
  return latest.map((row) => ({
    repository: row.repository,
    assessmentId: row.id,
    startedAt: row.started_at,
    ...(row.commit === null ? {} : { commit: row.commit }),
    summary: statusCountsOfRow(row),
    areas: Object.fromEntries(
      Object.entries(areasOf(row))
        .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
        .map(([area, counts]) => [area, worstStatus(counts)]),
    ),
  }));
}

/** A portfolio answer, serialised once: the JSON bytes, their gzip, and an ETag over them. */
export interface PortfolioAnswer {
  json: Buffer;
  gzip: Buffer;
  etag: string;
}

/**
 * The serialised portfolio, kept until the store changes. Every write of an assessment appends to
 * the ledger (the API's uploads, the fleet's jobs, `assess`), so the ledger's size is a change
 * marker one primary-key read away; `maxAgeMs` bounds staleness for a write that bypassed it.
 * The marker is read before the portfolio, so a write racing the read is seen at the next one.
 *
 * Requests never queue behind a refresh while a recent answer exists (stale-while-revalidate):
 * an answer confirmed within `freshMs` is served as it is; one confirmed within `staleMs` is served
 * while one refresh runs in the background; older than that (the store unreachable, say), the
 * request waits for the refresh and shares its outcome, error included.
 */
export interface PortfolioCache {
  read(store: Store, scope: readonly string[] | undefined, now: Date): Promise<PortfolioAnswer>;
}

export function createPortfolioCache(options: {
  maxAgeMs: number;
  /** Within this, an answer is reused without asking the store (staleness bound; 0: always ask). */
  freshMs?: number;
  /** Within this, an answer is served while it is refreshed in the background (0: never). */
  staleMs?: number;
  maxEntries?: number;
}): PortfolioCache {
  /** `computedAt` bounds an answer's age; `confirmedAt` is when the marker last matched. */
  const entries = new Map<
    string,
    { marker: number; computedAt: number; confirmedAt: number; answer: PortfolioAnswer }
  >();
  const maxEntries = options.maxEntries ?? 100;
  const freshMs = options.freshMs ?? 0;
  const staleMs = Math.max(freshMs, options.staleMs ?? 0);
  // One refresh per scope at a time: requests arriving while it runs share it, rather than each
  // computing the same portfolio (a stampede every time an answer ages out).
  const refreshing = new Map<string, Promise<PortfolioAnswer>>();
  async function refresh(store: Store, key: string, scope: readonly string[] | undefined, now: Date) {
    const cached = entries.get(key);
    const at = now.getTime();
    const marker = await ledgerSize(store);
    if (cached && cached.marker === marker && at - cached.computedAt < options.maxAgeMs) {
      cached.confirmedAt = at;
      return cached.answer;
    }
    const json = Buffer.from(
      JSON.stringify({ generatedAt: now.toISOString(), repositories: await apiPortfolio(store, scope) }),
      'utf8',
    );
    const answer: PortfolioAnswer = {
      json,
      gzip: await gzipAsync(json),
      etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`,
    };
    if (entries.size >= maxEntries) entries.clear();
    entries.set(key, { marker, computedAt: at, confirmedAt: at, answer });
    return answer;
  }
  function startRefresh(store: Store, key: string, scope: readonly string[] | undefined, now: Date) {
    const running = refreshing.get(key);
    if (running) return running;
    const next = refresh(store, key, scope, now).finally(() => refreshing.delete(key));
    refreshing.set(key, next);
    return next;
  }
  return {
    async read(store, scope, now) {
      const key = scope === undefined ? '*' : JSON.stringify([...scope].sort());
      const cached = entries.get(key);
      const age = cached === undefined ? Number.POSITIVE_INFINITY : now.getTime() - cached.confirmedAt;
      if (cached && age < freshMs) return cached.answer;
      const next = startRefresh(store, key, scope, now);
      if (cached && age < staleMs) {
        // Served now; the refresh's failure, if any, is met by the next request that waits for it.
        next.catch(() => {});
        return cached.answer;
      }
      return next;
    },
  };
}

async function ledgerSize(store: Store): Promise<number> {
  const result = await sql<{ size: number | string }>`select size from ledger_head where id = 1`.execute(
    store.db,
  );
  return Number(result.rows[0]?.size ?? 0);
}
