import type { RepositorySnapshot } from '../../core/repository.js';
import type { Policy } from '../../policy/schema.js';
import { resolveDefaultBranch } from '../../source-control/default-branch.js';
import { SourceControlError } from '../../source-control/errors.js';

export interface ReleaseTag {
  name: string;
  commit: string;
}

export type TraceabilityFacts =
  | { state: 'not-git' }
  | { state: 'unreadable'; message: string }
  | { state: 'read'; branch: string; head: string; reachable: ReleaseTag[]; unreachable: ReleaseTag[] };

/** `v1.2.3`, `1.2`, `v2.0.0-rc.1`, `release-1.4.0`: what release tags look like. */
export function isReleaseTag(name: string): boolean {
  return /^(v|release-|release\/)?\d{1,9}\.\d{1,9}(\.\d{1,9})?([-+][0-9A-Za-z.-]{1,100})?$/.test(name);
}

async function listTags(repository: RepositorySnapshot, filter: string): Promise<ReleaseTag[]> {
  const output = await repository.gitText([
    'for-each-ref',
    filter,
    '--format=%(refname:lstrip=2)%09%(*objectname)%09%(objectname)',
    'refs/tags',
  ]);
  return output
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [name = '', peeled = '', object = ''] = line.split('\t');
      return { name, commit: peeled || object };
    })
    .filter((tag) => isReleaseTag(tag.name));
}

/** Release tags split by reachability from the default branch (`for-each-ref --merged`, one process). */
export async function collectTraceability(
  repository: RepositorySnapshot,
  policy: Policy,
): Promise<TraceabilityFacts> {
  if (!repository.isGitRepository) return { state: 'not-git' };
  try {
    const branch = await resolveDefaultBranch(repository.root, policy.review.defaultBranch);
    const [reachable, unreachable] = await Promise.all([
      listTags(repository, `--merged=${branch.head}`),
      listTags(repository, `--no-merged=${branch.head}`),
    ]);
    return { state: 'read', branch: branch.name, head: branch.head, reachable, unreachable };
  } catch (error) {
    const message = error instanceof SourceControlError ? `${error.message} [${error.code}]` : String(error);
    return { state: 'unreadable', message };
  }
}
