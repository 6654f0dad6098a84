import { runGitText } from '../kernel/index.js';
import { filterMatches, isPathAllowed, readGitleaksIgnore } from './allow.js';
import { type CleanBlobCache, rulesDigest } from './clean-blobs.js';
import { SecretsError } from './errors.js';
import { sortFindings } from './finding.js';
import { readBlobs, streamGitTokens } from './git-stream.js';
import { redactSecret } from './redact.js';
import type { SecretScanReport } from './report.js';
import { type CompiledRuleSet, compileRuleSet } from './scan/compile-rules.js';
import type { EngineMatch } from './scan/engine.js';
import { changedText, findLineDelta, mergeLineDelta } from './scan/line-delta.js';
import { createScanPool, type ScanPool } from './scan/pool.js';
import { type BufferScan, isBinary } from './scan/scan-buffer.js';
import {
  applyIgnoreFile,
  emptyReport,
  pathOnlyFindings,
  pathOnlyRulesNaming,
  type ScanOptions,
  toFinding,
} from './scanner.js';
import { type SettledHistory, settledHistoryKey } from './settled-history.js';

export interface HistoryOptions extends ScanOptions {
  /** Only commits in `since..HEAD`. Default: every commit reachable from any ref. */
  since?: string;
  /** Stop reading blobs after this many milliseconds; the report is then partial. */
  timeBudgetMs?: number;
  /** Blobs found clean before under the same rules are skipped; newly clean ones are added. */
  cleanBlobs?: CleanBlobCache;
  /**
   * Whether a large read drains git on a relay thread (default true): faster when a core is free,
   * at the cost of the thread's memory (decisions 0015, 0016).
   */
  relay?: boolean;
}

interface Commit {
  oid: string;
  author: string;
  date: string;
}

/** A blob appearing at a path in a commit (added or modified there, against some parent). */
interface Introduction {
  commit: number;
  path: string;
  blob: string;
  /** The parent's blob at that path, when it was modified: '' when added. */
  base: string;
}

/** Blobs to read, in order, each with the earlier blob it is a new version of (if scanned before it). */
interface BlobPlan {
  oids: string[];
  bases: Map<string, string>;
  /** For a blob that is some later blob's base: the position of the last such blob. */
  lastUse: Map<string, number>;
}

/** Clean blobs remembered in one write, during a scan. */
const rememberBatch = 4096;

/** Earlier versions kept in memory to rescan only the lines that changed; beyond this, whole blobs. */
const baseCacheBytes = 64 * 1024 * 1024;

const zeroOid = /^0+$/;

/**
 * From this many blobs to read, git's output is drained on a relay thread (git-relay.ts). Measured
 * (bench/README.md, "Secrets"): drizzle-orm's 28,644 blobs (687 MB) 6.6-6.9 s -> 5.7 s; express's
 * 11,758 (151 MB) 0.93 -> 1.03 s and 100 MB more, so smaller reads stay on this thread.
 */
const relayFromBlobs = 20_000;

/**
 * Scans history: lists (commit, path, blob) introductions in topological order with one
 * `git log --raw` walk (no patches), reads each unique blob once with `git cat-file --batch`,
 * rescans only the lines where a blob differs from the parent's version at that path (see
 * scan/line-delta.ts), then gives each secret to the first commit whose blob at that path holds
 * it. Each finding says whether HEAD still holds it.
 */
