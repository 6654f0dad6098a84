import type { TextFile } from '../kernel/index.js';
import { PipelineError } from './errors.js';
import { isLocalActionPath, isWorkflowPath, parseAction, parseWorkflow } from './github.js';
import { gitlabRootPath, loadGitlab } from './gitlab.js';
import type { GithubAction, GithubJob, GithubWorkflow, Pipeline, PipelineJob, PipelineSet } from './model.js';
import { otherSystems, parseOtherSystem, systemOfPath } from './other-systems.js';
import type { CiSystem } from './systems.js';
import { defaultYamlLimits, positionWithin, type YamlScalar } from './yaml.js';

/** What the loader needs of a repository; RepositorySnapshot fits. */
export interface PipelineFileSource {
  files: readonly string[];
  readText(path: string, maxBytes?: number): Promise<TextFile | undefined>;
}

/** Read one byte past the limit, so that a file over it is seen as too large rather than cut. */
const readLimit = defaultYamlLimits.maxBytes + 1;

/** The CI systems whose pipelines `loadPipelines` reads. */
export const loadedSystems: readonly CiSystem[] = ['github-actions', 'gitlab-ci', ...otherSystems];

export function isPipelinePath(path: string): boolean {
  return (
    isWorkflowPath(path) ||
    isLocalActionPath(path) ||
    path === gitlabRootPath ||
    systemOfPath(path) !== undefined
  );
}

/**
 * Finds and parses every pipeline in the repository. A file that cannot be parsed becomes a
 * located PipelineError in `errors`; the other files go on.
 */
export async function loadPipelines(source: PipelineFileSource): Promise<PipelineSet> {
  const set: PipelineSet = { workflows: [], actions: [], gitlab: [], pipelines: [], errors: [], files: [] };
  const read = async (path: string): Promise<string | undefined> => {
    const file = await source.readText(path, readLimit);
    if (!file) return undefined;
    if (file.truncated || file.size > defaultYamlLimits.maxBytes) {
      throw new PipelineError(
        'PIPELINE_TOO_LARGE',
        `${path} is larger than ${defaultYamlLimits.maxBytes} bytes`,
        {
          location: { path },
        },
      );
    }
    return file.text;
  };
  const attempt = async (path: string, parse: (text: string) => void): Promise<void> => {
    set.files.push(path);
    try {
      const text = await read(path);
      if (text !== undefined) parse(text);
    } catch (error) {
      if (error instanceof PipelineError) set.errors.push(error);
      else throw error;
    }
  };

  for (const path of source.files) {
    if (isWorkflowPath(path)) await attempt(path, (text) => set.workflows.push(parseWorkflow(path, text)));
    else if (isLocalActionPath(path))
      await attempt(path, (text) => set.actions.push(parseAction(path, text)));
    else {
      const system = systemOfPath(path);
      if (system) await attempt(path, (text) => set.pipelines.push(parseOtherSystem(system, path, text)));
    }
  }
  if (source.files.includes(gitlabRootPath)) {
    set.files.push(gitlabRootPath);
    const guarded = async (path: string) => {
      try {
        return await read(path);
      } catch (error) {
        if (error instanceof PipelineError) set.errors.push(error);
        else throw error;
        return undefined;
      }
    };
    try {
      const gitlab = await loadGitlab({ files: source.files, read: guarded }, set.errors);
      if (gitlab) {
        set.gitlab.push(gitlab);
        for (const file of gitlab.files) if (!set.files.includes(file)) set.files.push(file);
      }
    } catch (error) {
      if (error instanceof PipelineError) set.errors.push(error);
      else throw error;
    }
  }
  const github = set.workflows.map((workflow) => githubPipeline(workflow, set.workflows, set.actions));
  const gitlab = set.gitlab.map(gitlabPipeline);
  set.pipelines = [...github, ...gitlab, ...set.pipelines];
  return set;
}

