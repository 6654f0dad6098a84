import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError, runGit } from '../kernel/index.js';
import { FleetError } from './errors.js';

/** A clone may take minutes on a large repository; a silent remote is cut off here. */
const gitTimeoutMs = 15 * 60_000;

/**
 * The work tree of a repository in the worker's cache folder, cloned on first use and brought up
 * to the remote's default branch after. A clone is made beside its final place and renamed in,
 * so a worker killed mid-clone leaves no half clone; a mirror that cannot be updated (a worker
 * killed mid-checkout left a lock) is thrown away and cloned again.
 */
export async function prepareMirror(cacheFolder: string, key: string, url: string): Promise<string> {
  await mkdir(cacheFolder, { recursive: true });
  const folder = join(cacheFolder, createHash('sha256').update(key).digest('hex').slice(0, 24));
  if (existsSync(folder)) {
    try {
      await checkoutRemoteHead(folder);
      return folder;
    } catch {
      await rm(folder, { recursive: true, force: true });
    }
  }
  const partial = `${folder}.partial-${randomUUID()}`;
  try {
    await git(cacheFolder, ['clone', '--quiet', '--no-tags', '--no-checkout', '--', url, partial]);
    await checkoutRemoteHead(partial);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw new FleetError('FLEET_FETCH_FAILED', `cloning ${url} failed: ${describeError(error)}`, {
      cause: error,
    });
  }
  try {
    await rename(partial, folder);
  } catch (error) {
    // Another attempt of the same run (a worker presumed dead that was not) cloned it first.
    await rm(partial, { recursive: true, force: true });
    if (!existsSync(folder))
      throw new FleetError(
        'FLEET_FETCH_FAILED',
        `storing the clone of ${url} failed: ${describeError(error)}`,
        { cause: error },
      );
  }
  return folder;
}

/** The remote's default branch (its HEAD), fetched and checked out detached, untracked files removed. */
async function checkoutRemoteHead(folder: string): Promise<void> {
  await git(folder, [
    'fetch',
    '--quiet',
    '--prune',
    '--no-tags',
    'origin',
    '+HEAD:refs/remotes/origin/fleet-head',
  ]);
  await git(folder, ['checkout', '--quiet', '--force', '--detach', 'refs/remotes/origin/fleet-head']);
  await git(folder, ['clean', '-ffdqx']);
}

async function git(cwd: string, args: string[]): Promise<void> {
  // Hooks never run in a mirror: its configuration is ours, but say so in case a template adds some.
  await runGit(cwd, ['-c', 'core.hooksPath=/dev/null', ...args], { timeoutMs: gitTimeoutMs });
}
