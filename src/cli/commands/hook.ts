import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { runGitText } from '../../kernel/index.js';
import { action } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { printStdout } from '../output.js';

const marker = '# installed by shipguard hook install';

/** Quotes a value for a POSIX shell: inside single quotes nothing is special but the quote itself. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/**
 * The hook finds shipguard as a user has installed it: the project's own (node_modules/.bin, put
 * first on PATH as npm's scripts do, so a Node pinned as a dev dependency runs it), else one on
 * PATH (a global install), else the copy that installed the hook. No package manager is asked to
 * fetch anything. Without shipguard the commit is refused with what to do, never an npm error.
 */
export function hookScript(installedBy: { node: string; main: string } | undefined): string {
  const fallback = installedBy
    ? `elif [ -x ${shellQuote(installedBy.node)} ] && [ -f ${shellQuote(installedBy.main)} ]; then
  set -- ${shellQuote(installedBy.node)} ${shellQuote(installedBy.main)}
`
    : '';
  return `#!/bin/sh
${marker}
# Refuses a commit that would add a credential. To accept a false positive, add
# "shipguard:allow" on its line or its fingerprint to .gitleaksignore.
if [ -d node_modules/.bin ]; then PATH="$PWD/node_modules/.bin:$PATH"; export PATH; fi
if command -v shipguard >/dev/null 2>&1; then
  set -- shipguard
${fallback}else
  echo "shipguard pre-commit hook: shipguard is not installed here, so staged changes cannot be checked for credentials." >&2
  echo "Install it (npm install --save-dev shipguard, or globally), or remove $0." >&2
  exit 1
fi
exec "$@" secrets --staged --quiet
`;
}

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
export async function installHook(
  path: string,
  force: boolean,
  installedBy: { node: string; main: string } | undefined = thisExecutable(),
): Promise<string> {
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
  await writeFile(target, hookScript(installedBy), { encoding: 'utf8', mode: 0o755 });
  await chmod(target, 0o755);
  return target;
}

/** The Node and the script running this command, when it is shipguard's own entry point. */
function thisExecutable(): { node: string; main: string } | undefined {
  const main = process.argv[1];
  if (!main || !/[/\\]cli[/\\]main\.js$/.test(main)) return undefined;
  return { node: process.execPath, main: resolve(main) };
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
        printStdout(`pre-commit hook installed: ${target}\n`);
        return exitCodes.ok;
      }),
    );
}