export async function scanHistory(options: HistoryOptions): Promise<SecretScanReport> {
  const started = performance.now();
  const report = emptyReport('history', options.root);
  const ruleSet = compileRuleSet(options.rules);
  const cache = options.cleanBlobs;
  const digest = cache ? rulesDigest(options.rules) : '';
  const histories = options.since ? undefined : cache?.settledHistories;
  // Each git process costs a start-up: the checks and the ref listing run together.
  const shallow = runGitText(options.root, ['rev-parse', '--is-shallow-repository']).catch(() => 'false');
  const refs = histories
    ? runGitText(options.root, ['for-each-ref', '--format=%(objectname) %(refname)']).catch(() => undefined)
    : undefined;
  const { gitDir, head } = await resolveHead(options.root);
  const isShallow = (await shallow) === 'true';
  if (isShallow) {
    report.partial = true;
    report.partialReasons.push('shallow clone: commits before the shallow boundary were not scanned');
  }
  if (options.since) await resolveRevision(options.root, options.since);
  // A shallow boundary can move without a ref moving: such a history is always walked.
  const listed = await refs;
  const settledKey =
    listed !== undefined && !isShallow ? settledHistoryKey(digest, head ?? '', listed) : undefined;
  const settled = settledKey ? await histories?.find(settledKey) : undefined;

  const headBlobs = lazyHeadBlobs(options.root, head);
  let commits: Commit[];
  let introductions: Introduction[];
  let toRead: BlobPlan;
  let afterScan: (matchesByBlob: Map<string, EngineMatch[]>, clean: string[]) => Promise<void>;
  if (settled) {
    ({ commits, introductions, plan: toRead } = fromSettledHistory(settled));
    report.stats.commits = settled.commits;
    report.stats.cached = settled.cached;
    afterScan = async () => {};
  } else {
    ({ commits, introductions } = await listIntroductions(
      options.root,
      options.since ? [`${options.since}..${head ?? 'HEAD'}`] : ['--all'],
    ));
    report.stats.commits = commits.length;
    const plan = planBlobs(ruleSet, introductions);
    const known = cache ? await cache.clean(digest, plan.oids) : new Set<string>();
    const skippable =
      cache && !options.since && !hasCommitAllowlists(ruleSet)
        ? skippableVersions(plan, introductions, known, await headBlobs())
        : [];
    const inheriting = cache ? await cache.inheriting(digest, skippable) : new Set<string>();
    const skipped = new Set([...known, ...inheriting]);
    toRead = skipped.size > 0 ? withoutBlobs(plan, skipped) : plan;
    if (cache) report.stats.cached = skipped.size;
    afterScan = async (matchesByBlob, clean) => {
      if (!cache) return;
      const found = versionsWithNothingNew(plan, matchesByBlob);
      if (found.length > 0) await cache.rememberInheriting(digest, found);
      if (!histories || !settledKey || report.partial) return;
      // What the next walk of this same history would leave to read: the blobs read now, less
      // those now known clean, and the versions that may be skipped found to hold nothing new (a
      // blob found clean now held no match, so it is none of those).
      const mayBeSkipped = new Set(skippable.map(({ blob }) => blob));
      const newlyInheriting = found.filter(({ blob }) => mayBeSkipped.has(blob)).map(({ blob }) => blob);
      const done = new Set([...known, ...clean, ...inheriting, ...newlyInheriting]);
      await histories.remember(
        gitDir,
        settledKey,
        toSettledHistory(ruleSet, commits, introductions, withoutBlobs(plan, done), plan.oids.length),
      );
    };
  }
  // Clean blobs are remembered while the scan goes on (the thread waits on git at times), not
  // all at its end: a cold drizzle-orm scan wrote 27,000 rows there, on the run's critical path.
  const rememberClean = cache ? (oids: string[]) => cache.remember(digest, oids) : undefined;
  const { matchesByBlob, clean } = await scanBlobs(options, report, toRead, started, rememberClean);
  await afterScan(matchesByBlob, clean);

  // Attribution: introductions are in topological order (oldest first), so the first time a
  // (rule, path, secret) is seen is the commit that introduced it.
  const findings = new Map<string, ReturnType<typeof toFinding>>();
  const pathOnlySeen = new Set<string>();
  // Paths no path-only rule names (nearly all) are known after their first introduction.
  const noPathFinding = new Set<string>();
  for (const introduction of introductions) {
    const commit = commits[introduction.commit] as Commit;
    const pathFindings = noPathFinding.has(introduction.path)
      ? []
      : pathOnlyFindings(ruleSet, introduction.path, commit.oid);
    if (pathFindings.length === 0 && pathOnlyRulesNaming(ruleSet, introduction.path).length === 0)
      noPathFinding.add(introduction.path);
    for (const finding of pathFindings) {
      if (pathOnlySeen.has(`${finding.ruleId}\0${finding.path}`)) continue;
      pathOnlySeen.add(`${finding.ruleId}\0${finding.path}`);
      Object.assign(finding, { author: commit.author, date: commit.date });
      findings.set(finding.id, finding);
    }
    const matches = matchesByBlob.get(introduction.blob);
    if (!matches || matches.length === 0) continue;
    for (const match of filterMatches(ruleSet, matches, { path: introduction.path, commit: commit.oid })) {
      const finding = toFinding(ruleSet, match, introduction.path, {
        commit: commit.oid,
        author: commit.author,
        date: commit.date,
      });
      if (!findings.has(finding.id)) findings.set(finding.id, finding);
    }
  }
  report.findings = [...findings.values()];
  await markPresence(options, report, matchesByBlob, headBlobs);
  applyIgnoreFile(report, await readGitleaksIgnore(options.root));
  sortFindings(report.findings);
  report.stats.elapsedMs = Math.round(performance.now() - started);
  return report;
}

