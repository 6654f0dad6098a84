import type { Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { listingCutCode, RepositorySnapshot, readRepositoryFile } from '../kernel/index.js';
import { filterMatches, isPathAllowed, readGitleaksIgnore } from './allow.js';
import { type CleanBlobCache, rulesDigest } from './clean-blobs.js';
import { gitleaksFingerprint, type SecretFinding, sortFindings, stableFindingId } from './finding.js';
import { readBlobs, streamGitTokens } from './git-stream.js';
import { redactSecret } from './redact.js';
import type { SecretScanReport } from './report.js';
import type { RuleSetSpec } from './rules/types.js';
import { type CompiledRuleSet, compileRuleSet } from './scan/compile-rules.js';
import type { EngineMatch } from './scan/engine.js';
import { createScanPool, defaultThreadCount, type ScanPool } from './scan/pool.js';
import type { BufferScan } from './scan/scan-buffer.js';
import { testCredentialReason } from './test-credentials.js';
import { listUnchangedFiles, type UnchangedFile } from './unchanged-files.js';

export interface ScanOptions {
  /** The folder to scan (a git work tree root, or any folder). */
  root: string;
  rules: RuleSetSpec;
  /** Worker threads; default: one per core for large inputs, none for small ones. */
  threads?: number;
}

/** Options of a working-tree scan. */
export interface WorkingTreeOptions extends ScanOptions {
  /**
   * Files git vouches are HEAD's blob (see unchanged-files.ts), of that blob's size, are not read
   * when this cache holds the blob as clean under the same rules (decision 0011). A promise is
   * awaited only once the files are listed, so the listing can overlap the scan that fills it.
   */
  cleanBlobs?: CleanBlobCache | Promise<CleanBlobCache>;
  /** The repository as the caller opened it (an assessment's), so its files are not listed again. */
  snapshot?: RepositorySnapshot;
}

/** Files above this size are not read; they are reported as problems. */
export const maxFileBytes = 128 * 1024 * 1024;
/** Below these, scanning in this thread is faster than starting workers. */
const workerThresholdFiles = 400;
const workerThresholdBytes = 16 * 1024 * 1024;

export function toFinding(
  ruleSet: CompiledRuleSet,
  match: EngineMatch,
  path: string,
  extra: { commit?: string; author?: string; date?: string } = {},
): SecretFinding {
  const rule = ruleSet.rules[match.ruleIndex];
  const secret = redactSecret(match.secret);
  const finding: SecretFinding = {
    ruleId: match.ruleId,
    description: rule?.spec.description ?? match.ruleId,
    severity: rule?.spec.severity ?? 'high',
    path,
    line: match.line,
    column: match.column,
    secret,
    fingerprint: gitleaksFingerprint(path, match.ruleId, match.line, extra.commit),
    id: stableFindingId(match.ruleId, path, secret.sha256),
  };
  const testCredential = match.placeholder
    ? 'placeholder: the token format or credential setting of this provider with a filler value (documentation or an example)'
    : testCredentialReason(match.ruleId, match.match, match.secret, path);
  if (testCredential) {
    finding.severity = 'low';
    finding.testCredential = testCredential;
  }
  if (extra.commit) finding.commit = extra.commit;
  if (extra.author) finding.author = extra.author;
  if (extra.date) finding.date = extra.date;
  return finding;
}

/** The path-only rules whose path pattern `path` matches (their allowlists aside). */
export function pathOnlyRulesNaming(ruleSet: CompiledRuleSet, path: string): number[] {
  return ruleSet.pathOnlyRules.filter((index) => {
    const pattern = ruleSet.rules[index]?.path;
    if (!pattern) return false;
    pattern.lastIndex = 0;
    return pattern.test(path);
  });
}

/** Findings for path-only rules (a file whose name is the finding, such as a keystore). */
export function pathOnlyFindings(ruleSet: CompiledRuleSet, path: string, commit?: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const index of pathOnlyRulesNaming(ruleSet, path)) {
    const rule = ruleSet.rules[index];
    if (!rule) continue;
    const match: EngineMatch = {
      ruleIndex: index,
      ruleId: rule.spec.id,
      secret: path,
      match: path,
      line: 0,
      column: 0,
      lineText: '',
    };
    if (filterMatches(ruleSet, [match], commit ? { path, commit } : { path }).length === 0) continue;
    findings.push(toFinding(ruleSet, match, path, commit ? { commit } : {}));
  }
  return findings;
}

