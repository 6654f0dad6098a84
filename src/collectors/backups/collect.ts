import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { RepositorySnapshot } from '../../kernel/index.js';
import { runGitText } from '../../kernel/index.js';
import type { Policy } from '../../policy/index.js';
import { resolveDefaultBranch } from '../../source-control/index.js';

export type BackupState =
  | 'current'
  /** Behind the branch; `oldestMissing` says since when. */
  | 'behind'
  | 'diverged'
  | 'missing'
  | 'invalid'
  | 'not-local';

export interface BackupLocation {
  location: string;
  kind: 'bundle' | 'mirror' | 'remote';
  state: BackupState;
  detail: string;
  backupHead?: string;
  /** Committer time (ISO-8601) of the oldest default-branch change not in the backup. */
  oldestMissing?: string;
  /** Bundle file modification time (ISO-8601). */
  modified?: string;
}

export type BackupFacts =
  | { state: 'not-git' }
  | { state: 'none-configured' }
  | { state: 'unreadable'; message: string }
  | { state: 'read'; branch: string; head: string; maxAgeDays: number; locations: BackupLocation[] };

/** Reads each backup named in the policy: `git bundle verify` / `list-heads`, `git ls-remote` of a mirror. */
export async function collectBackups(repository: RepositorySnapshot, policy: Policy): Promise<BackupFacts> {
  if (!repository.isGitRepository) return { state: 'not-git' };
  if (policy.backups.locations.length === 0) return { state: 'none-configured' };
  let branch: Awaited<ReturnType<typeof resolveDefaultBranch>>;
  try {
    branch = await resolveDefaultBranch(repository.root, policy.review.defaultBranch);
  } catch (error) {
    return { state: 'unreadable', message: error instanceof Error ? error.message : String(error) };
  }
  const locations: BackupLocation[] = [];
  for (const location of policy.backups.locations) {
    locations.push(await inspectLocation(repository.root, location, branch.name, branch.head));
  }
  return {
    state: 'read',
    branch: branch.name,
    head: branch.head,
    maxAgeDays: policy.backups.maxAgeDays,
    locations,
  };
}

async function inspectLocation(
  root: string,
  location: string,
  branch: string,
  head: string,
): Promise<BackupLocation> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location) || /^[^/]+@[^/]+:/.test(location)) {
    return {
      location,
      kind: 'remote',
      state: 'not-local',
      detail: 'remote backups are not contacted (offline)',
    };
  }
  const path = isAbsolute(location) ? location : join(root, location);
  const info = await stat(path).catch(() => undefined);
  if (!info) return { location, kind: 'bundle', state: 'missing', detail: 'no such file or folder' };
  // git would wait on a FIFO or read a device until its timeout: a backup is a file or a folder.
  if (!info.isFile() && !info.isDirectory()) {
    return {
      location,
      kind: 'bundle',
      state: 'invalid',
      detail: `not a regular file or a folder (${kindOf(info)})`,
    };
  }
  const kind = info.isDirectory() ? 'mirror' : 'bundle';
  let refs: string;
  try {
    if (kind === 'bundle') {
      await runGitText(root, ['bundle', 'verify', '--quiet', path]);
      refs = await runGitText(root, ['bundle', 'list-heads', path]);
    } else {
      refs = await runGitText(root, ['ls-remote', '--', path]);
    }
  } catch (error) {
    const reason =
      (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 200) ?? '';
    return {
      location,
      kind,
      state: 'invalid',
      detail: `${kind === 'bundle' ? 'git bundle verify' : 'git ls-remote'} failed: ${reason}`,
    };
  }
  const result: BackupLocation = { location, kind, state: 'current', detail: '' };
  if (kind === 'bundle') result.modified = info.mtime.toISOString();
  const wanted = [`refs/heads/${branch}`, 'HEAD'];
  const lines = refs.split('\n').map((line) => line.split(/\s+/));
  const found = wanted
    .map((name) => lines.find((fields) => fields[1] === name)?.[0])
    .find((id) => id !== undefined);
  if (!found) {
    return { ...result, state: 'invalid', detail: `the backup has no ${branch} branch` };
  }
  result.backupHead = found;
  if (found === head) return { ...result, detail: `holds ${branch} at ${head.slice(0, 12)}` };
  const ancestor = await runGitText(root, ['merge-base', '--is-ancestor', found, head], {
    successExitCodes: [0, 1],
  })
    .then(() => runGitText(root, ['rev-list', '--first-parent', '--reverse', `${found}..${head}`, '--']))
    .catch(() => undefined);
  const missing = ancestor?.split('\n').filter((line) => line !== '') ?? [];
  const firstMissing = missing[0];
  if (ancestor === undefined || !firstMissing) {
    return {
      ...result,
      state: 'diverged',
      detail: `the backup's ${branch} (${found.slice(0, 12)}) is not an ancestor of ours`,
    };
  }
  const time = await runGitText(root, ['show', '-s', '--format=%cI', firstMissing]);
  return {
    ...result,
    state: 'behind',
    oldestMissing: new Date(time).toISOString(),
    detail: `${missing.length} change(s) of ${branch} are not in the backup, the oldest from ${time}`,
  };
}

function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  return info.isCharacterDevice() || info.isBlockDevice() ? 'a device' : 'not a file';
}
