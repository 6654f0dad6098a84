import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { policyTemplate } from '../../policy/index.js';
import { action, globalOptions } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';

export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('write a commented shipguard.yaml with the default policy')
    .argument('[path]', 'the repository root', '.')
    .option('--force', 'overwrite an existing shipguard.yaml')
    .action(
      action(async (path: string, options: { force?: boolean }, command: Command) => {
        const target = join(path, 'shipguard.yaml');
        try {
          await writeFile(target, policyTemplate, { encoding: 'utf8', flag: options.force ? 'w' : 'wx' });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
            throw new UsageError('USAGE_INVALID_OPTION', `${target} exists; use --force to overwrite it`);
          }
          throw error;
        }
        if (!globalOptions(command).quiet) process.stdout.write(`wrote ${target}\n`);
        return exitCodes.ok;
      }),
    );
}
