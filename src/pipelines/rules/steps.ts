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

/** Actions that run one of their inputs as code (a script or a command line), and that input. */
const scriptInputs: Readonly<Record<string, string>> = {
  'actions/github-script': 'script',
  'amadevus/pwsh-script': 'script',
  'azure/cli': 'inlinescript',
  'azure/powershell': 'inlinescript',
  'mikefarah/yq': 'cmd',
  'addnab/docker-run-action': 'run',
  'jannekem/run-python-script-action': 'script',
};

/** Scripts a step runs: `run:`, and the script input of actions that run one (github-script…). */
export function stepScripts(step: GithubStep): YamlScalar[] {
  const scripts: YamlScalar[] = [];
  if (step.run) scripts.push(step.run);
  const scriptInput = step.uses ? scriptInputs[actionNameOf(step.uses.text)] : undefined;
  if (scriptInput) {
    const script = step.with.find((input) => input.key.toLowerCase() === scriptInput)?.value;
    if (script?.kind === 'scalar' && !script.isNull) scripts.push(script);
  }
  return scripts;
}

/** `${{ … }}`; a quoted string inside may hold braces (`format('{0}', …)`). */
const expressionPattern = /\$\{\{((?:'[^']{0,2000}'|[^'}]|\}(?!\})){0,2000})\}\}/g;

/** Every `${{ … }}` in a text, with its full match and how many identical ones come before it. */
export function expressionsIn(value: string): { match: string; body: string; index: number }[] {
  const found: { match: string; body: string; index: number }[] = [];
  const counts = new Map<string, number>();
  for (const match of value.matchAll(expressionPattern)) {
    const index = counts.get(match[0]) ?? 0;
    counts.set(match[0], index + 1);
    found.push({ match: match[0], body: match[1] ?? '', index });
  }
  return found;
}

export function triggersOf(workflow: GithubWorkflow | undefined): Set<string> {
  return new Set(workflow?.triggers.map((trigger) => trigger.event) ?? []);
}
