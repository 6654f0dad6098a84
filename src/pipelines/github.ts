import { PipelineError } from './errors.js';
import type {
  GithubAction,
  GithubJob,
  GithubStep,
  GithubTrigger,
  GithubWorkflow,
  PermissionsBlock,
} from './model.js';
import { entries, entry, field, items, parseYaml, scalars, text, type YamlValue } from './yaml.js';

export { isWorkflowPath } from './systems.js';

/** A local composite or Docker action: under .github/actions/, or the repository's own root action. */
export function isLocalActionPath(path: string): boolean {
  return /^\.github\/actions\/(?:[^/]+\/){1,6}action\.ya?ml$/.test(path) || /^action\.ya?ml$/.test(path);
}

/** Parses a GitHub Actions workflow file; throws a located PipelineError when it is not one. */
export function parseWorkflow(path: string, source: string): GithubWorkflow {
  const root = parseYaml(path, source);
  if (root?.kind !== 'map') {
    throw new PipelineError('PIPELINE_NOT_A_MAPPING', `${path} is not a workflow (expected a mapping)`, {
      location: root ? root.position : { path, line: 1, column: 1 },
    });
  }
  const workflow: GithubWorkflow = {
    kind: 'workflow',
    path,
    position: root.position,
    triggers: parseTriggers(entry(root, 'on') ?? entry(root, 'true')),
    env: entries(field(root, 'env')),
    jobs: [],
  };
  const name = text(field(root, 'name'));
  if (name !== undefined) workflow.name = name;
  const permissions = parsePermissions(field(root, 'permissions'));
  if (permissions) workflow.permissions = permissions;
  for (const job of entries(field(root, 'jobs')))
    workflow.jobs.push(parseJob(job.key, job.keyPosition, job.value));
  return workflow;
}

/** Parses a local action's `action.yml`. */
export function parseAction(path: string, source: string): GithubAction {
  const root = parseYaml(path, source);
  if (root?.kind !== 'map') {
    throw new PipelineError('PIPELINE_NOT_A_MAPPING', `${path} is not an action (expected a mapping)`, {
      location: root ? root.position : { path, line: 1, column: 1 },
    });
  }
  const runs = field(root, 'runs');
  const action: GithubAction = {
    kind: 'action',
    path,
    position: root.position,
    steps: items(field(runs, 'steps')).map(parseStep),
  };
  const using = text(field(runs, 'using'));
  if (using !== undefined) action.using = using;
  const image = field(runs, 'image');
  if (image?.kind === 'scalar' && !image.isNull) action.image = image;
  return action;
}

function parseTriggers(on: ReturnType<typeof entry>): GithubTrigger[] {
  if (!on) return [];
  const value = on.value;
  const triggers: GithubTrigger[] = [];
  if (value.kind === 'scalar' || value.kind === 'seq') {
    for (const event of scalars(value)) {
      triggers.push({ event: event.text, position: event.position, branches: [], tags: [] });
    }
    return triggers;
  }
  for (const event of value.entries) {
    triggers.push({
      event: event.key,
      position: event.keyPosition,
      branches: scalars(field(event.value, 'branches')).map((branch) => branch.text),
      tags: scalars(field(event.value, 'tags')).map((tag) => tag.text),
    });
  }
  return triggers;
}

export function parsePermissions(value: YamlValue | undefined): PermissionsBlock | undefined {
  if (!value) return undefined;
  if (value.kind === 'scalar') {
    const shorthand = value.text === 'write-all' || value.text === 'read-all' ? value.text : undefined;
    const block: PermissionsBlock = { position: value.position, scopes: [] };
    if (shorthand) block.shorthand = shorthand;
    else if (value.isNull) block.shorthand = 'none';
    return block;
  }
  if (value.kind === 'map') {
    const block: PermissionsBlock = {
      position: value.position,
      scopes: value.entries.map((scope) => ({
        scope: scope.key,
        access: text(scope.value) ?? '',
        position: scope.keyPosition,
      })),
    };
    if (value.entries.length === 0) block.shorthand = 'none';
    return block;
  }
  return { position: value.position, scopes: [] };
}

function parseJob(id: string, position: GithubJob['position'], value: YamlValue): GithubJob {
  const job: GithubJob = {
    id,
    position,
    runsOn: [],
    needs: scalars(field(value, 'needs')).map((need) => need.text),
    images: [],
    steps: items(field(value, 'steps')).map(parseStep),
    with: entries(field(value, 'with')),
    env: entries(field(value, 'env')),
  };
  const runsOn = field(value, 'runs-on');
  job.runsOn =
    runsOn?.kind === 'map'
      ? [...scalars(field(runsOn, 'labels')), ...scalars(field(runsOn, 'group'))]
      : scalars(runsOn);
  const name = text(field(value, 'name'));
  if (name !== undefined) job.name = name;
  const permissions = parsePermissions(field(value, 'permissions'));
  if (permissions) job.permissions = permissions;
  const condition = field(value, 'if');
  if (condition?.kind === 'scalar' && !condition.isNull) job.if = condition;
  const jobContinues = field(value, 'continue-on-error');
  if (jobContinues?.kind === 'scalar' && !jobContinues.isNull) job.continueOnError = jobContinues;
  const environment = field(value, 'environment');
  const environmentName = environment?.kind === 'map' ? field(environment, 'name') : environment;
  if (environmentName?.kind === 'scalar' && !environmentName.isNull) {
    job.environment = { name: environmentName.text, position: environmentName.position };
  }
  const container = field(value, 'container');
  const containerImage = container?.kind === 'map' ? field(container, 'image') : container;
  if (containerImage?.kind === 'scalar' && !containerImage.isNull) job.images.push(containerImage);
  for (const service of entries(field(value, 'services'))) {
    const image = service.value.kind === 'map' ? field(service.value, 'image') : service.value;
    if (image?.kind === 'scalar' && !image.isNull) job.images.push(image);
  }
  const uses = field(value, 'uses');
  if (uses?.kind === 'scalar' && !uses.isNull) job.uses = uses;
  const secrets = field(value, 'secrets');
  if (secrets?.kind === 'scalar' && secrets.text === 'inherit') job.secretsInherit = secrets.position;
  if (secrets?.kind === 'map') {
    job.secretsValue = secrets.entries.flatMap((item) => (item.value.kind === 'scalar' ? [item.value] : []));
  }
  const matrix = field(field(value, 'strategy'), 'matrix');
  if (matrix) job.matrix = matrix;
  return job;
}

function parseStep(value: YamlValue, index: number): GithubStep {
  const step: GithubStep = {
    index,
    position: value.position,
    with: entries(field(value, 'with')),
    env: entries(field(value, 'env')),
  };
  const name = text(field(value, 'name'));
  if (name !== undefined) step.name = name;
  const id = text(field(value, 'id'));
  if (id !== undefined) step.id = id;
  const uses = field(value, 'uses');
  if (uses?.kind === 'scalar' && !uses.isNull) step.uses = uses;
  const run = field(value, 'run');
  if (run?.kind === 'scalar' && !run.isNull) step.run = run;
  const withValue = field(value, 'with');
  if (withValue?.kind === 'scalar' && !withValue.isNull) step.withExpression = withValue;
  const condition = field(value, 'if');
  if (condition?.kind === 'scalar' && !condition.isNull) step.if = condition;
  const continues = field(value, 'continue-on-error');
  if (continues?.kind === 'scalar' && !continues.isNull) step.continueOnError = continues;
  return step;
}
