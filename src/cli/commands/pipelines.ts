import { type Command, Option } from 'commander';
import { RepositorySnapshot, severities } from '../../kernel/index.js';
import {
  buildPipelineReport,
  findingsAtOrAbove,
  loadPipelines,
  renderPipelineJson,
  renderPipelineSarif,
  renderPipelineTable,
} from '../../pipelines/index.js';
import type { FailOn } from '../../policy/index.js';
import { loadPolicy } from '../../policy/index.js';
import { action } from '../command.js';
import { exitCodes } from '../exit-codes.js';
import { writeOutput } from '../output.js';

interface PipelinesOptions {
  format: 'table' | 'json' | 'sarif';
  out?: string;
  failOn?: FailOn;
  policy?: string;
}

const renderers = { table: renderPipelineTable, json: renderPipelineJson, sarif: renderPipelineSarif };

export function registerPipelinesCommand(program: Command): void {
  program
    .command('pipelines')
    .description(
      'show CI/CD pipelines: jobs, what each does, deploy targets, the gates before them, and findings',
    )
    .argument('[path]', 'the repository to read', '.')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(Object.keys(renderers)).default('table'),
    )
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when a finding of this severity or above exists (default: policy failOn)',
      ).choices([...severities, 'none']),
    )
    .option('--policy <file>', 'policy file (default: shipguard.yaml at the repository root)')
    .addHelpText(
      'after',
      `
Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage or policy error, 3 internal error.

Examples:
  shipguard pipelines .
  shipguard pipelines . --format sarif --out pipelines.sarif`,
    )
    .action(
      action(async (path: string, options: PipelinesOptions) => {
        const repository = await RepositorySnapshot.open(path);
        const { policy } = await loadPolicy(repository.root, options.policy);
        const set = await loadPipelines(repository);
        const report = buildPipelineReport(set, {
          trustedActionOwners: policy.pipelines.trustedActionOwners,
          productionEnvironments: policy.pipelines.productionEnvironments,
        });
        await writeOutput(
          renderers[options.format](report),
          options.out === undefined ? {} : { out: options.out },
        );
        return findingsAtOrAbove(report, options.failOn ?? policy.failOn).length > 0
          ? exitCodes.findings
          : exitCodes.ok;
      }),
    );
}
