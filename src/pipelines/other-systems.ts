import { PipelineError } from './errors.js';
import type { Pipeline, PipelineJob } from './model.js';
import { type CiSystem, ciSystemOf } from './systems.js';
import {
  entries,
  field,
  items,
  type Position,
  parseYaml,
  scalars,
  text,
  type YamlScalar,
  type YamlValue,
} from './yaml.js';

/** The systems read here (by structure, not every detail); GitHub and GitLab have their own readers. */
export const otherSystems = [
  'jenkins',
  'circleci',
  'azure-pipelines',
  'bitbucket-pipelines',
  'buildkite',
] as const;
type OtherSystem = (typeof otherSystems)[number];

function isOtherSystem(system: CiSystem | undefined): system is OtherSystem {
  return otherSystems.some((other) => other === system);
}

/** The system read here that keeps its pipeline at `path`, or undefined. */
export function systemOfPath(path: string): OtherSystem | undefined {
  const system = ciSystemOf(path);
  return isOtherSystem(system) ? system : undefined;
}

export function parseOtherSystem(
  system: NonNullable<ReturnType<typeof systemOfPath>>,
  path: string,
  source: string,
): Pipeline {
  if (system === 'jenkins') return parseJenkinsfile(path, source);
  const root = parseYaml(path, source);
  if (root?.kind !== 'map') {
    throw new PipelineError(
      'PIPELINE_NOT_A_MAPPING',
      `${path} is not a ${system} pipeline (expected a mapping)`,
      {
        location: root?.position ?? { path, line: 1, column: 1 },
      },
    );
  }
  const pipeline: Pipeline = { system, path, files: [path], stages: [], jobs: [] };
  if (system === 'circleci') readCircleci(root, pipeline);
  else if (system === 'azure-pipelines') readAzure(root, pipeline);
  else if (system === 'bitbucket-pipelines') readBitbucket(root, pipeline);
  else readBuildkite(root, pipeline);
  return pipeline;
}

function newJob(pipeline: Pipeline, id: string, position: Position, name = id): PipelineJob {
  const job: PipelineJob = {
    system: pipeline.system,
    pipeline: pipeline.path,
    path: position.path,
    id,
    name,
    position,
    commands: [],
    uses: [],
    images: [],
    env: [],
    secretRefs: [],
    needs: [],
  };
  pipeline.jobs.push(job);
  return job;
}

function syntheticScalar(textValue: string, position: Position): YamlScalar {
  return { kind: 'scalar', text: textValue, isNull: false, position, raw: textValue };
}

const maxJenkinsLines = 20_000;