export function emptyReport(mode: SecretScanReport['mode'], root: string): SecretScanReport {
  return {
    mode,
    root,
    findings: [],
    stats: { scanned: 0, bytes: 0, binarySkipped: 0, unreadable: 0, threads: 1, elapsedMs: 0 },
    partial: false,
    partialReasons: [],
    problems: [],
    ignored: 0,
  };
}

/** Drops findings named in .gitleaksignore. */
export function applyIgnoreFile(report: SecretScanReport, ignore: ReadonlySet<string>): void {
  if (ignore.size === 0) return;
  const kept = report.findings.filter(
    (finding) => !ignore.has(finding.fingerprint) && !ignore.has(finding.id),
  );
  report.ignored += report.findings.length - kept.length;
  report.findings = kept;
}

function choosePool(rules: RuleSetSpec, threads: number | undefined, files: number, bytes: number): ScanPool {
  const large = files >= workerThresholdFiles || bytes >= workerThresholdBytes;
  return createScanPool(rules, threads ?? (large ? defaultThreadCount() : 1));
}

/** Scans the working tree: tracked plus untracked-not-ignored files (or every file, outside git). */
export async function scanWorkingTree(options: WorkingTreeOptions): Promise<SecretScanReport> {
  const started = performance.now();
  const ruleSet = compileRuleSet(options.rules);
  const snapshot = options.snapshot ?? (await RepositorySnapshot.open(options.root));
  const report = emptyReport('working-tree', options.root);
  report.problems.push(...snapshot.problems.map((problem) => problem.message));
  if (snapshot.problems.some((problem) => problem.code === listingCutCode)) {
    // Files past the walk's limit were never listed, so never scanned.
    report.partial = true;
    report.partialReasons.push(
      'the folder has more files than were listed; those not listed were not scanned',
    );
  }
  // Which files git vouches for is asked at once, while the files are looked at.
  const unchanged =
    options.cleanBlobs && snapshot.isGitRepository
      ? listUnchangedFiles(snapshot.root).catch(() => new Map<string, UnchangedFile>())
      : undefined;
  const paths = snapshot.files.filter((path) => !isPathAllowed(ruleSet, path));
  for (const path of paths) report.findings.push(...pathOnlyFindings(ruleSet, path));
  // Looked at many at a time (each lstat waits on the file system), then judged in order.
  const infos: Array<Stats | undefined> = new Array(paths.length);
  await forEachLimited(
    paths.map((path, index) => ({ path, index })),
    32,
    async ({ path, index }) => {
      // Listed by git but deleted from the work tree: nothing to scan.
      infos[index] = await lstat(join(snapshot.root, ...path.split('/'))).catch(() => undefined);
    },
  );
  const candidates: Array<{ path: string; size: number }> = [];
  let totalBytes = 0;
  paths.forEach((path, index) => {
    const info = infos[index];
    // Symbolic links may point outside the tree; the link target is scanned where it lives.
    if (!info?.isFile()) return;
    if (info.size > maxFileBytes) {
      report.stats.unreadable++;
      report.problems.push(`${path}: larger than ${maxFileBytes} bytes, not scanned`);
      return;
    }
    candidates.push({ path, size: info.size });
    totalBytes += info.size;
  });
  const toRead =
    options.cleanBlobs && unchanged
      ? await withoutKnownCleanFiles(await unchanged, options.rules, options.cleanBlobs, candidates, report)
      : candidates;
  const bytesToRead = toRead === candidates ? totalBytes : toRead.reduce((sum, file) => sum + file.size, 0);
  const pool = choosePool(options.rules, options.threads, toRead.length, bytesToRead);
  report.stats.threads = pool.threads;
  try {
    await forEachLimited(toRead, pool.threads * 4, async ({ path }) => {
      // The one safe read: inside the repository, regular files only, bounded by what is read.
      const read = await readRepositoryFile(snapshot.root, path, { maxBytes: maxFileBytes });
      if (!read.ok) {
        report.stats.unreadable++;
        report.problems.push(`${path}: could not be read (${read.reason})`);
        return;
      }
      if (read.truncated) {
        report.stats.unreadable++;
        report.problems.push(`${path}: larger than ${maxFileBytes} bytes, not scanned`);
        return;
      }
      const content = read.bytes;
      const scan = await pool.scan(content);
      recordScan(report, ruleSet, scan, content.length, path);
    });
  } finally {
    await pool.close();
  }
  applyIgnoreFile(report, await readGitleaksIgnore(snapshot.root));
  sortFindings(report.findings);
  markUnreadFiles(report);
  report.stats.elapsedMs = Math.round(performance.now() - started);
  return report;
}