/** `./.github/workflows/x.yml` or `./.github/actions/x` → the repository path it names. */
export function localReference(uses: string): string | undefined {
  if (!uses.startsWith('./')) return undefined;
  return uses.slice(2).replace(/\/+$/, '');
}

function findAction(reference: string, actions: readonly GithubAction[]): GithubAction | undefined {
  return actions.find(
    (action) => action.path === `${reference}/action.yml` || action.path === `${reference}/action.yaml`,
  );
}

const reusableDepth = 4;

/** Commands and `uses` of a job, with those of local actions and reusable workflows it calls. */
function jobContents(
  job: GithubJob,
  workflows: readonly GithubWorkflow[],
  actions: readonly GithubAction[],
  depth: number,
): { commands: YamlScalar[]; uses: YamlScalar[] } {
  const commands: YamlScalar[] = [];
  const uses: YamlScalar[] = [];
  if (depth > reusableDepth) return { commands, uses };
  for (const step of job.steps) {
    if (step.run) commands.push(step.run);
    if (!step.uses) continue;
    uses.push(step.uses);
    const reference = localReference(step.uses.text);
    const action = reference === undefined ? undefined : findAction(reference, actions);
    for (const inner of action?.steps ?? []) {
      if (inner.run) commands.push(inner.run);
      if (inner.uses) uses.push(inner.uses);
    }
    // Inputs given to an action often name the tool it runs (`args: --severity HIGH`, `command: test`).
    for (const input of step.with)
      if (input.value.kind === 'scalar' && input.key === 'command') commands.push(input.value);
  }
  if (job.uses) {
    uses.push(job.uses);
    const reference = localReference(job.uses.text);
    const called = workflows.find((workflow) => workflow.path === reference);
    for (const inner of called?.jobs ?? []) {
      const contents = jobContents(inner, workflows, actions, depth + 1);
      commands.push(...contents.commands);
      uses.push(...contents.uses);
    }
  }
  return { commands, uses };
}

