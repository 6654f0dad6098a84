/**
 * Scans the tree of one commit (not the working tree, not the history): what a release built from
 * that commit contains. `git ls-tree` lists its blobs, one `git cat-file --batch` reads them, and
 * every finding goes through the same rule set, allowlists and ignore list as `shipguard secrets`.
 */
import { listPathsAtRevision, readFileAtRevision, runGit } from '../kernel/index.js';
import { filterMatches, isPathAllowed, parseGitleaksIgnore } from './allow.js';
import { SecretsError } from './errors.js';
import { sortFindings } from './finding.js';
import { readBlobs } from './git-stream.js';
import { extendedPathInRepository, loadGitleaksConfig } from './gitleaks/config.js';
import type { SecretScanReport } from './report.js';
import { defaultRuleSet } from './rules/default-rules.js';
import type { RuleSetSpec } from './rules/types.js';
import { compileRuleSet } from './scan/compile-rules.js';
import { createScanPool } from './scan/pool.js';
import { applyIgnoreFile, emptyReport, maxFileBytes, pathOnlyFindings, toFinding } from './scanner.js';

export interface CommitScanOptions {
  root: string;
  commit: string;
  rules: RuleSetSpec;
  /** Fingerprints and ids to drop (a `.gitleaksignore`). */
  ignore: ReadonlySet<string>;
}

/** Scans every regular file of `commit`'s tree. Files too large to read make the report partial. */
export async function scanCommit(options: CommitScanOptions): Promise<SecretScanReport> {
  const started = performance.now();
  const ruleSet = compileRuleSet(options.rules);
  const report = emptyReport('commit', options.root);
  const listing = await runGit(options.root, ['ls-tree', '-r', '-z', '--full-tree', '-l', options.commit]);
  const pathsByBlob = new Map<string, string[]>();
  for (const entry of listing.toString('utf8').split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab === -1) continue;
    const [mode, type, oid, size] = entry.slice(0, tab).split(/\s+/);
    const path = entry.slice(tab + 1);
    // Symbolic links and submodules hold no content of this tree.
    if (type !== 'blob' || mode === '120000' || oid === undefined) continue;
    if (isPathAllowed(ruleSet, path)) continue;
    report.findings.push(...pathOnlyFindings(ruleSet, path, options.commit));
    if (Number(size) > maxFileBytes) {
      report.stats.unreadable++;
      report.partial = true;
      report.partialReasons.push(`${path} is larger than ${maxFileBytes} bytes and was not scanned`);
      continue;
    }
    pathsByBlob.set(oid, [...(pathsByBlob.get(oid) ?? []), path]);
  }
  const pool = createScanPool(options.rules, 1);
  try {
    await readBlobs(options.root, [...pathsByBlob.keys()], {
      async onBlob(oid, content) {
        if (content === undefined) {
          report.partial = true;
          report.partialReasons.push(`blob ${oid} is missing from the object store`);
          return;
        }
        const scan = await pool.scan(content);
        if (scan.binary) {
          report.stats.binarySkipped++;
          return;
        }
        report.stats.scanned++;
        report.stats.bytes += content.length;
        for (const path of pathsByBlob.get(oid) ?? []) {
          for (const match of filterMatches(ruleSet, scan.matches, { path })) {
            report.findings.push(toFinding(ruleSet, match, path));
          }
        }
      },
    });
  } finally {
    await pool.close();
  }
  applyIgnoreFile(report, options.ignore);
  sortFindings(report.findings);
  report.stats.elapsedMs = Math.round(performance.now() - started);
  return report;
}

const maxConfigBytes = 4 * 1024 * 1024;

/**
 * The secret-scanning configuration as one commit holds it (`.gitleaks.toml`, `.gitleaksignore`),
 * read with git: the deploy gate reads it from the protected branch, so a branch being judged
 * cannot allowlist its own secrets. Without a `.gitleaks.toml`, shipguard's rules.
 */
/** Reads files of `revision` after one listing of `paths`. */
async function listedReader(root: string, revision: string, paths: readonly string[]) {
  const entries = await listPathsAtRevision(root, revision, paths);
  return async (path: string, maxBytes: number): Promise<Buffer | undefined> => {
    const entry = entries.get(path);
    return entry === undefined ? undefined : readFileAtRevision(root, revision, path, maxBytes, entry);
  };
}

export async function readSecretsConfigAt(
  root: string,
  revision: string,
  /** Reads a file of `revision` (undefined when absent); default: one listing, then each file. */
  readAt?: (path: string, maxBytes: number) => Promise<Buffer | undefined>,
): Promise<{ rules: RuleSetSpec; ignore: Set<string> }> {
  const read = readAt ?? (await listedReader(root, revision, ['.gitleaks.toml', '.gitleaksignore']));
  const [config, ignoreText] = await Promise.all([
    read('.gitleaks.toml', maxConfigBytes),
    read('.gitleaksignore', maxConfigBytes),
  ]);
  const rules =
    config === undefined
      ? defaultRuleSet()
      : (
          await loadGitleaksConfig(config.toString('utf8'), `${revision}:.gitleaks.toml`, {
            baseFolder: root,
            readExtended: revisionReader(root, revision),
          })
        ).ruleSet;
  return { rules, ignore: parseGitleaksIgnore(ignoreText?.toString('utf8') ?? '') };
}

/**
 * The reader of `[extend] path` files of a revision's configuration: read at that revision with
 * git, never from the working tree (the branch being judged).
 */
function revisionReader(root: string, revision: string): (path: string) => Promise<string> {
  return async (path) => {
    const relative = extendedPathInRepository(path, `${revision}:.gitleaks.toml`);
    const where = `${revision}:${relative}`;
    const bytes = await readFileAtRevision(root, revision, relative, maxConfigBytes).catch(
      (error: unknown) => {
        throw new SecretsError('SECRETS_CONFIG_UNREADABLE', `${where} was not read`, {
          cause: error,
          location: { path: where },
        });
      },
    );
    if (bytes === undefined) {
      throw new SecretsError('SECRETS_CONFIG_UNREADABLE', `${where} does not exist`, {
        location: { path: where },
      });
    }
    return bytes.toString('utf8');
  };
}