/**
 * The candidates less the files git vouches are a blob the cache holds as clean. Git's answer is
 * an optimisation only: when it cannot be had, every file is read.
 */
async function withoutKnownCleanFiles(
  unchanged: ReadonlyMap<string, UnchangedFile>,
  rules: RuleSetSpec,
  cache: CleanBlobCache | Promise<CleanBlobCache>,
  candidates: ReadonlyArray<{ path: string; size: number }>,
  report: SecretScanReport,
): Promise<Array<{ path: string; size: number }>> {
  const blobOf = (candidate: { path: string; size: number }) => {
    const file = unchanged.get(candidate.path);
    return file && file.size === candidate.size ? file.oid : undefined;
  };
  const oids = candidates.map(blobOf).filter((oid): oid is string => oid !== undefined);
  if (oids.length === 0) return [...candidates];
  const clean = await (await cache).clean(rulesDigest(rules), oids);
  const toRead = candidates.filter((candidate) => {
    const oid = blobOf(candidate);
    return oid === undefined || !clean.has(oid);
  });
  report.stats.cached = candidates.length - toRead.length;
  return toRead;
}

/** A scan that could not read every file can never say "no secrets": it is partial, and says why. */
export function markUnreadFiles(report: SecretScanReport): void {
  if (report.stats.unreadable === 0) return;
  report.partial = true;
  report.partialReasons.push(
    `${report.stats.unreadable} file(s) could not be read or were over the size limit`,
  );
}

function recordScan(
  report: SecretScanReport,
  ruleSet: CompiledRuleSet,
  scan: BufferScan,
  bytes: number,
  path: string,
): void {
  if (scan.binary) {
    report.stats.binarySkipped++;
    return;
  }
  report.stats.scanned++;
  report.stats.bytes += bytes;
  for (const match of filterMatches(ruleSet, scan.matches, { path })) {
    report.findings.push(toFinding(ruleSet, match, path));
  }
}

/** Scans what is staged for the next commit (the index), as a pre-commit hook does. */
export async function scanStaged(options: ScanOptions): Promise<SecretScanReport> {
  const started = performance.now();
  const ruleSet = compileRuleSet(options.rules);
  const report = emptyReport('staged', options.root);
  const staged = new Set<string>();
  await streamGitTokens(
    options.root,
    ['diff', '--cached', '--name-only', '-z', '--diff-filter=ACMRT', '--no-renames'],
    (token) => {
      if (token.length > 0) staged.add(token.toString('utf8'));
    },
  );
  // Index entries: "<mode> <oid> <stage>\t<path>".
  const blobs = new Map<string, string[]>();
  await streamGitTokens(options.root, ['ls-files', '--stage', '-z'], (token) => {
    const text = token.toString('utf8');
    const tab = text.indexOf('\t');
    const path = text.slice(tab + 1);
    const [mode, oid] = text.slice(0, tab).split(' ');
    if (!oid || mode === '160000' || !staged.has(path) || isPathAllowed(ruleSet, path)) return;
    const paths = blobs.get(oid) ?? [];
    paths.push(path);
    blobs.set(oid, paths);
  });
  for (const path of staged) report.findings.push(...pathOnlyFindings(ruleSet, path));
  const pool = createScanPool(options.rules, options.threads ?? 1);
  report.stats.threads = pool.threads;
  try {
    await readBlobs(options.root, [...blobs.keys()], {
      async onBlob(oid, content) {
        if (!content) {
          report.problems.push(`staged object ${oid} is missing`);
          return;
        }
        const scan = await pool.scan(content);
        for (const path of blobs.get(oid) ?? []) recordScan(report, ruleSet, scan, content.length, path);
      },
    });
  } finally {
    await pool.close();
  }
  applyIgnoreFile(report, await readGitleaksIgnore(options.root));
  sortFindings(report.findings);
  report.stats.elapsedMs = Math.round(performance.now() - started);
  return report;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function forEachLimited<Item>(
  items: readonly Item[],
  limit: number,
  work: (item: Item) => Promise<void>,
): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++] as Item;
      await work(item);
    }
  });
  await Promise.all(runners);
}
