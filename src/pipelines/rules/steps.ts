import type { GithubJob, GithubStep, GithubWorkflow, PipelineSet } from '../model.js';
import type { YamlEntry, YamlScalar } from '../yaml.js';

/** A GitHub step with what surrounds it: its job and workflow (none for a local action's steps). */
export interface StepContext {
  path: string;
  step: GithubStep;
  steps: readonly GithubStep[];
  job?: GithubJob;
  workflow?: GithubWorkflow;
  /** `env:` visible to the step: workflow, job, then step (later wins). */
  env: readonly YamlEntry[];
}

export function githubSteps(set: PipelineSet): StepContext[] {
  const contexts: StepContext[] = [];
  for (const workflow of set.workflows) {
    for (const job of workflow.jobs) {
      for (const step of job.steps) {
        contexts.push({
          path: workflow.path,
          step,
          steps: job.steps,
          job,
          workflow,
          env: [...workflow.env, ...job.env, ...step.env],
        });
      }
    }
  }
  for (const action of set.actions) {
    for (const step of action.steps)
      contexts.push({ path: action.path, step, steps: action.steps, env: step.env });
  }
  return contexts;
}

export function actionNameOf(uses: string): string {
  const at = uses.indexOf('@');
  return (at === -1 ? uses : uses.slice(0, at)).toLowerCase();
}

/** Scripts a step runs: `run:`, and `script:` of actions/github-script. */
export function stepScripts(step: GithubStep): YamlScalar[] {
  const scripts: YamlScalar[] = [];
  if (step.run) scripts.push(step.run);
  if (step.uses && actionNameOf(step.uses.text) === 'actions/github-script') {
    const script = step.with.find((input) => input.key === 'script')?.value;
    if (script?.kind === 'scalar' && !script.isNull) scripts.push(script);
  }
  return scripts;
}

/** `${{ … }}`; a quoted string inside may hold braces (`format('{0}', …)`). */
const expressionPattern = /\$\{\{((?:'[^']{0,2000}'|[^'}]|\}(?!\})){0,2000})\}\}/g;

/** Every `${{ … }}` in a text, with its full match. */
export function expressionsIn(value: string): { match: string; body: string }[] {
  const found: { match: string; body: string }[] = [];
  for (const match of value.matchAll(expressionPattern))
    found.push({ match: match[0], body: match[1] ?? '' });
  return found;
}

export function triggersOf(workflow: GithubWorkflow | undefined): Set<string> {
  return new Set(workflow?.triggers.map((trigger) => trigger.event) ?? []);
}
