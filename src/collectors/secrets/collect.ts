import type { RepositorySnapshot } from '../../kernel/index.js';
import { describeError } from '../../kernel/index.js';
import type { Policy } from '../../policy/index.js';
import type { CleanBlobCache, SecretFinding } from '../../secrets/index.js';
import {
  loadRuleSet,
  memoryCleanBlobCache,
  scanHistory,
  scanWorkingTree,
  storeCleanBlobCache,
} from '../../secrets/index.js';
import type { CollectContext } from '../types.js';

/**
 * The whole history is scanned within `assess`; a history too large for this budget says
 * unknown, and what was read is remembered (clean blobs, in the store) so the next run goes on
 * from there rather than starting again.
 */
export const historyTimeBudgetMs = 30_000;

export type ScanOutcome =
  | { status: 'scanned'; findings: SecretFinding[]; scanned: number; commits?: number }
  | { status: 'partial'; findings: SecretFinding[]; reasons: string[] }
  | { status: 'not-applicable'; reason: string }
  | { status: 'error'; message: string };

export interface SecretsFacts {
  rules: number;
  workingTree: ScanOutcome;
  history: ScanOutcome;
}

export async function collectSecrets(
  repository: RepositorySnapshot,
  _policy?: Policy,
  context?: CollectContext,
): Promise<SecretsFacts> {
  let rules: Awaited<ReturnType<typeof loadRuleSet>>;
  try {
    rules = await loadRuleSet(repository.root);
  } catch (error) {
    const outcome: ScanOutcome = {
      status: 'error',
      message: `secret rules could not be loaded: ${describeError(error)}`,
    };
    return { rules: 0, workingTree: outcome, history: outcome };
  }
  // The history first: the working-tree scan then reads only files that are not a blob the
  // history found clean (decision 0011), so on a repository with little uncommitted work each
  // file's content is scanned once, from git, and never read again from disk. It lists its files
  // meanwhile, and waits for the history only to look them up.
  const cleanBlobs = (await storeCleanBlobCacheOf(context)) ?? memoryCleanBlobCache();
  const historyScan: Promise<ScanOutcome> = repository.isGitRepository
    ? scanHistory({
        root: repository.root,
        rules,
        timeBudgetMs: historyTimeBudgetMs,
        cleanBlobs,
      })
        .then(
          (report): ScanOutcome =>
            report.partial
              ? { status: 'partial', findings: report.findings, reasons: report.partialReasons }
              : {
                  status: 'scanned',
                  findings: report.findings,
                  scanned: report.stats.scanned + (report.stats.cached ?? 0),
                  commits: report.stats.commits ?? 0,
                },
        )
        .catch((error: unknown): ScanOutcome => ({ status: 'error', message: describeError(error) }))
    : Promise.resolve({ status: 'not-applicable', reason: 'not a git repository' });
  const workingTreeScan = scanWorkingTree({
    root: repository.root,
    snapshot: repository,
    rules,
    threads: 1,
    cleanBlobs: historyScan.then(() => cleanBlobs),
  })
    .then(
      // A file not read may hold a secret: a partial scan is never clean. One that found a leak
      // (not only low test credentials) already fails, so it keeps its findings as scanned.
      (report): ScanOutcome =>
        report.partial && report.findings.every((finding) => finding.severity === 'low')
          ? { status: 'partial', findings: report.findings, reasons: report.partialReasons }
          : {
              status: 'scanned',
              findings: report.findings,
              scanned: report.stats.scanned + (report.stats.cached ?? 0),
            },
    )
    .catch((error: unknown): ScanOutcome => ({ status: 'error', message: describeError(error) }));
  const [history, workingTree] = await Promise.all([historyScan, workingTreeScan]);
  return { rules: rules.rules.length, workingTree, history };
}

/** The store's clean-blob cache, when the command has a store for caches. */
async function storeCleanBlobCacheOf(
  context: CollectContext | undefined,
): Promise<CleanBlobCache | undefined> {
  const store = await context?.store?.forCaches();
  return store ? storeCleanBlobCache(store) : undefined;
}
