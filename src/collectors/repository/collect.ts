import type { RepositorySnapshot } from '../../kernel/index.js';
import { runGitText } from '../../kernel/index.js';

export interface RepositoryFacts {
  /** The folder is the top of a git work tree. */
  isGitRepository: boolean;
  /** The folder is not a repository itself but lies inside one (a monorepo package). */
  enclosingRepository?: { topLevel: string; head?: string };
  head?: string;
  branch?: string;
  shallow: boolean;
  dirty: boolean;
  /** Commits reachable from HEAD; in a shallow clone, only the fetched ones. */
  commitCount?: number;
  /** Committer date (UTC, ISO 8601) of the oldest root commit; in a shallow clone, of the oldest fetched one. */
  firstCommitDate?: string;
  lastCommitDate?: string;
}

export async function collectRepository(repository: RepositorySnapshot): Promise<RepositoryFacts> {
  const git = repository.git;
  if (!git) {
    const facts: RepositoryFacts = { isGitRepository: false, shallow: false, dirty: false };
    const enclosing = await findEnclosingRepository(repository.root);
    if (enclosing) facts.enclosingRepository = enclosing;
    return facts;
  }
  const facts: RepositoryFacts = { isGitRepository: true, shallow: git.shallow, dirty: git.dirty };
  if (git.branch) facts.branch = git.branch;
  if (!git.head) return facts;
  facts.head = git.head;
  const [count, roots, last] = await Promise.all([
    repository.gitText(['rev-list', '--count', 'HEAD']),
    // Root commits only: one line each, oldest last; a history with merged roots has several.
    repository.gitText(['log', '--max-parents=0', '--format=%cI', 'HEAD']),
    repository.gitText(['log', '-1', '--format=%cI', 'HEAD']),
  ]);
  facts.commitCount = Number(count);
  const rootTimes = roots
    .split('\n')
    .map((line) => Date.parse(line))
    .filter((time) => !Number.isNaN(time));
  if (rootTimes.length > 0) facts.firstCommitDate = new Date(Math.min(...rootTimes)).toISOString();
  const lastTime = Date.parse(last);
  if (!Number.isNaN(lastTime)) facts.lastCommitDate = new Date(lastTime).toISOString();
  return facts;
}

async function findEnclosingRepository(root: string): Promise<RepositoryFacts['enclosingRepository']> {
  let topLevel: string;
  try {
    topLevel = await runGitText(root, ['rev-parse', '--show-toplevel']);
  } catch {
    return undefined;
  }
  const head = await runGitText(root, ['rev-parse', '--verify', '--quiet', 'HEAD']).catch(() => '');
  return head ? { topLevel, head } : { topLevel };
}