/** Declarative or scripted Jenkinsfile: one job per `stage('…')`, in order, with its `sh` steps. */
export function parseJenkinsfile(path: string, source: string): Pipeline {
  const pipeline: Pipeline = { system: 'jenkins', path, files: [path], stages: [], jobs: [] };
  const lines = source.split('\n').slice(0, maxJenkinsLines);
  let current: PipelineJob | undefined;
  for (const [index, line] of lines.entries()) {
    if (line.length > 2000) continue;
    const position = { path, line: index + 1, column: 1 };
    const stage = /\bstage\s*\(\s*(['"])([^'"]{1,200})\1/.exec(line);
    if (stage?.[2]) {
      const previous = current;
      current = newJob(pipeline, stage[2], { ...position, column: stage.index + 1 });
      pipeline.stages.push(stage[2]);
      if (previous) current.needs.push(previous.id);
      continue;
    }
    if (!current) continue;
    const step = /\b(sh|bat|powershell|pwsh)\s*\(?\s*(?:script\s*:\s*)?(['"]{1,3})(.{0,1000}?)(?:\2|$)/.exec(
      line,
    );
    if (step?.[3] !== undefined)
      current.commands.push(syntheticScalar(step[3], { ...position, column: step.index + 1 }));
    if (/^\s*input\b/.test(line) && !current.manualGate)
      current.manualGate = { kind: 'manual-job', position };
    const branch = /\bbranch\s+['"]([^'"]{1,200})['"]/.exec(line);
    if (branch?.[1] && !current.refRestriction) current.refRestriction = { text: branch[1], position };
    const environment = /\benvironment\s*(?:name\s*:\s*)?['"]([^'"]{1,100})['"]/.exec(line);
    if (environment?.[1] && !current.environment) current.environment = { name: environment[1], position };
  }
  return pipeline;
}

function readCircleci(root: YamlValue, pipeline: Pipeline): void {
  const byName = new Map<string, PipelineJob>();
  for (const item of entries(field(root, 'jobs'))) {
    const job = newJob(pipeline, item.key, item.keyPosition);
    byName.set(item.key, job);
    for (const docker of items(field(item.value, 'docker'))) {
      const image = field(docker, 'image');
      if (image?.kind === 'scalar' && !image.isNull) job.images.push(image);
    }
    job.env.push(...entries(field(item.value, 'environment')));
    for (const step of items(field(item.value, 'steps'))) {
      if (step.kind === 'scalar') {
        job.uses.push(step);
        continue;
      }
      for (const command of entries(step)) {
        if (command.key === 'run') {
          const run = command.value.kind === 'map' ? field(command.value, 'command') : command.value;
          if (run?.kind === 'scalar' && !run.isNull) job.commands.push(run);
        } else {
          job.uses.push(syntheticScalar(command.key, command.keyPosition));
        }
      }
    }
  }
  for (const workflow of entries(field(root, 'workflows'))) {
    for (const reference of items(field(workflow.value, 'jobs'))) {
      const [first] = entries(reference);
      const name = reference.kind === 'scalar' ? reference.text : first?.key;
      const job = name === undefined ? undefined : byName.get(name);
      if (!first || !job) continue;
      job.needs.push(...scalars(field(first.value, 'requires')).map((need) => need.text));
      const branches = field(field(first.value, 'filters'), 'branches');
      const only = scalars(field(branches, 'only'))[0];
      if (only && !job.refRestriction) job.refRestriction = { text: only.text, position: only.position };
      const context = scalars(field(first.value, 'context'))[0];
      if (context && !job.environment) job.environment = { name: context.text, position: context.position };
      if (text(field(first.value, 'type')) === 'approval')
        job.manualGate = { kind: 'manual-job', position: first.keyPosition };
    }
  }
  // A job that requires an approval job is gated by it.
  for (const job of pipeline.jobs) {
    const gate = job.needs.map((need) => byName.get(need)).find((need) => need?.manualGate);
    if (gate?.manualGate && !job.manualGate) job.manualGate = gate.manualGate;
  }
}

function readAzure(root: YamlValue, pipeline: Pipeline): void {
  const stages = items(field(root, 'stages'));
  const readJobs = (jobsValue: YamlValue | undefined, stage?: string) => {
    for (const item of items(jobsValue)) {
      const jobName = field(item, 'job') ?? field(item, 'deployment');
      const id = text(jobName) ?? `job-${pipeline.jobs.length + 1}`;
      const job = newJob(
        pipeline,
        id,
        jobName?.position ?? item.position,
        text(field(item, 'displayName')) ?? id,
      );
      if (stage !== undefined) job.stage = stage;
      job.needs.push(...scalars(field(item, 'dependsOn')).map((need) => need.text));
      const environment = field(item, 'environment');
      const environmentName = environment?.kind === 'map' ? field(environment, 'name') : environment;
      if (environmentName?.kind === 'scalar' && !environmentName.isNull) {
        job.environment = { name: environmentName.text, position: environmentName.position };
        job.manualGate = { kind: 'environment', position: environmentName.position };
      }
      const condition = field(item, 'condition');
      if (condition?.kind === 'scalar' && /Build\.SourceBranch/.test(condition.text))
        job.refRestriction = { text: condition.text, position: condition.position };
      const steps = [
        ...items(field(item, 'steps')),
        ...items(field(field(field(field(item, 'strategy'), 'runOnce'), 'deploy'), 'steps')),
      ];
      readAzureSteps(steps, job);
      const container = field(item, 'container');
      if (container?.kind === 'scalar' && !container.isNull) job.images.push(container);
      job.env.push(...entries(field(item, 'variables')));
    }
  };
  if (stages.length > 0) {
    for (const stage of stages) {
      const name = text(field(stage, 'stage'));
      if (name !== undefined) pipeline.stages.push(name);
      readJobs(field(stage, 'jobs'), name);
    }
  } else if (field(root, 'jobs')) {
    readJobs(field(root, 'jobs'));
  } else if (field(root, 'steps')) {
    const job = newJob(pipeline, 'steps', root.position, 'steps');
    readAzureSteps(items(field(root, 'steps')), job);
  }
}

function readAzureSteps(steps: YamlValue[], job: PipelineJob): void {
  for (const step of steps) {
    for (const key of ['script', 'bash', 'pwsh', 'powershell']) {
      const command = field(step, key);
      if (command?.kind === 'scalar' && !command.isNull) job.commands.push(command);
    }
    const task = field(step, 'task');
    if (task?.kind === 'scalar' && !task.isNull) job.uses.push(task);
    job.env.push(...entries(field(step, 'env')));
  }
}

function readBitbucket(root: YamlValue, pipeline: Pipeline): void {
  const defaultImage = field(root, 'image');
  const sections = field(root, 'pipelines');
  const readSteps = (list: YamlValue | undefined, restriction?: { text: string; position: Position }) => {
    let previous: PipelineJob | undefined;
    for (const item of items(list)) {
      const nested = field(item, 'parallel') ?? field(field(item, 'stage'), 'steps');
      if (nested) {
        readSteps(field(nested, 'steps') ?? nested, restriction);
        continue;
      }
      const step = field(item, 'step');
      if (!step) continue;
      const job = newJob(
        pipeline,
        `step-${pipeline.jobs.length + 1}`,
        step.position,
        text(field(step, 'name')) ?? `step ${pipeline.jobs.length + 1}`,
      );
      if (previous) job.needs.push(previous.id);
      previous = job;
      const image = field(step, 'image') ?? defaultImage;
      const imageName = image?.kind === 'map' ? field(image, 'name') : image;
      if (imageName?.kind === 'scalar' && !imageName.isNull) job.images.push(imageName);
      for (const line of items(field(step, 'script'))) {
        if (line.kind === 'scalar' && !line.isNull) job.commands.push(line);
        const pipe = field(line, 'pipe');
        if (pipe?.kind === 'scalar' && !pipe.isNull) job.uses.push(pipe);
      }
      const deployment = field(step, 'deployment');
      if (deployment?.kind === 'scalar' && !deployment.isNull)
        job.environment = { name: deployment.text, position: deployment.position };
      const trigger = field(step, 'trigger');
      if (text(trigger) === 'manual' && trigger)
        job.manualGate = { kind: 'manual-job', position: trigger.position };
      if (restriction) job.refRestriction = restriction;
    }
  };
  readSteps(field(sections, 'default'));
  for (const key of ['branches', 'tags']) {
    for (const branch of entries(field(sections, key))) {
      readSteps(branch.value, { text: `${key}: ${branch.key}`, position: branch.keyPosition });
    }
  }
  for (const key of ['pull-requests', 'custom']) {
    for (const group of entries(field(sections, key))) readSteps(group.value);
  }
}

function readBuildkite(root: YamlValue, pipeline: Pipeline): void {
  let waitFor: string[] = [];
  let block: Position | undefined;
  for (const step of items(field(root, 'steps'))) {
    if (step.kind === 'scalar') {
      if (step.text === 'wait') waitFor = pipeline.jobs.map((job) => job.id);
      continue;
    }
    if (field(step, 'wait') !== undefined) {
      waitFor = pipeline.jobs.map((job) => job.id);
      continue;
    }
    const blockStep = field(step, 'block') ?? field(step, 'input');
    if (blockStep) {
      block = blockStep.position;
      waitFor = pipeline.jobs.map((job) => job.id);
      continue;
    }
    const label = text(field(step, 'label')) ?? text(field(step, 'name'));
    const key = text(field(step, 'key')) ?? text(field(step, 'id')) ?? `step-${pipeline.jobs.length + 1}`;
    const job = newJob(pipeline, key, step.position, label ?? key);
    job.needs.push(...waitFor, ...scalars(field(step, 'depends_on')).map((need) => need.text));
    job.commands.push(...scalars(field(step, 'command')), ...scalars(field(step, 'commands')));
    for (const plugin of items(field(step, 'plugins'))) {
      for (const item of entries(plugin)) job.uses.push(syntheticScalar(item.key, item.keyPosition));
      if (plugin.kind === 'scalar') job.uses.push(plugin);
    }
    job.env.push(...entries(field(step, 'env')));
    const branches = field(step, 'branches');
    if (branches?.kind === 'scalar' && !branches.isNull)
      job.refRestriction = { text: branches.text, position: branches.position };
    if (block) job.manualGate = { kind: 'manual-job', position: block };
    const concurrencyGroup = text(field(step, 'concurrency_group'));
    if (concurrencyGroup && /deploy/i.test(concurrencyGroup) && !job.environment)
      job.environment = { name: concurrencyGroup, position: step.position };
  }
}
