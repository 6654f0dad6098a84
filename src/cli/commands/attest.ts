import type { Command } from 'commander';
import { attest, loadSigner, ProvenanceError } from '../../provenance/index.js';
import { action, globalOptions } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { writeOutput } from '../output.js';

interface AttestOptions {
  artifact: string[];
  sbom?: string;
  key: string;
  out?: string;
  allowDirty?: boolean;
  builderId?: string;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerAttestCommand(program: Command): void {
  program
    .command('attest')
    .description('sign SLSA v1 build provenance (in-toto statement in a DSSE envelope) for artefacts')
    .requiredOption('--artifact <file>', 'an artefact to attest (repeat for several)', collect)
    .option('--sbom <file>', 'the SBOM of the build, recorded by digest')
    .requiredOption('--key <file>', 'PEM private key (shipguard keys generate)')
    .option('--out <file>', 'write the envelope here instead of stdout')
    .option('--allow-dirty', 'attest even with uncommitted changes (recorded in the statement)')
    .option('--builder-id <uri>', 'override the builder id read from the CI environment')
    .action(
      action(async (options: AttestOptions, command: Command) => {
        try {
          const signer = await loadSigner(options.key);
          const input: Parameters<typeof attest>[0] = {
            artifacts: options.artifact,
            signer,
            allowDirty: options.allowDirty === true,
            cwd: process.cwd(),
            env: process.env,
          };
          if (options.sbom !== undefined) input.sbom = options.sbom;
          if (options.builderId !== undefined) input.builderId = options.builderId;
          const result = await attest(input);
          await writeOutput(
            JSON.stringify(result.envelope, null, 2),
            options.out === undefined ? {} : { out: options.out },
          );
          if (!globalOptions(command).quiet && options.out !== undefined) {
            const names = result.statement.subject.map((subject) => subject.name).join(', ');
            process.stderr.write(
              `attested ${names} (source ${result.context.external.commit}) -> ${options.out}\n`,
            );
          }
          return exitCodes.ok;
        } catch (error) {
          // Every refusal is something the user can fix: a key, a dirty tree, a missing file.
          if (error instanceof ProvenanceError) {
            throw new UsageError('USAGE_INVALID_OPTION', `${error.message} [${error.code}]`, {
              cause: error,
            });
          }
          throw error;
        }
      }),
    );
}