const refPattern =
  /github\.ref\b|github\.ref_name|github\.ref_type|startsWith\(\s*github\.ref|refs\/(heads|tags)\//;

function githubPipeline(
  workflow: GithubWorkflow,
  workflows: readonly GithubWorkflow[],
  actions: readonly GithubAction[],
): Pipeline {
  const pipeline: Pipeline = {
    system: 'github-actions',
    path: workflow.path,
    files: [workflow.path],
    stages: [],
    jobs: [],
  };
  const events = workflow.triggers.map((trigger) => trigger.event);
  const pushOnly = workflow.triggers.every(
    (trigger) =>
      (trigger.event === 'push' && (trigger.branches.length > 0 || trigger.tags.length > 0)) ||
      trigger.event === 'release',
  );
  const push = workflow.triggers.find((trigger) => trigger.event === 'push' || trigger.event === 'release');
  if (pushOnly && push && events.length > 0) {
    const refs = [
      ...push.branches.map((branch) => `branch ${branch}`),
      ...push.tags.map((tag) => `tag ${tag}`),
    ];
    pipeline.triggerRestriction = { text: refs.join(', ') || push.event, position: push.position };
  }
  for (const job of workflow.jobs) {
    const contents = jobContents(job, workflows, actions, 0);
    const generic: PipelineJob = {
      system: 'github-actions',
      pipeline: workflow.path,
      path: workflow.path,
      id: job.id,
      name: job.name ?? job.id,
      position: job.position,
      commands: contents.commands,
      uses: contents.uses,
      images: job.images,
      env: [...workflow.env, ...job.env, ...job.steps.flatMap((step) => step.env)],
      secretRefs: [],
      needs: job.needs,
    };
    const scalarsOfJob = [
      ...contents.commands,
      ...[...workflow.env, ...job.env, ...job.with].flatMap((item) =>
        item.value.kind === 'scalar' ? [item.value] : [],
      ),
      ...job.steps.flatMap((step) =>
        [...step.env, ...step.with].flatMap((item) => (item.value.kind === 'scalar' ? [item.value] : [])),
      ),
      ...(job.secretsValue ?? []),
    ];
    generic.secretRefs = githubSecretRefs(scalarsOfJob);
    if (job.environment) {
      generic.environment = job.environment;
      generic.manualGate = { kind: 'environment', position: job.environment.position };
    }
    const condition = job.if;
    if (condition && refPattern.test(condition.text))
      generic.refRestriction = { text: condition.text, position: condition.position };
    else if (pipeline.triggerRestriction) generic.refRestriction = pipeline.triggerRestriction;
    pipeline.jobs.push(generic);
  }
  return pipeline;
}

function gitlabPipeline(gitlab: NonNullable<PipelineSet['gitlab'][number]>): Pipeline {
  const pipeline: Pipeline = {
    system: 'gitlab-ci',
    path: gitlab.path,
    files: gitlab.files,
    stages: gitlab.stages,
    jobs: [],
  };
  for (const job of gitlab.jobs) {
    const stageIndex = gitlab.stages.indexOf(job.stage);
    // Without `needs`, a job waits for every job of the earlier stages.
    const needs =
      job.needs ??
      gitlab.jobs
        .filter((other) => gitlab.stages.indexOf(other.stage) < stageIndex)
        .map((other) => other.name);
    const generic: PipelineJob = {
      system: 'gitlab-ci',
      pipeline: gitlab.path,
      path: job.path,
      id: job.name,
      name: job.name,
      position: job.position,
      commands: job.scripts,
      uses: [],
      images: [...(job.image ? [job.image] : []), ...job.services],
      env: [...gitlab.variables, ...job.variables],
      secretRefs: variableRefs(job.scripts),
      needs,
      stage: job.stage,
    };
    const action = job.environment?.action;
    if (job.environment && (action === undefined || action === 'start')) {
      generic.environment = { name: job.environment.name, position: job.environment.position };
    }
    if (job.when?.text === 'manual') generic.manualGate = { kind: 'manual-job', position: job.when.position };
    const restriction = job.restrictions.find((value) =>
      /CI_COMMIT_(BRANCH|REF_NAME|TAG)|CI_DEFAULT_BRANCH|^main$|^master$|^tags$|^\/|^release/.test(
        value.text,
      ),
    );
    if (restriction) generic.refRestriction = { text: restriction.text, position: restriction.position };
    pipeline.jobs.push(generic);
  }
  return pipeline;
}

/** `secrets.NAME` in expressions. */
function githubSecretRefs(values: readonly YamlScalar[]): PipelineJob['secretRefs'] {
  const refs: PipelineJob['secretRefs'] = [];
  for (const value of values) {
    for (const match of value.text.matchAll(/\bsecrets\.([A-Za-z_][A-Za-z0-9_]{0,100})/g)) {
      const name = match[1] ?? '';
      if (name === 'GITHUB_TOKEN' || refs.some((ref) => ref.name === name)) continue;
      refs.push({ name, position: positionWithin(value, match[0]) });
    }
  }
  return refs;
}

const secretLikeVariable =
  /(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|CREDENTIAL|(^|_)(PROD|PRODUCTION|PRD|LIVE)(_|$))/;

/** `$NAME` / `${NAME}` in scripts whose name looks like a secret (CI variables set on the forge). */
function variableRefs(values: readonly YamlScalar[]): PipelineJob['secretRefs'] {
  const refs: PipelineJob['secretRefs'] = [];
  for (const value of values) {
    for (const match of value.text.matchAll(/\$\{?([A-Z_][A-Z0-9_]{0,100})\}?/g)) {
      const name = match[1] ?? '';
      if (name.startsWith('CI_') || !secretLikeVariable.test(name) || refs.some((ref) => ref.name === name))
        continue;
      refs.push({ name, position: positionWithin(value, match[0]) });
    }
  }
  return refs;
}
