import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Command } from 'commander';
import { runGitText } from '../../kernel/index.js';
import { action } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';

const marker = '# installed by shipguard hook install';
const hookScript = `#!/bin/sh
${marker}
# Refuses a commit that would add a credential. To accept a false positive, add
# "shipguard:allow" on its line or its fingerprint to .gitleaksignore.
exec npx --no-install shipguard secrets --staged --quiet
`;

/** Where git looks for hooks in this repository (honours core.hooksPath and worktrees). */
async function hooksFolder(path: string): Promise<string> {
  let folder: string;
  try {
    folder = await runGitText(path, ['rev-parse', '--git-path', 'hooks']);
  } catch (error) {
    throw new UsageError('USAGE_INVALID_OPTION', `${path} is not a git repository`, { cause: error });
  }
  return isAbsolute(folder) ? folder : join(path, folder);
}

/** Installs the pre-commit hook; refuses to replace a hook shipguard did not write unless forced. */
export async function installHook(path: string, force: boolean): Promise<string> {
  const folder = await hooksFolder(path);
  const target = join(folder, 'pre-commit');
  const existing = await readFile(target, 'utf8').catch(() => undefined);
  if (existing !== undefined && !existing.includes(marker) && !force) {
    throw new UsageError(
      'USAGE_INVALID_OPTION',
      `${target} exists and was not written by shipguard; run with --force to replace it, or call "npx shipguard secrets --staged" from it`,
    );
  }
  await mkdir(folder, { recursive: true });
  await writeFile(target, hookScript, { encoding: 'utf8', mode: 0o755 });
  await chmod(target, 0o755);
  return target;
}

export function registerHookCommand(program: Command): void {
  const hook = program.command('hook').description('manage git hooks that run shipguard');
  hook
    .command('install')
    .description('install a pre-commit hook that runs "shipguard secrets --staged"')
    .argument('[path]', 'the repository', '.')
    .option('--force', 'replace an existing pre-commit hook not written by shipguard')
    .action(
      action(async (path: string, options: { force?: boolean }) => {
        const target = await installHook(path, options.force === true);
        process.stdout.write(`pre-commit hook installed: ${target}\n`);
        return exitCodes.ok;
      }),
    );
}