/** The repository's git folder (absolute: the settled history's scope) and HEAD, if born. */
async function resolveHead(root: string): Promise<{ gitDir: string; head: string | undefined }> {
  let gitDir: string;
  try {
    gitDir = await runGitText(root, ['rev-parse', '--absolute-git-dir']);
  } catch (error) {
    throw new SecretsError('SECRETS_NOT_A_REPOSITORY', `${root} is not a git repository`, { cause: error });
  }
  const head = await runGitText(root, ['rev-parse', '--verify', '--quiet', 'HEAD']).catch(() => '');
  return { gitDir, head: head || undefined };
}

async function resolveRevision(root: string, revision: string): Promise<void> {
  if (revision.startsWith('-')) {
    throw new SecretsError('SECRETS_REVISION_UNKNOWN', `not a revision: ${revision}`);
  }
  try {
    await runGitText(root, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]);
  } catch (error) {
    throw new SecretsError('SECRETS_REVISION_UNKNOWN', `unknown revision: ${revision}`, { cause: error });
  }
}

/** One `git log --raw` walk, oldest first, giving every blob each commit adds or changes. */
async function listIntroductions(
  root: string,
  range: string[],
): Promise<{ commits: Commit[]; introductions: Introduction[] }> {
  const commits: Commit[] = [];
  const introductions: Introduction[] = [];
  let pendingBlob: string | undefined;
  let pendingBase = '';
  const args = [
    'log',
    ...range,
    '--topo-order',
    '--reverse',
    '--format=%x01%H%x02%an <%ae>%x02%aI',
    '--raw',
    '-z',
    '--no-abbrev',
    '--no-renames',
    // A merge against its first parent only: every blob of its tree is then either its first
    // parent's (listed where that came in) or listed here. Against the other parents (-m) it would
    // list again what their branches brought in, a third of drizzle-orm's entries, adding nothing.
    '--diff-merges=first-parent',
    '--',
  ];
  await streamGitTokens(root, args, (token) => {
    if (pendingBlob !== undefined) {
      const blob = pendingBlob;
      pendingBlob = undefined;
      introductions.push({
        commit: commits.length - 1,
        path: token.toString('utf8'),
        blob,
        base: pendingBase,
      });
      return;
    }
    let text = token.toString('utf8');
    if (text.startsWith('\n')) text = text.slice(1);
    if (text.startsWith('\x01')) {
      const [oid = '', author = '', date = ''] = text.slice(1).split('\x02');
      // A commit printed twice (as -m once did) is still one commit.
      if (commits[commits.length - 1]?.oid !== oid) commits.push({ oid, author, date: date.trim() });
      return;
    }
    if (text.startsWith(':')) {
      // ":<old mode> <new mode> <old oid> <new oid> <status>", then the path token.
      const fields = text.slice(1).split(' ');
      const mode = fields[1] ?? '';
      const base = fields[2] ?? '';
      const blob = fields[3] ?? '';
      if (mode === '160000' || blob === '' || zeroOid.test(blob)) {
        pendingBlob = '';
        return;
      }
      pendingBlob = blob;
      // Any earlier blob is a correct base (only the amount rescanned depends on it); a gitlink's
      // oid is a commit, not a blob.
      pendingBase = fields[0] !== '160000' && !zeroOid.test(base) ? base : '';
    }
  });
  return { commits, introductions: introductions.filter((introduction) => introduction.blob !== '') };
}

/**
 * Each unique blob once, in order of first appearance, unless every path it has is allowlisted;
 * a blob's base is the parent's blob at the path where it first appeared, if read before it.
 */
function planBlobs(ruleSet: CompiledRuleSet, introductions: readonly Introduction[]): BlobPlan {
  const oids: string[] = [];
  const positions = new Map<string, number>();
  const bases = new Map<string, string>();
  const lastUse = new Map<string, number>();
  // A file's path recurs in every commit that changes it: each path is judged once.
  const allowed = new Map<string, boolean>();
  const pathAllowed = (path: string) => {
    let verdict = allowed.get(path);
    if (verdict === undefined) {
      verdict = isPathAllowed(ruleSet, path);
      allowed.set(path, verdict);
    }
    return verdict;
  };
  for (const introduction of introductions) {
    if (positions.has(introduction.blob) || pathAllowed(introduction.path)) continue;
    positions.set(introduction.blob, oids.length);
    if (introduction.base !== '' && positions.has(introduction.base)) {
      bases.set(introduction.blob, introduction.base);
      lastUse.set(introduction.base, oids.length);
    }
    oids.push(introduction.blob);
  }
  return { oids, bases, lastUse };
}

