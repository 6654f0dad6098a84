import type { Command } from 'commander';

/** Options every command accepts (set on the root program). */
export interface GlobalOptions {
  quiet?: boolean;
  verbose?: boolean;
  /** false when --no-color was given. */
  color?: boolean;
}

/** Adds one command to the program. One file per command under src/cli/commands/. */
export type RegisterCommand = (program: Command) => void;

/** Reads the root program's global options from inside a command's action. */
export function globalOptions(command: Command): GlobalOptions {
  let root = command;
  while (root.parent) root = root.parent;
  return root.opts<GlobalOptions>();
}

/**
 * Wraps a command's handler: the handler returns the exit code; errors propagate to main,
 * which prints them without a stack (unless --verbose) and exits 2 or 3.
 */
export function action<Args extends unknown[]>(
  handler: (...args: Args) => Promise<number>,
): (...args: Args) => Promise<void> {
  return async (...args: Args) => {
    process.exitCode = await handler(...args);
  };
}
