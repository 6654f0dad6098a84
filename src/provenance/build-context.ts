/**
 * Where a build ran and from what source: GitHub Actions and GitLab CI environment variables
 * when present, else the local git repository. Reading the environment is pure (it is passed
 * in); only the local fallback runs git.
 */
import { randomUUID } from 'node:crypto';
import { runGitText } from '../kernel/index.js';
import { ProvenanceError } from './errors.js';
import type { ExternalParameters, InternalParameters } from './statement.js';

export interface BuildContext {
  ci: InternalParameters['ci'];
  external: ExternalParameters;
  builderId: string;
  invocationId: string;
}

type Environment = Readonly<Record<string, string | undefined>>;

function value(env: Environment, name: string): string | undefined {
  const text = env[name];
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}

/** Removes user names and passwords from a URL, so a token in a remote never lands in a statement. */
export function redactRepositoryUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    // scp-like "user@host:path": keep host and path, drop the user.
    const scp = /^[^@/\s]+@([^:/\s]+):(.+)$/.exec(url);
    return scp ? `ssh://${scp[1]}/${scp[2]}` : url;
  }
}

/** GitHub Actions: https://docs.github.com/actions/reference/variables-reference */
export function readGitHubActions(env: Environment): BuildContext | undefined {
  if (value(env, 'GITHUB_ACTIONS') !== 'true' && value(env, 'GITHUB_RUN_ID') === undefined) return undefined;
  const server = value(env, 'GITHUB_SERVER_URL') ?? 'https://github.com';
  const repository = value(env, 'GITHUB_REPOSITORY');
  const commit = value(env, 'GITHUB_SHA');
  if (repository === undefined || commit === undefined) return undefined;
  const external: ExternalParameters = { repository: `${server}/${repository}`, commit };
  const ref = value(env, 'GITHUB_REF');
  if (ref !== undefined) external.ref = ref;
  // GITHUB_WORKFLOW_REF is "owner/repo/.github/workflows/file.yml@refs/heads/main".
  const workflowRef = value(env, 'GITHUB_WORKFLOW_REF');
  let builderId = `${server}/${repository}`;
  if (workflowRef !== undefined) {
    const at = workflowRef.lastIndexOf('@');
    const full = at === -1 ? workflowRef : workflowRef.slice(0, at);
    const path = full.startsWith(`${repository}/`) ? full.slice(repository.length + 1) : full;
    external.workflow = at === -1 ? { path } : { path, ref: workflowRef.slice(at + 1) };
    builderId = `${server}/${workflowRef}`;
  }
  const runId = value(env, 'GITHUB_RUN_ID') ?? 'unknown';
  const attempt = value(env, 'GITHUB_RUN_ATTEMPT') ?? '1';
  return {
    ci: 'github-actions',
    external,
    builderId,
    invocationId: `${server}/${repository}/actions/runs/${runId}/attempts/${attempt}`,
  };
}

/** GitLab CI: https://docs.gitlab.com/ci/variables/predefined_variables/ */
export function readGitLabCi(env: Environment): BuildContext | undefined {
  if (value(env, 'GITLAB_CI') !== 'true' && value(env, 'CI_PIPELINE_ID') === undefined) return undefined;
  const projectUrl = value(env, 'CI_PROJECT_URL');
  const commit = value(env, 'CI_COMMIT_SHA');
  if (projectUrl === undefined || commit === undefined) return undefined;
  const external: ExternalParameters = { repository: redactRepositoryUrl(projectUrl), commit };
  const tag = value(env, 'CI_COMMIT_TAG');
  const refName = value(env, 'CI_COMMIT_REF_NAME');
  if (tag !== undefined) external.ref = `refs/tags/${tag}`;
  else if (refName !== undefined) external.ref = `refs/heads/${refName}`;
  const configPath = value(env, 'CI_CONFIG_PATH') ?? '.gitlab-ci.yml';
  external.workflow = { path: configPath };
  const pipeline = value(env, 'CI_PIPELINE_ID') ?? 'unknown';
  const job = value(env, 'CI_JOB_ID');
  const runner = value(env, 'CI_RUNNER_ID');
  return {
    ci: 'gitlab-ci',
    external,
    builderId:
      runner === undefined
        ? `${external.repository}/-/blob/${commit}/${configPath}`
        : `${redactRepositoryUrl(value(env, 'CI_SERVER_URL') ?? projectUrl)}/-/runners/${runner}`,
    invocationId:
      job === undefined
        ? `${external.repository}/-/pipelines/${pipeline}`
        : `${external.repository}/-/jobs/${job}`,
  };
}

export function readCiContext(env: Environment): BuildContext | undefined {
  return readGitHubActions(env) ?? readGitLabCi(env);
}

/** The local repository: origin remote (credentials removed), current branch, HEAD. */
export async function readLocalContext(cwd: string): Promise<BuildContext> {
  let commit: string;
  try {
    commit = await runGitText(cwd, ['rev-parse', '--verify', 'HEAD']);
  } catch (error) {
    throw new ProvenanceError(
      'SOURCE_UNKNOWN',
      'not in a git repository with a commit; the source cannot be named',
      {
        cause: error,
      },
    );
  }
  const remote = await runGitText(cwd, ['remote', 'get-url', 'origin']).catch(() => '');
  const topLevel = await runGitText(cwd, ['rev-parse', '--show-toplevel']);
  const branch = await runGitText(cwd, ['symbolic-ref', '--quiet', 'HEAD']).catch(() => '');
  const external: ExternalParameters = {
    repository: remote === '' ? `file://${topLevel}` : redactRepositoryUrl(remote),
    commit,
    entryPoint: 'shipguard attest',
  };
  if (branch !== '') external.ref = branch;
  return {
    ci: 'local',
    external,
    builderId: 'urn:shipguard:builder:local',
    invocationId: `urn:uuid:${randomUUID()}`,
  };
}

/** Tracked files with uncommitted changes (untracked files, such as build outputs, do not count). */
export async function isWorkingTreeDirty(cwd: string): Promise<boolean> {
  const status = await runGitText(cwd, ['status', '--porcelain', '--untracked-files=no']).catch(() => '');
  return status.length > 0;
}
