import { createHash } from 'node:crypto';

/**
 * What a history scan leaves to do once the caches are filled, kept so that a scan of a history
 * that has not moved (the same refs, the same HEAD, the same rules) starts from it instead of
 * walking every commit again (decision 0017). It names blobs, paths and commits, never a match:
 * the blobs listed are read and scanned again, exactly as a walk would have them read.
 */
export interface SettledHistory {
  /** Commits the walk listed (the report's count). */
  commits: number;
  /** Blobs the clean-blob cache accounts for (the report's `cached`). */
  cached: number;
  /** Author and date of each commit an introduction below names, by oid. */
  authors: Record<string, { author: string; date: string }>;
  /**
   * In the walk's (topological) order: every introduction of a blob still to read, and every one
   * at a path a path-only rule names. Each is [commit oid, path, blob].
   */
  introductions: Array<[string, string, string]>;
  /** Blobs still to read, in the order the walk planned them. */
  oids: string[];
  /** [blob, base]: the earlier version each is rescanned against, both among `oids`. */
  bases: Array<[string, string]>;
}

/**
 * Where settled histories are kept: one per clone (its git folder, `scope`), found by the key it
 * was made under from any clone, since the key names the content (a fleet worker starts from the
 * row another worker's clone left). Only a cache that outlives the run (the store's) keeps them.
 */
export interface SettledHistories {
  find(key: string): Promise<SettledHistory | undefined>;
  remember(scope: string, key: string, settled: SettledHistory): Promise<void>;
}

/** Bumped when what the walk lists, or how a SettledHistory is read, changes. */
const formatVersion = 1;

/**
 * Names the history a SettledHistory was made from: the rules, HEAD, and every ref with the
 * commit it points to (`git for-each-ref` output, sorted by git). Object ids name content, so the
 * same refs name the same commits, trees and blobs; a ref added, moved or deleted, a new replace
 * ref, another HEAD or other rules give another key.
 */
export function settledHistoryKey(rulesDigest: string, head: string, refs: string): string {
  return createHash('sha256')
    .update(`settled-history ${formatVersion}\0${rulesDigest}\0${head}\0`)
    .update(refs)
    .digest('hex');
}

/**
 * Reads a stored SettledHistory back, or undefined when it is not one: a row from another format
 * or a damaged one is a cache miss, not an error.
 */
export function parseSettledHistory(text: string): SettledHistory | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const { commits, cached, authors, introductions, oids, bases } = value;
  if (typeof commits !== 'number' || typeof cached !== 'number' || !isRecord(authors)) return undefined;
  if (!Array.isArray(oids) || !oids.every((oid) => typeof oid === 'string')) return undefined;
  if (!Array.isArray(introductions) || !introductions.every((entry) => isStrings(entry, 3))) return undefined;
  if (!Array.isArray(bases) || !bases.every((entry) => isStrings(entry, 2))) return undefined;
  for (const entry of Object.values(authors)) {
    if (!isRecord(entry) || typeof entry['author'] !== 'string' || typeof entry['date'] !== 'string')
      return undefined;
  }
  return value as unknown as SettledHistory;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStrings(value: unknown, length: number): boolean {
  return Array.isArray(value) && value.length === length && value.every((item) => typeof item === 'string');
}
