import { readLockState, scanRepositoryOnce } from '../../ecosystems/index.js';
import type { RepositorySnapshot } from '../../kernel/index.js';
import { describeError } from '../../kernel/index.js';
import type { Policy } from '../../policy/index.js';
import {
  type AdvisoryDatabaseState,
  findVulnerabilities,
  loadRepositoryAdvisoriesOnce,
  parseVex,
  type UnmatchedVexStatement,
  type VexStatement,
  type VulnerabilityFinding,
  vexStatementsMatchingNothing,
} from '../../vulns/index.js';
import type { CollectContext } from '../types.js';

export interface VulnsFacts {
  /** Manifests that declare dependencies no lockfile fixes (they cannot be judged). */
  unlocked: string[];
  packages: number;
  ecosystems: string[];
  database: AdvisoryDatabaseState;
  findings: VulnerabilityFinding[];
  /** VEX documents kept in the repository, and those that could not be read. */
  vexFiles: string[];
  vexProblems: Array<{ path: string; message: string }>;
  /** VEX statements that covered no finding (a wrong id or purl, or a vulnerability not present). */
  vexUnmatched: UnmatchedVexStatement[];
}

/** Problems listed one by one; past this many, one line counts the rest. */
const listedVexProblems = 20;

const vexPattern = /(?:^|\/)(?:[\w.-]*\.)?(?:openvex|vex)(?:\.[\w-]+)?\.json$/i;

export async function collectVulns(
  repository: RepositorySnapshot,
  policy: Policy,
  context: CollectContext,
): Promise<VulnsFacts> {
  const scan = await scanRepositoryOnce(repository, context);
  const unlocked = (await readLockState(repository)).manifests
    .filter((manifest) => manifest.state === 'missing')
    .map((manifest) => manifest.manifest);
  const loaded = await loadRepositoryAdvisoriesOnce(repository, context.now, context.store);
  const vex: VexStatement[] = [];
  const vexFiles = repository.filter((path) => vexPattern.test(path) && !path.includes('node_modules/'));
  const vexProblems: VulnsFacts['vexProblems'] = [];
  for (const path of vexFiles) {
    const file = await repository.readText(path, 8 * 1024 * 1024);
    if (!file) continue;
    try {
      for (const statement of parseVex(path, file.text)) vex.push(statement);
    } catch (error) {
      vexProblems.push({ path, message: describeError(error) });
      // An unreadable VEX document is said, not dropped: its statements were not applied.
      repository.problems.push({
        severity: 'warning',
        code: 'VEX_UNREADABLE',
        message: `VEX statements in ${path} were not applied: ${describeError(error)}`,
        location: { path },
      });
    }
  }
  const findings = findVulnerabilities(scan.packages, loaded.index, {
    now: context.now,
    settings: policy.supplyChain,
    vex,
  });
  // Without advisory data nothing is found, so no statement can be told unmatched.
  const vexUnmatched =
    loaded.state.status === 'present'
      ? vexStatementsMatchingNothing(
          vex,
          findings.map((finding) => ({ ids: [finding.id, ...finding.aliases], purl: finding.package.purl })),
        )
      : [];
  for (const item of vexUnmatched.slice(0, listedVexProblems)) {
    repository.problems.push({
      severity: 'warning',
      code: 'VEX_STATEMENT_UNMATCHED',
      message: `the VEX statement on ${item.vulnerabilities.join(' / ')}${item.products.length > 0 ? ` for ${item.products.slice(0, 3).join(', ')}` : ''} matched no finding`,
      location: { path: item.source },
    });
  }
  if (vexUnmatched.length > listedVexProblems) {
    repository.problems.push({
      severity: 'warning',
      code: 'VEX_STATEMENT_UNMATCHED',
      message: `${vexUnmatched.length - listedVexProblems} more VEX statements matched no finding`,
    });
  }
  return {
    unlocked,
    packages: scan.packages.length,
    ecosystems: [...new Set(scan.packages.map((item) => item.ecosystem))].sort(),
    database: loaded.state,
    findings,
    vexFiles,
    vexProblems,
    vexUnmatched,
  };
}