interface CachedBase {
  content: Buffer;
  scan: Promise<BufferScan>;
  /** Memory held: the content, or the whole chunk read from git that it is a view of. */
  bytes: number;
}

async function scanBlobs(
  options: HistoryOptions,
  report: SecretScanReport,
  plan: BlobPlan,
  started: number,
  rememberClean?: (oids: string[]) => Promise<void>,
): Promise<{ matchesByBlob: Map<string, EngineMatch[]>; clean: string[] }> {
  const matchesByBlob = new Map<string, EngineMatch[]>();
  const clean: string[] = [];
  const writes: Promise<void>[] = [];
  let remembered = 0;
  const remember = (all: boolean) => {
    if (!rememberClean || clean.length - remembered < (all ? 1 : rememberBatch)) return;
    const write = rememberClean(clean.slice(remembered));
    remembered = clean.length;
    // Awaited below; a failure must not go unhandled until then.
    write.catch(() => {});
    writes.push(write);
  };
  const blobs = plan.oids;
  const pool = createScanPool(options.rules, options.threads ?? historyThreadCount());
  report.stats.threads = pool.threads;
  const deadline =
    options.timeBudgetMs === undefined ? Number.POSITIVE_INFINITY : started + options.timeBudgetMs;
  const cache = new Map<string, CachedBase>();
  let cachedBytes = 0;
  let position = 0;
  let missing = 0;
  try {
    const read = await readBlobs(options.root, blobs, {
      // Workers take blobs in batches: enough in flight to fill a batch for each.
      maxInFlight: pool.threads > 1 ? 128 * pool.threads : 8,
      // git reads ahead on its own thread while this one scans.
      relay: options.relay !== false && blobs.length >= relayFromBlobs,
      shouldStop: () => performance.now() > deadline,
      async onBlob(oid, content) {
        // Called in the order asked; everything up to the first await runs in that order too, so
        // a base is in the cache before any later blob looks for it.
        const at = position++;
        if (!content) {
          missing++;
          return;
        }
        const baseOid = plan.bases.get(oid);
        const base = baseOid === undefined ? undefined : cache.get(baseOid);
        const scanning = scanAgainstBase(pool, content, base);
        const uses = plan.lastUse.get(oid);
        if (uses !== undefined && uses > at) {
          // A view keeps the chunk it was read in alive: copy when that chunk is mostly other data.
          const kept = content.length * 2 >= content.buffer.byteLength ? content : Buffer.from(content);
          const bytes = kept.buffer.byteLength;
          if (cachedBytes + bytes <= baseCacheBytes) {
            cache.set(oid, { content: kept, scan: scanning, bytes });
            cachedBytes += bytes;
          }
        }
        if (base && baseOid !== undefined && plan.lastUse.get(baseOid) === at) {
          cache.delete(baseOid);
          cachedBytes -= base.bytes;
        }
        const scan = await scanning;
        if (scan.binary) {
          report.stats.binarySkipped++;
          clean.push(oid);
          remember(false);
          return;
        }
        report.stats.scanned++;
        report.stats.bytes += content.length;
        if (scan.matches.length > 0) matchesByBlob.set(oid, scan.matches);
        else {
          clean.push(oid);
          remember(false);
        }
      },
    });
    if (read < blobs.length) {
      report.partial = true;
      report.partialReasons.push(
        `time budget of ${options.timeBudgetMs} ms ran out after ${read} of ${blobs.length} blobs`,
      );
    }
  } finally {
    await pool.close();
  }
  if (missing > 0) {
    report.partial = true;
    report.partialReasons.push(`${missing} blobs are missing from the object database`);
  }
  remember(true);
  await Promise.all(writes);
  return { matchesByBlob, clean };
}

/**
 * What a walk of this history leaves to read once `plan` (the blobs still to read) is done, kept
 * with the introductions attribution needs: those of the blobs to read, and those at paths a
 * path-only rule names (their findings come from the path alone).
 */
