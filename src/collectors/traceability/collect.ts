import type { RepositorySnapshot } from '../../kernel/index.js';
import type { Policy } from '../../policy/index.js';
import {
  openExistingStore,
  readDeployments,
  resolveDefaultBranch,
  SourceControlError,
} from '../../source-control/index.js';

export interface ReleaseTag {
  name: string;
  commit: string;
}

/** A commit the gate allowed to be deployed (a `gate_decisions` row). */
export interface DeployedCommit {
  commit: string;
  deployment: string;
  environment: string;
  decidedAt: string;
}

export type DeployedCommits =
  | { state: 'read'; reachable: DeployedCommit[]; unreachable: DeployedCommit[]; withoutCommit: number }
  /** No store at the default location, or it could not be read: said, not guessed. */
  | { state: 'unavailable'; note: string };

export type TraceabilityFacts =
  | { state: 'not-git' }
  | { state: 'unreadable'; message: string }
  | {
      state: 'read';
      branch: string;
      head: string;
      reachable: ReleaseTag[];
      unreachable: ReleaseTag[];
      deployed: DeployedCommits;
    };

/** Distinct deployed commits checked with `git merge-base --is-ancestor`, newest first. */
const maxDeployedCommits = 500;

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
    const [reachable, unreachable, deployed] = await Promise.all([
      listTags(repository, `--merged=${branch.head}`),
      listTags(repository, `--no-merged=${branch.head}`),
      traceDeployments(repository, branch.head),
    ]);
    return { state: 'read', branch: branch.name, head: branch.head, reachable, unreachable, deployed };
  } catch (error) {
    const message = error instanceof SourceControlError ? `${error.message} [${error.code}]` : String(error);
    return { state: 'unreadable', message };
  }
}

/**
 * Every commit an allowed gate decision names, split by reachability from the default branch's
 * head. A commit missing from the repository is unreachable. Reads the store at the default
 * location only when it exists.
 */
async function traceDeployments(repository: RepositorySnapshot, head: string): Promise<DeployedCommits> {
  const access = await openExistingStore(repository.root, process.env);
  if (!access.store) return { state: 'unavailable', note: access.note ?? 'no store' };
  let deployments: Awaited<ReturnType<typeof readDeployments>>['deployments'];
  try {
    ({ deployments } = await readDeployments(access.store));
  } catch (error) {
    return {
      state: 'unavailable',
      note: `the gate decisions could not be read: ${String(error).slice(0, 300)}`,
    };
  } finally {
    await access.store.close().catch(() => {});
  }
  const byCommit = new Map<string, DeployedCommit>();
  let withoutCommit = 0;
  for (const deployment of deployments) {
    if (!deployment.commit) {
      withoutCommit += 1;
      continue;
    }
    if (byCommit.has(deployment.commit) || byCommit.size >= maxDeployedCommits) continue;
    byCommit.set(deployment.commit, {
      commit: deployment.commit,
      deployment: deployment.id,
      environment: deployment.environment,
      decidedAt: deployment.decidedAt,
    });
  }
  const reachable: DeployedCommit[] = [];
  const unreachable: DeployedCommit[] = [];
  for (const deployed of byCommit.values()) {
    ((await isAncestor(repository, deployed.commit, head)) ? reachable : unreachable).push(deployed);
  }
  return { state: 'read', reachable, unreachable, withoutCommit };
}

async function isAncestor(repository: RepositorySnapshot, commit: string, head: string): Promise<boolean> {
  if (commit === head) return true;
  try {
    await repository.gitText(['merge-base', '--is-ancestor', commit, head]);
    return true;
  } catch {
    // Exit 1 (not an ancestor) and a commit git does not have are both "not reachable".
    return false;
  }
}
