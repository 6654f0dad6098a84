import type { SeverityLevel } from '../advisories/index.js';
import { type AdvisoryIndex, groupByAliases } from '../advisories/index.js';
import { ecosystemForLockfile } from '../ecosystems/index.js';
import { baseName, describeError, GitError, releaseGarbage, runGit } from '../kernel/index.js';
import type { SupplyChainSettings } from '../policy/index.js';
import { severityOfKind, slaFor } from './findings.js';
import {
  blobKeyString,
  type CachedParse,
  type HistoricalPackage,
  type LockfileBlobKey,
  type LockfileParseCache,
} from './lockfile-cache.js';

/** One lockfile as it was at one commit. */
export interface LockfileVersion {
  commit: string;
  /** Author time of the commit, ISO-8601. */
  time: string;
  path: string;
  /** Empty when the file was deleted at that commit; undefined when it could not be read. */
  packages?: HistoricalPackage[];
}

export interface HistoryOptions {
  /** The newest this many commits that touched a lockfile. */
  maxCommits?: number;
  maxBytes?: number;
  /** Parsed blobs from earlier runs; what is parsed now is added to it. */
  cache?: LockfileParseCache;
  /** Counts what this read did: blobs parsed, blobs taken from the cache. */
  stats?: HistoryStats;
}

export interface HistoryStats {
  parsed: number;
  cached: number;
  /** Why the cache could not be read or written (the history is still complete without it). */
  cacheProblem?: string;
}

/**
 * Every version of the repository's lockfiles over the newest `maxCommits` commits touching them,
 * oldest first: one `git log`, one `git cat-file --batch-check` for the blob ids, and one
 * `git cat-file --batch` for the blobs neither parsed earlier (the cache) nor seen twice.
 */
export async function readLockfileHistory(
  root: string,
  lockfiles: readonly string[],
  options: HistoryOptions = {},
): Promise<LockfileVersion[]> {
  if (lockfiles.length === 0) return [];
  const maxCommits = options.maxCommits ?? 200;
  const log = (
    await runGit(
      root,
      [
        'log',
        '--no-renames',
        `--max-count=${maxCommits}`,
        '--format=%x00%H %aI',
        '--name-only',
        '--',
        ...lockfiles,
      ],
      {
        maxOutputBytes: 16 * 1024 * 1024,
      },
    )
  ).toString('utf8');
  const wanted = new Set(lockfiles);
  const changes: Array<{ commit: string; time: string; paths: string[] }> = [];
  for (const block of log.split('\0')) {
    const [header, ...rest] = block.trim().split('\n');
    if (!header) continue;
    const [commit, time] = header.split(' ') as [string, string];
    changes.push({ commit, time, paths: rest.map((line) => line.trim()).filter((path) => wanted.has(path)) });
  }
  changes.reverse();
  const requests = changes.flatMap((change) => change.paths.map((path) => ({ ...change, path })));
  if (requests.length === 0) return [];
  const check = (
    await runGit(root, ['cat-file', '--batch-check'], {
      input: `${requests.map((request) => `${request.commit}:${request.path}`).join('\n')}\n`,
      maxOutputBytes: 4 * 1024 * 1024,
    })
  )
    .toString('utf8')
    .split('\n');
  // Per request: the blob it names (or `missing`: deleted in that commit, so it locks nothing).
  const sizes = new Map<string, number>();
  const blobs = requests.map((request, index) => {
    const match = /^([0-9a-f]+) blob (\d+)$/.exec(check[index] ?? '');
    if (match) {
      sizes.set(match[1] as string, Number(match[2]));
      return { blobId: match[1] as string, fileName: baseName(request.path) };
    }
    return (check[index] ?? '').endsWith(' missing') ? 'missing' : undefined;
  });
  const keys = blobs.filter((blob): blob is LockfileBlobKey => typeof blob === 'object');
  let parses = new Map<string, CachedParse>();
  try {
    if (options.cache) parses = await options.cache.get(keys);
  } catch (error) {
    if (options.stats) options.stats.cacheProblem = describeError(error);
  }
  if (options.stats) options.stats.cached += keys.filter((key) => parses.has(blobKeyString(key))).length;
  const toRead = new Map<string, LockfileBlobKey>();
  for (const key of keys) if (!parses.has(blobKeyString(key))) toRead.set(blobKeyString(key), key);
  if (toRead.size > 0) {
    const fresh = await parseBlobs(root, [...toRead.values()], sizes, options.maxBytes ?? 256 * 1024 * 1024);
    if (options.stats) options.stats.parsed += fresh.length;
    for (const entry of fresh) parses.set(blobKeyString(entry.key), entry.packages);
    try {
      await options.cache?.put(fresh);
    } catch (error) {
      if (options.stats) options.stats.cacheProblem = describeError(error);
    }
  }
  return requests.map((request, index) => {
    const version: LockfileVersion = { commit: request.commit, time: request.time, path: request.path };
    const blob = blobs[index];
    if (blob === 'missing') version.packages = [];
    else if (blob) {
      const packages = parses.get(blobKeyString(blob));
      if (packages) version.packages = packages;
    }
    return version;
  });
}

