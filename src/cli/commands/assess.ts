import { type Command, Option } from 'commander';
import { loadCatalog } from '../../catalog/index.js';
import { collectors } from '../../collectors/index.js';
import { assess } from '../../engine/index.js';
import { RepositorySnapshot, severities } from '../../kernel/index.js';
import type { FailOn } from '../../policy/index.js';
import { loadPolicy } from '../../policy/index.js';
import { failingAtOrAbove, reportFormats } from '../../report/index.js';
import { action, globalOptions } from '../command.js';
import { exitCodes } from '../exit-codes.js';
import { createProgress, useColor, writeOutput } from '../output.js';
import { readSignedRecords } from '../records-access.js';
import { saveAssessmentRecord } from '../store-access.js';

interface AssessOptions {
  format: keyof typeof reportFormats;
  out?: string;
  failOn?: FailOn;
  policy?: string;
  db?: string;
  save: boolean;
}

export function registerAssessCommand(program: Command): void {
  program
    .command('assess')
    .description('assess a repository against every control of the secure-development policy')
    .argument('[path]', 'the repository (or any folder) to assess', '.')
    .addOption(
      new Option('-f, --format <format>', 'report format')
        .choices(Object.keys(reportFormats))
        .default('table'),
    )
    .option('-o, --out <file>', 'write the report to a file instead of stdout')
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when a control of this severity or above fails (default: policy failOn, else high)',
      ).choices([...severities, 'none']),
    )
    .option('--policy <file>', 'policy file (default: shipguard.yaml at the repository root)')
    .option(
      '--db <location>',
      'store: a SQLite file or a postgres:// URL (default: $SHIPGUARD_DB, else .shipguard/shipguard.db)',
    )
    .option('--no-save', 'do not record the assessment in the store')
    .addHelpText(
      'after',
      `
Exit codes: 0 no failing control at or above --fail-on, 1 failing controls, 2 usage or policy error, 3 internal error.

Examples:
  shipguard assess .                         terminal report of the current repository
  shipguard assess . --format sarif -o a.sarif   SARIF 2.1.0 for code scanning
  shipguard assess ../service --fail-on medium`,
    )
    .action(
      action(async (path: string, options: AssessOptions, command: Command) => {
        const global = globalOptions(command);
        const progress = createProgress(global.quiet);
        progress('assessing: reading the repository');
        const repository = await RepositorySnapshot.open(path);
        const loadedPolicy = await loadPolicy(repository.root, options.policy);
        const catalog = loadCatalog();
        progress('assessing: reading signed records');
        const records = await readSignedRecords(catalog, repository.root, loadedPolicy, options.db);
        const assessment = await assess({
          repository,
          catalog,
          collectors,
          loadedPolicy,
          onProgress: progress,
          records,
        });
        progress('');
        if (options.save) await saveAssessmentRecord(assessment, repository.root, options.db);
        const format = reportFormats[options.format];
        const color = options.out === undefined && useColor(global.color);
        const renderOptions = global.verbose ? { color, verbose: true } : { color };
        await writeOutput(
          format.render(assessment, renderOptions),
          options.out === undefined ? {} : { out: options.out },
        );
        const failOn = options.failOn ?? loadedPolicy.policy.failOn;
        return failingAtOrAbove(assessment, failOn).length > 0 ? exitCodes.findings : exitCodes.ok;
      }),
    );
}
