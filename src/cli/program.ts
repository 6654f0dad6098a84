import { Command, CommanderError } from 'commander';
import { describeError, toolVersion } from '../kernel/index.js';
import { type GlobalOptions, globalOptions } from './command.js';
import { commandLoaders } from './commands/registry.js';
import { isUsageError } from './errors.js';
import { exitCodes } from './exit-codes.js';

/**
 * Builds the program with the command that `argv` names, or with every command when none is
 * named (help, a typo: then commander lists them all).
 */
export async function createProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('shipguard')
    .description('Makes a secure-development policy executable: evidence from code, pipelines and history.')
    .version(toolVersion, '-V, --version')
    .option('-q, --quiet', 'print only results and errors, no progress')
    .option('-v, --verbose', 'print more detail, and stack traces on errors')
    .option('--no-color', 'never colour the output')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const requested = requestedCommand(argv);
  const versionOnly =
    requested === undefined && argv.some((argument) => argument === '-V' || argument === '--version');
  const loaders = versionOnly
    ? []
    : requested === undefined
      ? Object.values(commandLoaders)
      : [commandLoaders[requested]];
  for (const load of loaders) if (load) (await load())(program);
  return program;
}

/** The command name in argv (the first word after the global flags), when it is a known one. */
export function requestedCommand(argv: readonly string[]): string | undefined {
  const word = argv.slice(2).find((argument) => !argument.startsWith('-'));
  return word !== undefined && Object.hasOwn(commandLoaders, word) ? word : undefined;
}

export async function main(argv: string[]): Promise<number> {
  const program = await createProgram(argv);
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
