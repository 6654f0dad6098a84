import { type Command, Option } from 'commander';
import { describeError, severities, severityRank } from '../../kernel/index.js';
import { loadPolicy } from '../../policy/index.js';
import { resolveRepositoryRoot } from '../../store/index.js';
import { renderVulnsJson, renderVulnsSarif, renderVulnsTable, runVulns } from '../../vulns/index.js';
import { action } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { writeDiagnostic, writeOutput } from '../output.js';
import { commandStoreAccess } from '../store-access.js';

interface VulnsOptions {
  format: 'table' | 'json' | 'sarif';
  out?: string;
  vex?: string[];
  db?: string;
  policy?: string;
  failOn: (typeof severities)[number] | 'none';
  patchLatency?: string | boolean;
}

export function registerVulnsCommand(program: Command): void {
  program
    .command('vulns')
    .description(
      'match the dependencies of a repository (or a CycloneDX / SPDX SBOM) against the advisory database',
    )
    .argument('[path]', 'a repository folder, or an SBOM .json file', '.')
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['table', 'json', 'sarif'])
        .default('table'),
    )
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .option(
      '--vex <files...>',
      'OpenVEX or CycloneDX VEX documents; not_affected findings are shown with their justification',
    )
    .option(
      '--db <location>',
      'store: a SQLite file or a postgres:// URL (default: $SHIPGUARD_DB, else .shipguard/shipguard.db)',
    )
    .option(
      '--policy <file>',
      'policy file for SLAs and the advisory age limit (default: shipguard.yaml at the repository root)',
    )
    .option(
      '--patch-latency [commits]',
      "also measure time-to-remediate from the lockfiles' git history (default 200 lockfile commits)",
    )
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when a finding (not VEX not_affected) is at or above this severity',
      )
        .choices([...severities, 'none'])
        .default('high'),
    )
    .addHelpText(
      'after',
      `
No network: run \`shipguard advisories sync\` first. Data older than the policy allows is reported,
and the exit code is then at least 1 unless --fail-on none.

Examples:
  shipguard vulns .
  shipguard vulns bom.cdx.json --format sarif -o vulns.sarif
  shipguard vulns . --vex vex/openvex.json`,
    )
    .action(
      action(async (path: string, options: VulnsOptions) => {
        const root = await resolveRepositoryRoot(path.endsWith('.json') ? '.' : path);
        const { policy } = await loadPolicy(root, options.policy);
        const store = commandStoreAccess(root, options.db);
        let ran: Awaited<ReturnType<typeof runVulns>>;
        try {
          ran = await runVulns(path, {
            settings: policy.supplyChain,
            store,
            ...(options.vex === undefined ? {} : { vexFiles: options.vex }),
            ...(options.patchLatency === undefined
              ? {}
              : { historyCommits: parseCommits(options.patchLatency) }),
          });
        } finally {
          await store.close();
        }
        const { report, errors } = ran;
        for (const error of errors) writeDiagnostic(`error: ${describeError(error)}\n`);
        // The table lists them itself; JSON and SARIF readers also hear it on stderr.
        if (options.format !== 'table' && report.vexUnmatched)
          writeDiagnostic(
            `warning: ${report.vexUnmatched.length} VEX statement(s) matched no finding (listed in the JSON report's vexUnmatched)\n`,
          );
        const text =
          options.format === 'json'
            ? renderVulnsJson(report)
            : options.format === 'sarif'
              ? renderVulnsSarif(report)
              : renderVulnsTable(report);
        await writeOutput(text, options.out === undefined ? {} : { out: options.out });
        if (options.failOn === 'none') return exitCodes.ok;
        const threshold = severityRank(options.failOn);
        const failing = report.findings.some(
          (finding) =>
            finding.vex?.status !== 'not_affected' &&
            severityRank(finding.severity === 'unknown' ? 'medium' : finding.severity) >= threshold,
        );
        return failing || report.stale || errors.length > 0 ? exitCodes.findings : exitCodes.ok;
      }),
    );
}

function parseCommits(value: string | boolean): number {
  if (value === true) return 200;
  const count = /^\d{1,6}$/.test(String(value)) ? Number(value) : Number.NaN;
  if (!Number.isInteger(count) || count < 1 || count > 100_000) {
    throw new UsageError(
      'USAGE_INVALID_OPTION',
      `--patch-latency takes a number of commits from 1 to 100000, not "${String(value)}"`,
    );
  }
  return count;
}