/**
 * Blobs read by one git process: a large lockfile's hundred versions are read a few at a time,
 * each batch parsed and let go before the next, so they are never all in memory at once.
 */
const batchBytes = 16 * 1024 * 1024;

/**
 * Reads and parses each blob once; a malformed one is `null` (a gap in the timeline, not an
 * error). `maxBytes` bounds all that is read; `sizes` are git's, from the listing.
 */
async function parseBlobs(
  root: string,
  keys: readonly LockfileBlobKey[],
  sizes: ReadonlyMap<string, number>,
  maxBytes: number,
): Promise<Array<{ key: LockfileBlobKey; packages: CachedParse }>> {
  const total = keys.reduce((sum, key) => sum + (sizes.get(key.blobId) ?? 0), 0);
  if (total > maxBytes)
    throw new GitError(
      'GIT_OUTPUT_TOO_LARGE',
      `lockfile versions to read (${total} bytes) exceed ${maxBytes} bytes`,
    );
  const parsed: Array<{ key: LockfileBlobKey; packages: CachedParse }> = [];
  // A package locked at the same version in many versions of a lockfile is one object: a
  // hundred versions of a large lockfile otherwise hold a hundred copies of each.
  const shared = new Map<string, HistoricalPackage>();
  for (const batch of batchesBySize(keys, sizes)) {
    const output = await runGit(root, ['cat-file', '--batch'], {
      input: `${batch.map((key) => key.blobId).join('\n')}\n`,
      // Each blob's header and newline besides its size.
      maxOutputBytes: batch.reduce((sum, key) => sum + (sizes.get(key.blobId) ?? 0) + 128, 0),
    });
    parsed.push(...parseBatch(output, batch, shared));
  }
  // The versions' text, decoded one by one, is large-object garbage now (kernel/memory.ts).
  releaseGarbage();
  return parsed;
}

