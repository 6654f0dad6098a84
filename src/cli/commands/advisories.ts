import { type Command, Option } from 'commander';
import {
  advisoryStatus,
  defaultOsvSource,
  importAdvisories,
  syncAdvisories,
} from '../../advisories/index.js';
import { osvEcosystems } from '../../ecosystems/index.js';
import { describeError } from '../../kernel/index.js';
import { action, globalOptions } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { writeDiagnostic, writeOutput } from '../output.js';
import { withCommandStore } from '../store-access.js';

const dbHelp =
  'store: a SQLite file, :memory: or a postgres:// URL (default: $SHIPGUARD_DB, else .shipguard/shipguard.db)';

interface DbOptions {
  db?: string;
}

export function registerAdvisoriesCommand(program: Command): void {
  const advisories = program
    .command('advisories')
    .description('keep the OSV advisory database that `vulns` and `assess` match against');

  advisories
    .command('import')
    .description('import an OSV all.zip, a folder of OSV JSON/YAML records, or one record')
    .argument('<path>', 'zip, folder or file')
    .option(
      '--source <name>',
      'name to store it under (default: file:<base name>); importing again replaces it',
    )
    .option('--db <location>', dbHelp)
    .option(
      '--strict',
      'exit 1 when any record is invalid (by default invalid records are reported and skipped)',
    )
    .action(
      action(
        async (
          path: string,
          options: DbOptions & { source?: string; strict?: boolean },
          command: Command,
        ) => {
          const result = await withCommandStore(options.db, (store) =>
            importAdvisories(store, path, options.source === undefined ? {} : { source: options.source }),
          );
          const quiet = globalOptions(command).quiet === true;
          for (const error of result.errors) writeDiagnostic(`invalid record: ${describeError(error)}\n`);
          if (!quiet) {
            const skipped =
              result.errors.length > 0 ? `; ${result.errors.length} invalid record(s) skipped` : '';
            writeDiagnostic(`imported ${result.imported} advisories as ${result.source}${skipped}\n`);
          }
          return options.strict === true && result.errors.length > 0 ? exitCodes.findings : exitCodes.ok;
        },
      ),
    );

  advisories
    .command('sync')
    .description(
      'download OSV ecosystem archives (ETag / If-Modified-Since; a failed download keeps the old data)',
    )
    .option('--source <url>', 'base URL holding <ecosystem>/all.zip', defaultOsvSource)
    .option('--ecosystem <names...>', `OSV ecosystems (default: ${osvEcosystems.join(', ')})`)
    .option('--db <location>', dbHelp)
    .action(
      action(async (options: DbOptions & { source: string; ecosystem?: string[] }, command: Command) => {
        const ecosystems = options.ecosystem ?? [...osvEcosystems];
        for (const ecosystem of ecosystems) {
          if (!/^[A-Za-z0-9.:_-]{1,64}$/.test(ecosystem)) {
            throw new UsageError('USAGE_INVALID_OPTION', `not an OSV ecosystem name: ${ecosystem}`);
          }
        }
        const outcomes = await withCommandStore(options.db, (store) =>
          syncAdvisories(store, { source: options.source, ecosystems }),
        );
        const quiet = globalOptions(command).quiet === true;
        for (const outcome of outcomes) {
          if (outcome.error)
            writeDiagnostic(
              `${outcome.ecosystem}: failed, previous data kept: ${describeError(outcome.error)}\n`,
            );
          else if (!quiet)
            writeDiagnostic(`${outcome.ecosystem}: ${outcome.status}, ${outcome.records ?? 0} advisories\n`);
        }
        return outcomes.some((outcome) => outcome.status === 'failed') ? exitCodes.internal : exitCodes.ok;
      }),
    );

  advisories
    .command('status')
    .description("show each advisory source's size and age")
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'),
    )
    .option('--db <location>', dbHelp)
    .action(
      action(async (options: DbOptions & { format: 'table' | 'json' }) => {
        const sources = await withCommandStore(options.db, (store) => advisoryStatus(store));
        if (options.format === 'json') {
          await writeOutput(JSON.stringify({ schemaVersion: 1, sources }, null, 2), {});
          return exitCodes.ok;
        }
        if (sources.length === 0) {
          await writeOutput(
            'No advisories imported. Run `shipguard advisories sync` (or `advisories import <path>`).',
            {},
          );
          return exitCodes.ok;
        }
        const lines = ['source                      advisories  invalid  age (days)  last checked'];
        for (const source of sources) {
          lines.push(
            `${source.source.padEnd(28)}${String(source.records).padStart(10)}${String(source.invalidRecords).padStart(9)}${String(source.ageDays).padStart(12)}  ${source.checkedAt}`,
          );
        }
        await writeOutput(lines.join('\n'), {});
        return exitCodes.ok;
      }),
    );
}
