import type { PipelineError } from './errors.js';
import type { CiSystem } from './systems.js';
import type { Position, YamlEntry, YamlScalar, YamlValue } from './yaml.js';

export type { CiSystem } from './systems.js';

export interface GithubTrigger {
  event: string;
  position: Position;
  branches: string[];
  tags: string[];
}

export interface PermissionScope {
  scope: string;
  access: string;
  position: Position;
}

/** `permissions:` as written: a shorthand (`write-all`, `read-all`, `{}`) or scopes. */
export interface PermissionsBlock {
  position: Position;
  shorthand?: 'write-all' | 'read-all' | 'none';
  scopes: PermissionScope[];
}

export interface GithubStep {
  index: number;
  position: Position;
  name?: string;
  id?: string;
  uses?: YamlScalar;
  run?: YamlScalar;
  with: YamlEntry[];
  /** `with:` written as one expression (`with: ${{ fromJSON(…) }}`): inputs no reader can see. */
  withExpression?: YamlScalar;
  env: YamlEntry[];
  if?: YamlScalar;
  /** `continue-on-error:` as written: a failing step then does not fail the job. */
  continueOnError?: YamlScalar;
}

export interface GithubJob {
  id: string;
  position: Position;
  name?: string;
  runsOn: YamlScalar[];
  permissions?: PermissionsBlock;
  needs: string[];
  if?: YamlScalar;
  /** `continue-on-error:` as written: a failing job then does not fail the run. */
  continueOnError?: YamlScalar;
  environment?: { name: string; position: Position };
  /** Images of `container:` and `services:`. */
  images: YamlScalar[];
  steps: GithubStep[];
  /** A call to a reusable workflow (`jobs.<id>.uses`). */
  uses?: YamlScalar;
  /** `secrets: inherit`, where written. */
  secretsInherit?: Position;
  /** Values of a `secrets:` mapping passed to a reusable workflow. */
  secretsValue?: YamlScalar[];
  with: YamlEntry[];
  env: YamlEntry[];
  /** The raw `strategy.matrix`, to read environment names a matrix deploys to. */
  matrix?: YamlValue;
}

export interface GithubWorkflow {
  kind: 'workflow';
  path: string;
  name?: string;
  position: Position;
  triggers: GithubTrigger[];
  permissions?: PermissionsBlock;
  env: YamlEntry[];
  jobs: GithubJob[];
}

/** A local action (`action.yml`): composite steps, or a Docker image. */
export interface GithubAction {
  kind: 'action';
  path: string;
  position: Position;
  using?: string;
  steps: GithubStep[];
  image?: YamlScalar;
}

export interface GitlabJob {
  name: string;
  /** The file the job is written in (the root file or an included one). */
  path: string;
  position: Position;
  stage: string;
  image?: YamlScalar;
  services: YamlScalar[];
  scripts: YamlScalar[];
  needs?: string[];
  dependencies: string[];
  when?: YamlScalar;
  environment?: { name: string; position: Position; action?: string };
  /** `rules:`, `only:` and `except:` as text, to see branch and tag restrictions. */
  restrictions: YamlScalar[];
  variables: YamlEntry[];
  extends: string[];
  /** `cache:` of the job (or inherited from `default:`/the top level), unless every entry only pushes. */
  cache?: Position;
}

export interface GitlabPipeline {
  path: string;
  files: string[];
  stages: string[];
  jobs: GitlabJob[];
  variables: YamlEntry[];
}

/**
 * The same few facts for every CI system, for evidence: what a job runs, where it deploys,
 * what it waits for.
 */
export interface PipelineJob {
  system: CiSystem;
  /** The pipeline's main file. */
  pipeline: string;
  path: string;
  id: string;
  name: string;
  position: Position;
  commands: YamlScalar[];
  /** Actions, orbs, tasks, plugins, images a job refers to by name. */
  uses: YamlScalar[];
  images: YamlScalar[];
  env: YamlEntry[];
  /** Secrets and secret-like variables the job refers to (`secrets.X`, `$PROD_TOKEN`). */
  secretRefs: { name: string; position: Position }[];
  environment?: { name: string; position: Position };
  /** Jobs this one waits for directly. */
  needs: string[];
  stage?: string;
  /** Where a person must approve before the job runs (GitLab `when: manual`, GitHub environment). */
  manualGate?: { kind: 'manual-job' | 'environment'; position: Position };
  /** Where the job is restricted to branches or tags (a job `if:`, `rules:`, `only:`). */
  refRestriction?: { text: string; position: Position };
}

export interface Pipeline {
  system: CiSystem;
  path: string;
  files: string[];
  /** Stage order, where the system has stages. */
  stages: string[];
  jobs: PipelineJob[];
  /** Branches or tags pushes trigger on, where the pipeline says (GitHub `on.push`). */
  triggerRestriction?: { text: string; position: Position };
}

export interface PipelineSet {
  workflows: GithubWorkflow[];
  actions: GithubAction[];
  gitlab: GitlabPipeline[];
  pipelines: Pipeline[];
  /** Files that could not be parsed; the others go on. */
  errors: PipelineError[];
  /** Every pipeline file looked at. */
  files: string[];
}
