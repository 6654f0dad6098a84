import { runGitText } from '../core/git.js';
import { filterMatches, isPathAllowed, readGitleaksIgnore } from './allow.js';
import { SecretsError } from './errors.js';
import { sortFindings } from './finding.js';
import { readBlobs, streamGitTokens } from './git-stream.js';
import { redactSecret } from './redact.js';
import type { SecretScanReport } from './report.js';
import { compileRuleSet } from './scan/compile-rules.js';
import type { EngineMatch } from './scan/engine.js';
import { createScanPool, defaultThreadCount } from './scan/pool.js';
import { applyIgnoreFile, emptyReport, pathOnlyFindings, type ScanOptions, toFinding } from './scanner.js';

export interface HistoryOptions extends ScanOptions {
  /** Only commits in `since..HEAD`. Default: every commit reachable from any ref. */
  since?: string;
  /** Stop reading blobs after this many milliseconds; the report is then partial. */
  timeBudgetMs?: number;
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
}

const zeroOid = /^0+$/;

/**
 * Scans history: lists (commit, path, blob) introductions in topological order with one
 * `git log --raw` walk (no patches), reads each unique blob once with `git cat-file --batch`,
 * scans blobs in worker threads, then gives each secret to the first commit whose blob at that path
 * holds it. Each finding says whether HEAD still holds it.
 */
export async function scanHistory(options: HistoryOptions): Promise<SecretScanReport> {
  const started = performance.now();
  const report = emptyReport('history', options.root);
  const ruleSet = compileRuleSet(options.rules);
  const head = await resolveHead(options.root);
  if (
    (await runGitText(options.root, ['rev-parse', '--is-shallow-repository']).catch(() => 'false')) === 'true'
  ) {
    report.partial = true;
    report.partialReasons.push('shallow clone: commits before the shallow boundary were not scanned');
  }
  if (options.since) await resolveRevision(options.root, options.since);
  const range = options.since ? [`${options.since}..${head ?? 'HEAD'}`] : ['--all'];
  const { commits, introductions } = await listIntroductions(options.root, range);
  report.stats.commits = commits.length;

  // Each unique blob once, in order of first appearance, unless every path it has is allowlisted.
  const blobOrder: string[] = [];
  const seenBlobs = new Set<string>();
  for (const introduction of introductions) {
    if (seenBlobs.has(introduction.blob) || isPathAllowed(ruleSet, introduction.path)) continue;
    seenBlobs.add(introduction.blob);
    blobOrder.push(introduction.blob);
  }
  const matchesByBlob = await scanBlobs(options, report, blobOrder, started);

  // Attribution: introductions are in topological order (oldest first), so the first time a
  // (rule, path, secret) is seen is the commit that introduced it.
  const findings = new Map<string, ReturnType<typeof toFinding>>();
  const pathOnlySeen = new Set<string>();
  for (const introduction of introductions) {
    const commit = commits[introduction.commit] as Commit;
    for (const finding of pathOnlyFindings(ruleSet, introduction.path, commit.oid)) {
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
  await markPresence(options, report, matchesByBlob, head);
  applyIgnoreFile(report, await readGitleaksIgnore(options.root));
  sortFindings(report.findings);
  report.stats.elapsedMs = Math.round(performance.now() - started);
  return report;
}

async function resolveHead(root: string): Promise<string | undefined> {
  try {
    await runGitText(root, ['rev-parse', '--git-dir']);
  } catch (error) {
    throw new SecretsError('SECRETS_NOT_A_REPOSITORY', `${root} is not a git repository`, { cause: error });
  }
  const head = await runGitText(root, ['rev-parse', '--verify', '--quiet', 'HEAD']).catch(() => '');
  return head || undefined;
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
    '-m',
    '--',
  ];
  await streamGitTokens(root, args, (token) => {
    if (pendingBlob !== undefined) {
      const blob = pendingBlob;
      pendingBlob = undefined;
      introductions.push({ commit: commits.length - 1, path: token.toString('utf8'), blob });
      return;
    }
    let text = token.toString('utf8');
    if (text.startsWith('\n')) text = text.slice(1);
    if (text.startsWith('\x01')) {
      const [oid = '', author = '', date = ''] = text.slice(1).split('\x02');
      // With -m a merge is printed once per parent; it is still one commit.
      if (commits[commits.length - 1]?.oid !== oid) commits.push({ oid, author, date: date.trim() });
      return;
    }
    if (text.startsWith(':')) {
      // ":<old mode> <new mode> <old oid> <new oid> <status>", then the path token.
      const fields = text.slice(1).split(' ');
      const mode = fields[1] ?? '';
      const blob = fields[3] ?? '';
      if (mode === '160000' || blob === '' || zeroOid.test(blob)) {
        pendingBlob = '';
        return;
      }
      pendingBlob = blob;
    }
  });
  return { commits, introductions: introductions.filter((introduction) => introduction.blob !== '') };
}

async function scanBlobs(
  options: HistoryOptions,
  report: SecretScanReport,
  blobs: string[],
  started: number,
): Promise<Map<string, EngineMatch[]>> {
  const matchesByBlob = new Map<string, EngineMatch[]>();
  const pool = createScanPool(
    options.rules,
    options.threads ?? (blobs.length >= 200 ? defaultThreadCount() : 1),
  );
  report.stats.threads = pool.threads;
  const deadline =
    options.timeBudgetMs === undefined ? Number.POSITIVE_INFINITY : started + options.timeBudgetMs;
  let missing = 0;
  try {
    const read = await readBlobs(options.root, blobs, {
      maxInFlight: pool.threads * 8,
      shouldStop: () => performance.now() > deadline,
      async onBlob(oid, content) {
        if (!content) {
          missing++;
          return;
        }
        const scan = await pool.scan(content);
        if (scan.binary) {
          report.stats.binarySkipped++;
          return;
        }
        report.stats.scanned++;
        report.stats.bytes += content.length;
        if (scan.matches.length > 0) matchesByBlob.set(oid, scan.matches);
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
  return matchesByBlob;
}

/** Marks each finding present (HEAD's blob at that path holds the same secret) or removed. */
async function markPresence(
  options: HistoryOptions,
  report: SecretScanReport,
  matchesByBlob: Map<string, EngineMatch[]>,
  head: string | undefined,
): Promise<void> {
  const headBlobs = new Map<string, string>();
  if (head) {
    await streamGitTokens(options.root, ['ls-tree', '-r', '-z', '--full-tree', head], (token) => {
      const text = token.toString('utf8');
      const tab = text.indexOf('\t');
      const [, type, oid] = text.slice(0, tab).split(' ');
      if (type === 'blob' && oid) headBlobs.set(text.slice(tab + 1), oid);
    });
  }
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
