import type { RepositorySnapshot } from '../../kernel/index.js';
import type { Policy } from '../../policy/index.js';
import {
  isReleaseBranch,
  listReleaseTags,
  type ReleaseTag,
  readDeployments,
  resolveDefaultBranch,
  SourceControlError,
} from '../../source-control/index.js';
import { noStoreAccess, type StoreAccess } from '../../store/index.js';

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
      /** A shallow clone: tags and ancestry past its cut are not known, so reachability is not either. */
      shallow: boolean;
      reachable: ReleaseTag[];
      unreachable: ReleaseTag[];
      deployed: DeployedCommits;
    };

/** Distinct deployed commits checked with `git merge-base --is-ancestor`, newest first. */
const maxDeployedCommits = 500;

function listTags(repository: RepositorySnapshot, filter: string): Promise<ReleaseTag[]> {
  return listReleaseTags((args) => repository.gitText(args), [filter]);
}

/** Release tags contained in a release branch, by tag name (at most 20 branches are read). */
async function tagsOnReleaseBranches(
  repository: RepositorySnapshot,
  needed: boolean,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (!needed) return found;
  const branches = (
    await repository.gitText(['for-each-ref', '--format=%(refname)', 'refs/heads', 'refs/remotes'])
  )
    .split('\n')
    .filter((name) => name !== '' && isReleaseBranch(name))
    .slice(0, 20);
  for (const branch of branches) {
    for (const tag of await listTags(repository, `--merged=${branch}`)) {
      if (!found.has(tag.name)) found.set(tag.name, branch.replace(/^refs\/(heads|remotes)\//, ''));
    }
  }
  return found;
}

/** Release tags split by reachability from the default branch (`for-each-ref --merged`, one process). */
export async function collectTraceability(
  repository: RepositorySnapshot,
  policy: Policy,
  context: { store?: StoreAccess } = {},
): Promise<TraceabilityFacts> {
  if (!repository.isGitRepository) return { state: 'not-git' };
  try {
    const branch = await resolveDefaultBranch(repository.root, policy.review.defaultBranch);
    const [reachable, offBranch, deployed] = await Promise.all([
      listTags(repository, `--merged=${branch.head}`),
      listTags(repository, `--no-merged=${branch.head}`),
      traceDeployments(repository, branch.head, context.store ?? noStoreAccess()),
    ]);
    // Tags on maintained release branches (release/1.x, v4.x) trace to source as well.
    const unreachable: ReleaseTag[] = [];
    const onRelease = await tagsOnReleaseBranches(repository, offBranch.length > 0);
    for (const tag of offBranch) {
      const releaseBranch = onRelease.get(tag.name);
      if (releaseBranch) reachable.push({ ...tag, releaseBranch });
      else unreachable.push(tag);
    }
    return {
      state: 'read',
      branch: branch.name,
      head: branch.head,
      shallow: repository.git?.shallow === true,
      reachable,
      unreachable,
      deployed,
    };
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
async function traceDeployments(
  repository: RepositorySnapshot,
  head: string,
  store: StoreAccess,
): Promise<DeployedCommits> {
  const access = await store.existing();
  if (!access.store) return { state: 'unavailable', note: access.note ?? 'no store' };
  let deployments: Awaited<ReturnType<typeof readDeployments>>['deployments'];
  try {
    ({ deployments } = await readDeployments(access.store));
  } catch (error) {
    return {
      state: 'unavailable',
      note: `the gate decisions could not be read: ${String(error).slice(0, 300)}`,
    };
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
