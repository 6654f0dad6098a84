import { type Command, Option } from 'commander';
import { severities, severityRank } from '../../kernel/index.js';
import {
  applyBaseline,
  loadRuleSet,
  readBaseline,
  renderReport,
  type SecretFormat,
  SecretsError,
  scanHistory,
  scanStaged,
  scanWorkingTree,
  secretFormats,
  secretsUsageCodes,
} from '../../secrets/index.js';
import { action, globalOptions } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { createProgress, writeOutput } from '../output.js';

interface SecretsOptions {
  staged?: boolean;
  history?: boolean;
  since?: string;
  config?: string;
  baseline?: string;
  format: SecretFormat;
  out?: string;
  failOn: (typeof severities)[number] | 'none';
  threads?: string;
}

export function registerSecretsCommand(program: Command): void {
  program
    .command('secrets')
    .description('find leaked credentials in the working tree, the staged changes or the whole git history')
    .argument('[path]', 'the repository (or any folder) to scan', '.')
    .option('--staged', 'scan only what is staged for the next commit (for a pre-commit hook)')
    .option(
      '--history',
      'scan every commit on every ref; each secret is reported at the commit that introduced it',
    )
    .option('--since <rev>', 'scan the history of <rev>..HEAD only (for CI on a change range)')
    .option(
      '--config <file>',
      'gitleaks TOML configuration (default: .gitleaks.toml at the root, else built-in rules)',
    )
    .option(
      '--baseline <file>',
      'accept the findings of an earlier report (shipguard JSON/SARIF or gitleaks JSON)',
    )
    .addOption(
      new Option('-f, --format <format>', 'output format').choices([...secretFormats]).default('table'),
    )
    .option('-o, --out <file>', 'write the report to a file instead of stdout')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding of this severity or above remains')
        .choices([...severities, 'none'])
        .default('low'),
    )
    .option(
      '--threads <n>',
      'worker threads (default: one per core for large working trees; one for --history, where it is fastest)',
    )
    .addHelpText(
      'after',
      `
Secrets are never printed whole: a prefix of at most 4 characters, the length and a SHA-256.
Exit codes: 0 nothing found, 1 findings (new ones, with --baseline), 2 usage or configuration error, 3 error.

Examples:
  shipguard secrets                         working tree: tracked and untracked, not ignored, files
  shipguard secrets --staged                what the next commit would add
  shipguard secrets --history -f sarif -o secrets.sarif
  shipguard secrets --since origin/main --baseline accepted.json`,
    )
    .action(
      action(async (path: string, options: SecretsOptions, command: Command) => {
        const modes = [options.staged, options.history, options.since !== undefined].filter(Boolean).length;
        if (modes > 1)
          throw new UsageError('USAGE_INVALID_OPTION', 'choose one of --staged, --history, --since');
        const threads = options.threads === undefined ? undefined : Number(options.threads);
        if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 64)) {
          throw new UsageError('USAGE_INVALID_OPTION', '--threads must be a whole number from 1 to 64');
        }
        const progress = createProgress(globalOptions(command).quiet);
        try {
          const rules = await loadRuleSet(path, options.config);
          const scanOptions = threads === undefined ? { root: path, rules } : { root: path, rules, threads };
          progress(
            options.staged
              ? 'scanning staged changes'
              : options.history || options.since
                ? 'scanning history'
                : 'scanning the working tree',
          );
          const report = options.staged
            ? await scanStaged(scanOptions)
            : options.history || options.since !== undefined
              ? await scanHistory(
                  options.since === undefined ? scanOptions : { ...scanOptions, since: options.since },
                )
              : await scanWorkingTree(scanOptions);
          progress('');
          if (options.baseline) applyBaseline(report, await readBaseline(options.baseline));
          await writeOutput(
            renderReport(report, options.format),
            options.out === undefined ? {} : { out: options.out },
          );
          if (options.failOn === 'none') return exitCodes.ok;
          const threshold = severityRank(options.failOn);
          return report.findings.some((finding) => severityRank(finding.severity) >= threshold)
            ? exitCodes.findings
            : exitCodes.ok;
        } catch (error) {
          // Configuration and usage mistakes exit 2 (main maps UsageError); the rest exit 3.
          if (error instanceof SecretsError && secretsUsageCodes.has(error.code)) {
            throw new UsageError('USAGE_INVALID_OPTION', error.message, {
              cause: error,
              ...(error.location ? { location: error.location } : {}),
            });
          }
          throw error;
        }
      }),
    );
}