function toSettledHistory(
  ruleSet: CompiledRuleSet,
  commits: readonly Commit[],
  introductions: readonly Introduction[],
  plan: BlobPlan,
  planned: number,
): SettledHistory {
  const toRead = new Set(plan.oids);
  const authors: SettledHistory['authors'] = {};
  const kept: SettledHistory['introductions'] = [];
  const namedByPathRule = new Map<string, boolean>();
  for (const introduction of introductions) {
    let named = namedByPathRule.get(introduction.path);
    if (named === undefined) {
      named = pathOnlyRulesNaming(ruleSet, introduction.path).length > 0;
      namedByPathRule.set(introduction.path, named);
    }
    if (!named && !toRead.has(introduction.blob)) continue;
    const commit = commits[introduction.commit] as Commit;
    authors[commit.oid] = { author: commit.author, date: commit.date };
    kept.push([commit.oid, introduction.path, introduction.blob]);
  }
  return {
    commits: commits.length,
    cached: planned - plan.oids.length,
    authors,
    introductions: kept,
    oids: plan.oids,
    bases: [...plan.bases],
  };
}

/** The walk's answer and the plan, rebuilt from a settled history. */
function fromSettledHistory(settled: SettledHistory): {
  commits: Commit[];
  introductions: Introduction[];
  plan: BlobPlan;
} {
  const commits: Commit[] = [];
  const commitIndex = new Map<string, number>();
  const introductions = settled.introductions.map(([oid, path, blob]): Introduction => {
    let index = commitIndex.get(oid);
    if (index === undefined) {
      index = commits.length;
      commitIndex.set(oid, index);
      commits.push({ oid, ...(settled.authors[oid] ?? { author: '', date: '' }) });
    }
    return { commit: index, path, blob, base: '' };
  });
  // As a walk's plan: each base among the blobs to read, and when it is last used.
  const plan = withoutBlobs(
    { oids: settled.oids, bases: new Map(settled.bases), lastUse: new Map() },
    new Set(),
  );
  return { commits, introductions, plan };
}

/** The plan without blobs known clean; a blob whose base is skipped is scanned whole. */
function withoutBlobs(plan: BlobPlan, skip: ReadonlySet<string>): BlobPlan {
  const oids = plan.oids.filter((oid) => !skip.has(oid));
  const positions = new Map(oids.map((oid, index) => [oid, index]));
  const bases = new Map<string, string>();
  const lastUse = new Map<string, number>();
  for (const oid of oids) {
    const base = plan.bases.get(oid);
    if (base === undefined || !positions.has(base)) continue;
    bases.set(oid, base);
    lastUse.set(base, Math.max(lastUse.get(base) ?? -1, positions.get(oid) as number));
  }
  return { oids, bases, lastUse };
}

/**
 * Scans a blob, rescanning only the lines that differ from its base when the base's result can be
 * reused (see `mergeLineDelta`); otherwise, or when a rule that may span lines runs in the
 * changed lines, the whole blob.
 */
async function scanAgainstBase(
  pool: ScanPool,
  content: Buffer,
  base: CachedBase | undefined,
): Promise<BufferScan> {
  if (!base || isBinary(content)) return pool.scan(content);
  // The changed lines are sent before the base's own scan is known, so a chain of versions (a
  // changelog's thousand edits) is not a chain of round trips to the workers.
  const delta = findLineDelta(base.content, content);
  const [baseScan, changed] = await Promise.all([
    base.scan,
    pool.scan(changedText(content, delta), { text: true }),
  ]);
  if (baseScan.binary || baseScan.crossLine || changed.crossLine) return pool.scan(content);
  const matches = mergeLineDelta(base.content, baseScan.matches, content, delta, changed.matches);
  return { binary: false, matches, crossLine: false };
}

/** HEAD's blob at each path, listed once and only when asked (by the cache or by presence). */
function lazyHeadBlobs(root: string, head: string | undefined): () => Promise<Map<string, string>> {
  let listed: Promise<Map<string, string>> | undefined;
  return () => {
    listed ??= (async () => {
      const blobs = new Map<string, string>();
      if (!head) return blobs;
      await streamGitTokens(root, ['ls-tree', '-r', '-z', '--full-tree', head], (token) => {
        const text = token.toString('utf8');
        const tab = text.indexOf('\t');
        const [, type, oid] = text.slice(0, tab).split(' ');
        if (type === 'blob' && oid) blobs.set(text.slice(tab + 1), oid);
      });
      return blobs;
    })();
    return listed;
  };
}

