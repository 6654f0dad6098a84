import { type Command, Option } from 'commander';
import { describeError, RepositorySnapshot } from '../../kernel/index.js';
import { generateSbom, type SbomFormat, sbomFormats } from '../../sbom/index.js';
import { identifyFolder } from '../../source-control/index.js';
import { action, globalOptions } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { writeDiagnostic, writeOutput } from '../output.js';
import { addUploadOptions, checkUploadUrl, type UploadOptions, uploadIfAsked } from '../upload.js';

interface SbomOptions extends UploadOptions {
  format: SbomFormat;
  out?: string;
  timestamp?: string;
  serialNumber?: string;
  includeFixtures?: boolean;
  exclude: string[];
}

export function registerSbomCommand(program: Command): void {
  const command = program
    .command('sbom')
    .description('write a software bill of materials (CycloneDX 1.6 or SPDX 2.3 JSON) from the lockfiles')
    .argument('[path]', 'the repository (or any folder) to describe', '.')
    .addOption(new Option('-f, --format <format>', 'SBOM format').choices(sbomFormats).default('cyclonedx'))
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .option('--timestamp <iso>', 'creation time to record (default: $SOURCE_DATE_EPOCH, else now)')
    .option(
      '--serial-number <uuid>',
      'CycloneDX serial number / SPDX namespace id (default: from the content hash)',
    )
    .option(
      '--include-fixtures',
      'also read lockfiles in test fixtures, test data, examples and vendored folders',
    )
    .option(
      '--exclude <glob>',
      'leave out lockfiles matching this glob, relative to the repository (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    );
  addUploadOptions(command, 'SBOM')
    .addHelpText(
      'after',
      `
The root component is what the root manifest declares (package.json, pyproject.toml, Cargo.toml,
go.mod: name@version), else the folder's name. Lockfiles in test fixtures, test data, examples and
vendored folders describe no part of what ships and are left out (named on stderr) unless
--include-fixtures is given. Lockfiles that cannot be read, and manifests that declare dependencies
no lockfile fixes, are reported on stderr and the SBOM lists the rest; the exit code is then 1.

Examples:
  shipguard sbom . -o bom.cdx.json
  shipguard sbom services/api --format spdx -o api.spdx.json
  SOURCE_DATE_EPOCH=1767225600 shipguard sbom .   reproducible output`,
    )
    .action(
      action(async (path: string, options: SbomOptions, command: Command) => {
        if (options.upload !== undefined) checkUploadUrl(options.upload);
        if (options.timestamp !== undefined && Number.isNaN(Date.parse(options.timestamp))) {
          throw new UsageError(
            'USAGE_INVALID_OPTION',
            `--timestamp must be an ISO-8601 time, not "${options.timestamp}"`,
          );
        }
        if (
          options.serialNumber !== undefined &&
          !/^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(
            options.serialNumber,
          )
        ) {
          throw new UsageError('USAGE_INVALID_OPTION', '--serial-number must be a lower-case RFC 4122 UUID');
        }
        const repository = await RepositorySnapshot.open(path);
        const sbom = await generateSbom(repository, {
          format: options.format,
          env: process.env,
          ...(options.timestamp === undefined
            ? {}
            : { timestamp: new Date(options.timestamp).toISOString().replace(/\.\d{3}Z$/, 'Z') }),
          ...(options.serialNumber === undefined ? {} : { serialNumber: options.serialNumber }),
          scope: { includeFixtures: options.includeFixtures === true, exclude: options.exclude },
        });
        const quiet = globalOptions(command).quiet === true;
        for (const error of sbom.scan.errors) writeDiagnostic(`error: ${describeError(error)}\n`);
        if (!quiet) {
          for (const warning of sbom.scan.warnings) writeDiagnostic(`warning: ${warning.message}\n`);
          for (const left of sbom.scan.excluded)
            writeDiagnostic(`note: left out ${left.path}: ${left.reason}\n`);
        }
        await writeOutput(sbom.text, options.out === undefined ? {} : { out: options.out });
        if (options.upload !== undefined) {
          const identity = await identifyFolder(repository.root);
          await uploadIfAsked(
            options,
            {
              endpoint: '/api/v1/sboms',
              body: sbom.text,
              mediaType:
                options.format === 'spdx' ? 'application/spdx+json' : 'application/vnd.cyclonedx+json',
              what: 'SBOM',
              ...(identity.source === 'remote' ? { repository: identity.key } : {}),
            },
            process.env,
          );
        }
        return sbom.scan.errors.length > 0 ? exitCodes.findings : exitCodes.ok;
      }),
    );
}
