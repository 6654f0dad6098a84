import { Command, CommanderError } from 'commander';
import { describeError } from '../core/errors.js';
import { toolVersion } from '../core/version.js';
import { type GlobalOptions, globalOptions } from './command.js';
import { commands } from './commands/index.js';
import { isUsageError } from './errors.js';
import { exitCodes } from './exit-codes.js';

export function createProgram(): Command {
  const program = new Command('shipguard')
    .description('Makes a secure-development policy executable: evidence from code, pipelines and history.')
    .version(toolVersion, '-V, --version')
    .option('-q, --quiet', 'print only results and errors, no progress')
    .option('-v, --verbose', 'print more detail, and stack traces on errors')
    .option('--no-color', 'never colour the output')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of Object.values(commands)) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = createProgram();
  // Commands report their exit code through process.exitCode (see action()); start clean.
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : exitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version arrive here as "errors" with exit code 0.
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    const options: GlobalOptions = globalOptions(program);
    process.stderr.write(`shipguard: ${describeError(error)}\n`);
    if (options.verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return isUsageError(error) ? exitCodes.usage : exitCodes.internal;
  }
}
