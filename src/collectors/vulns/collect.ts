import { scanRepositoryOnce } from '../../ecosystems/index.js';
import type { RepositorySnapshot } from '../../kernel/index.js';
import { describeError } from '../../kernel/index.js';
import type { Policy } from '../../policy/index.js';
import {
  type AdvisoryDatabaseState,
  findVulnerabilities,
  loadRepositoryAdvisoriesOnce,
  parseVex,
  type VexStatement,
  type VulnerabilityFinding,
} from '../../vulns/index.js';
import type { CollectContext } from '../types.js';

export interface VulnsFacts {
  packages: number;
  ecosystems: string[];
  database: AdvisoryDatabaseState;
  findings: VulnerabilityFinding[];
  /** VEX documents kept in the repository, and those that could not be read. */
  vexFiles: string[];
  vexProblems: Array<{ path: string; message: string }>;
}

const vexPattern = /(?:^|\/)(?:[\w.-]*\.)?(?:openvex|vex)(?:\.[\w-]+)?\.json$/i;

export async function collectVulns(
  repository: RepositorySnapshot,
  policy: Policy,
  context: CollectContext,
): Promise<VulnsFacts> {
  const scan = await scanRepositoryOnce(repository);
  const loaded = await loadRepositoryAdvisoriesOnce(repository, context.now);
  const vex: VexStatement[] = [];
  const vexFiles = repository.filter((path) => vexPattern.test(path) && !path.includes('node_modules/'));
  const vexProblems: VulnsFacts['vexProblems'] = [];
  for (const path of vexFiles) {
    const file = await repository.readText(path, 8 * 1024 * 1024);
    if (!file) continue;
    try {
      vex.push(...parseVex(path, file.text));
    } catch (error) {
      vexProblems.push({ path, message: describeError(error) });
    }
  }
  const findings = findVulnerabilities(scan.packages, loaded.index, {
    now: context.now,
    settings: policy.supplyChain,
    vex,
  });
  return {
    packages: scan.packages.length,
    ecosystems: [...new Set(scan.packages.map((item) => item.ecosystem))].sort(),
    database: loaded.state,
    findings,
    vexFiles,
    vexProblems,
  };
}