/** An allowlist naming commits makes the same content a finding in one commit and not another. */
function hasCommitAllowlists(ruleSet: CompiledRuleSet): boolean {
  return [...ruleSet.allowlists, ...ruleSet.rules.flatMap((rule) => rule.allowlists)].some(
    (allowlist) => allowlist.commits.size > 0,
  );
}

/**
 * Versions that may be skipped if the cache says they hold nothing new beyond their base
 * (decision 0012): a version not known clean, with a base in the plan, that only its own path ever
 * held (a copy elsewhere would be a finding there) and that HEAD does not hold (presence is
 * judged on HEAD's own matches).
 */
function skippableVersions(
  plan: BlobPlan,
  introductions: readonly Introduction[],
  clean: ReadonlySet<string>,
  headBlobs: ReadonlyMap<string, string>,
): Array<{ blob: string; base: string }> {
  const pathOf = new Map<string, string | null>();
  for (const { blob, path } of introductions) {
    const seen = pathOf.get(blob);
    if (seen === undefined) pathOf.set(blob, path);
    else if (seen !== path) pathOf.set(blob, null);
  }
  const inHead = new Set(headBlobs.values());
  const pairs: Array<{ blob: string; base: string }> = [];
  for (const [blob, base] of plan.bases) {
    if (clean.has(blob) || inHead.has(blob) || !pathOf.get(blob)) continue;
    pairs.push({ blob, base });
  }
  return pairs;
}

/**
 * Versions read in this scan whose every match (rule and value) their base, also read, holds too:
 * later scans may skip them. Compared here, in memory; only the two blob ids are kept.
 */
function versionsWithNothingNew(
  plan: BlobPlan,
  matchesByBlob: ReadonlyMap<string, EngineMatch[]>,
): Array<{ blob: string; base: string }> {
  const keysOf = (matches: readonly EngineMatch[]) =>
    new Set(matches.map((match) => `${match.ruleIndex}\0${match.secret}`));
  const pairs: Array<{ blob: string; base: string }> = [];
  for (const [blob, base] of plan.bases) {
    const matches = matchesByBlob.get(blob);
    if (!matches) continue;
    const baseMatches = matchesByBlob.get(base);
    // A base without matches here was clean (then the version has something new) or not read.
    if (!baseMatches) continue;
    const held = keysOf(baseMatches);
    if (matches.every((match) => held.has(`${match.ruleIndex}\0${match.secret}`))) pairs.push({ blob, base });
  }
  return pairs;
}

/** Marks each finding present (HEAD's blob at that path holds the same secret) or removed. */
async function markPresence(
  options: HistoryOptions,
  report: SecretScanReport,
  matchesByBlob: Map<string, EngineMatch[]>,
  listHeadBlobs: () => Promise<ReadonlyMap<string, string>>,
): Promise<void> {
  // No finding, no question about HEAD (and no git process for it when no cache asked either).
  if (report.findings.length === 0) return;
  const headBlobs = await listHeadBlobs();
  // With --since, HEAD's blob may predate the range and not have been scanned: scan those now.
  const unscanned = new Set<string>();
  for (const finding of report.findings) {
    const oid = headBlobs.get(finding.path);
    if (oid && !matchesByBlob.has(oid)) unscanned.add(oid);
  }
  if (unscanned.size > 0 && options.since) {
    const pool = createScanPool(options.rules, 1);
    try {
      await readBlobs(options.root, [...unscanned], {
        async onBlob(oid, content) {
          if (content) matchesByBlob.set(oid, (await pool.scan(content)).matches);
        },
      });
    } finally {
      await pool.close();
    }
  }
  const secretsInHead = new Map<string, Set<string>>();
  for (const finding of report.findings) {
    const oid = headBlobs.get(finding.path);
    let present = false;
    if (oid) {
      let hashes = secretsInHead.get(oid);
      if (!hashes) {
        hashes = new Set(
          (matchesByBlob.get(oid) ?? []).map(
            (match) => `${match.ruleId}\0${redactSecret(match.secret).sha256}`,
          ),
        );
        secretsInHead.set(oid, hashes);
      }
      present = hashes.has(`${finding.ruleId}\0${finding.secret.sha256}`) || finding.line === 0;
    }
    finding.presence = present ? 'present' : 'removed';
  }
}

/**
 * One thread unless asked: with only changed lines rescanned, reading blobs from git is most of
 * the work, and on the two-core machine measured (bench/README.md) worker threads made the
 * history scan of express slower, not faster, even with batched messages.
 */
function historyThreadCount(): number {
  return 1;
}
