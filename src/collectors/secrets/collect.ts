import type { RepositorySnapshot } from '../../kernel/index.js';
import { describeError } from '../../kernel/index.js';
import type { SecretFinding } from '../../secrets/index.js';
import { loadRuleSet, scanHistory, scanWorkingTree } from '../../secrets/index.js';

/** `shipguard assess` must stay fast: history scanning stops here and the check says unknown. */
export const historyTimeBudgetMs = 500;

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

export async function collectSecrets(repository: RepositorySnapshot): Promise<SecretsFacts> {
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
  const [workingTree, history] = await Promise.all([
    scanWorkingTree({ root: repository.root, rules, threads: 1 })
      .then(
        (report): ScanOutcome => ({
          status: 'scanned',
          findings: report.findings,
          scanned: report.stats.scanned,
        }),
      )
      .catch((error: unknown): ScanOutcome => ({ status: 'error', message: describeError(error) })),
    repository.isGitRepository
      ? scanHistory({ root: repository.root, rules, timeBudgetMs: historyTimeBudgetMs })
          .then(
            (report): ScanOutcome =>
              report.partial
                ? { status: 'partial', findings: report.findings, reasons: report.partialReasons }
                : {
                    status: 'scanned',
                    findings: report.findings,
                    scanned: report.stats.scanned,
                    commits: report.stats.commits ?? 0,
                  },
          )
          .catch((error: unknown): ScanOutcome => ({ status: 'error', message: describeError(error) }))
      : Promise.resolve<ScanOutcome>({ status: 'not-applicable', reason: 'not a git repository' }),
  ]);
  return { rules: rules.rules.length, workingTree, history };
}