/** Consecutive runs of keys whose blobs add up to at most `batchBytes` (or one larger blob). */
export function batchesBySize(
  keys: readonly LockfileBlobKey[],
  sizes: ReadonlyMap<string, number>,
): LockfileBlobKey[][] {
  const batches: LockfileBlobKey[][] = [];
  let current: LockfileBlobKey[] = [];
  let bytes = 0;
  for (const key of keys) {
    const size = sizes.get(key.blobId) ?? 0;
    if (current.length > 0 && bytes + size > batchBytes) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(key);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function parseBatch(
  output: Buffer,
  keys: readonly LockfileBlobKey[],
  shared: Map<string, HistoricalPackage>,
): Array<{ key: LockfileBlobKey; packages: CachedParse }> {
  const sharedPackage = (item: HistoricalPackage): HistoricalPackage => {
    const id = `${item.ecosystem}\0${item.name}\0${item.version}`;
    const known = shared.get(id);
    if (known) return known;
    shared.set(id, item);
    return item;
  };
  const parsed: Array<{ key: LockfileBlobKey; packages: CachedParse }> = [];
  let offset = 0;
  for (const key of keys) {
    const newline = output.indexOf(0x0a, offset);
    if (newline === -1) break;
    const header = output.subarray(offset, newline).toString('utf8');
    offset = newline + 1;
    const match = /^[0-9a-f]+ blob (\d+)$/.exec(header);
    if (!match) continue;
    const size = Number(match[1]);
    const text = output.subarray(offset, offset + size).toString('utf8');
    offset += size + 1;
    const module = ecosystemForLockfile(key.fileName);
    let packages: CachedParse;
    try {
      const input = { path: key.fileName, text };
      // The quick reader when the ecosystem has one: history needs names and versions only.
      packages = module?.lockedVersions
        ? module
            .lockedVersions(input)
            .map((item) =>
              sharedPackage({ ecosystem: module.osvEcosystem, name: item.name, version: item.version }),
            )
        : (module?.extract?.(input).packages ?? []).map((item) =>
            sharedPackage({ ecosystem: item.ecosystem, name: item.name, version: item.version }),
          );
    } catch {
      packages = null;
    }
    parsed.push({ key, packages });
  }
  return parsed;
}

/** A vulnerability that was present and later removed from a lockfile. */
export interface Remediation {
  path: string;
  ecosystem: string;
  name: string;
  id: string;
  aliases: string[];
  severity: SeverityLevel;
  published: string;
  vulnerableVersion: string;
  /** The commit that first locked a vulnerable version (in this episode). */
  introduced: { commit: string; time: string };
  /** The first commit with a version no range of the advisory affects (or without the package). */
  remediated: { commit: string; time: string; version?: string };
  /** From the later of publication and introduction, to the remediation. */
  days: number;
  slaDays: number;
  withinSla: boolean;
}

export interface PatchLatency {
  remediations: Remediation[];
  /** Median days to remediate, over `remediations`. */
  medianDays?: number;
  withinSlaShare?: number;
  commitsRead: number;
}

const dayMs = 86_400_000;

/**
 * Real time-to-remediate from lockfile history: for each package timeline and each advisory
 * affecting a version in it, every episode vulnerable → not vulnerable whose remediation came
 * after the advisory's publication counts, from max(publication, introduction) to the fix.
 */
export function computePatchLatency(
  history: readonly LockfileVersion[],
  index: AdvisoryIndex,
  settings: SupplyChainSettings,
): PatchLatency {
  const timelines = new Map<string, Array<{ commit: string; time: string; version?: string }>>();
  const current = new Map<string, Map<string, string>>();
  for (const entry of history) {
    const previous = current.get(entry.path) ?? new Map<string, string>();
    // An unreadable version is a gap: the timeline keeps the state before it.
    if (entry.packages === undefined) continue;
    const next = new Map<string, string>();
    for (const item of entry.packages ?? []) next.set(`${item.ecosystem}\0${item.name}`, item.version);
    for (const key of new Set([...previous.keys(), ...next.keys()])) {
      if (previous.get(key) === next.get(key)) continue;
      const timelineKey = `${entry.path}\0${key}`;
      const timeline = timelines.get(timelineKey) ?? [];
      const version = next.get(key);
      timeline.push({
        commit: entry.commit,
        time: entry.time,
        ...(version === undefined ? {} : { version }),
      });
      timelines.set(timelineKey, timeline);
    }
    current.set(entry.path, next);
  }
  const remediations: Remediation[] = [];
  for (const [key, timeline] of timelines) {
    const [path, ecosystem, name] = key.split('\0') as [string, string, string];
    const affectedBy = timeline.map((step) =>
      step.version === undefined
        ? new Map<string, ReturnType<AdvisoryIndex['match']>[number]>()
        : new Map(index.match(ecosystem, name, step.version).map((match) => [match.advisory.id, match])),
    );
    const ids = new Set(affectedBy.flatMap((matches) => [...matches.keys()]));
    const grouped = new Set<string>();
    for (const id of ids) {
      if (grouped.has(id)) continue;
      const sample = affectedBy.flatMap((matches) => (matches.get(id) ? [matches.get(id)] : []))[0];
      if (!sample) continue;
      const group = groupByAliases([sample])[0] ?? [sample];
      const names = new Set([id, ...sample.advisory.aliases]);
      for (const other of ids) if (names.has(other)) grouped.add(other);
      const published = sample.advisory.published;
      if (!published) continue;
      let since: { commit: string; time: string; version: string } | undefined;
      for (const [stepIndex, step] of timeline.entries()) {
        const vulnerable = [...names].some((name2) => affectedBy[stepIndex]?.has(name2));
        if (vulnerable && !since && step.version !== undefined)
          since = { commit: step.commit, time: step.time, version: step.version };
        if (!vulnerable && since) {
          if (Date.parse(step.time) > Date.parse(published)) {
            const start = Math.max(Date.parse(published), Date.parse(since.time));
            const days = Math.max(0, Math.round(((Date.parse(step.time) - start) / dayMs) * 10) / 10);
            const level = severityOfKind(sample.advisory.kind)?.level ?? sample.advisory.severity.level;
            const slaDays = slaFor(level, settings);
            remediations.push({
              path,
              ecosystem,
              name,
              id: group[0]?.advisory.id ?? id,
              aliases: [...names].filter((alias) => alias !== (group[0]?.advisory.id ?? id)).sort(),
              severity: level,
              published,
              vulnerableVersion: since.version,
              introduced: { commit: since.commit, time: since.time },
              remediated: {
                commit: step.commit,
                time: step.time,
                ...(step.version === undefined ? {} : { version: step.version }),
              },
              days,
              slaDays,
              withinSla: days <= slaDays,
            });
          }
          since = undefined;
        }
      }
    }
  }
  remediations.sort((a, b) => (a.remediated.time < b.remediated.time ? -1 : 1));
  const result: PatchLatency = {
    remediations,
    commitsRead: new Set(history.map((entry) => entry.commit)).size,
  };
  if (remediations.length > 0) {
    const days = remediations.map((item) => item.days).sort((a, b) => a - b);
    const middle = Math.floor(days.length / 2);
    result.medianDays =
      days.length % 2 === 1
        ? (days[middle] as number)
        : ((days[middle - 1] as number) + (days[middle] as number)) / 2;
    result.withinSlaShare = remediations.filter((item) => item.withinSla).length / remediations.length;
  }
  return result;
}
