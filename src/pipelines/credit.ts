import type { GithubJob, GithubStep, GithubWorkflow, PipelineSet } from './model.js';
import type { YamlScalar } from './yaml.js';

/**
 * When a pipeline activity earns credit. A job that never runs on a change, a step that is
 * switched off, a command that only prints the tool's name or swallows its failure, and a step
 * whose failure does not fail the run all look like CI and prove nothing. Pure.
 */

/** GitHub events that run a workflow for every change reaching the default branch. */
const changeEvents = new Set(['push', 'pull_request', 'pull_request_target', 'merge_group']);

/** `if:` values that can never be true: the job or step never runs. */
export function isNeverTrue(condition: YamlScalar | undefined): boolean {
  if (condition === undefined) return false;
  const text = condition.text
    .trim()
    .replace(/^\$\{\{\s*/, '')
    .replace(/\s*\}\}$/, '')
    .trim()
    .toLowerCase();
  return text === 'false' || text === '0' || text === "''" || text === '""' || text === 'null';
}

/** `continue-on-error: true` (an expression might be true: said as well, as it may be). */
export function continuesOnError(value: YamlScalar | undefined): boolean {
  if (value === undefined || value.text.trim() === '') return false;
  return !isNeverTrue(value);
}

/** Why a workflow does not run on changes, or undefined when it does. */
export function workflowNotOnChanges(workflow: GithubWorkflow): string | undefined {
  const events = [...new Set(workflow.triggers.map((trigger) => trigger.event))];
  if (events.some((event) => changeEvents.has(event))) return undefined;
  return events.length === 0
    ? `${workflow.path} has no trigger`
    : `${workflow.path} runs only on ${events.join(', ')}, not on pushes or pull requests`;
}

/** Why a job of a workflow never counts, or undefined. */
export function jobNotRunning(job: GithubJob): string | undefined {
  if (isNeverTrue(job.if)) return `job ${job.id} is switched off (if: ${job.if?.text})`;
  if (continuesOnError(job.continueOnError)) {
    return `job ${job.id} has continue-on-error, so its failure never fails the run`;
  }
  return undefined;
}

/** Why a step never counts, or undefined. */
export function stepNotRunning(step: GithubStep): string | undefined {
  const name = step.name ?? step.id ?? `step ${step.index + 1}`;
  if (isNeverTrue(step.if)) return `${name} is switched off (if: ${step.if?.text})`;
  if (continuesOnError(step.continueOnError)) {
    return `${name} has continue-on-error, so its failure never fails the job`;
  }
  return undefined;
}

/**
 * Why one command line does not really run its tool, or undefined: it only prints (`echo`,
 * `printf`, `true`, `:`), or it swallows the tool's failure (`|| true`, `|| exit 0`, `|| :`).
 */
export function hollowCommand(line: string): string | undefined {
  const text = line
    .trim()
    .replace(/^-\s+/, '')
    .replace(/^(run|script|command|cmd)\s*:\s*/i, '')
    .replace(/^["']/, '')
    .trim();
  if (/^(echo|printf|true|:|#)(\s|$)/.test(text)) return 'only prints it';
  if (/\|\|\s*(true|:|exit\s+0)\b/.test(text) || /\|\|\s*:\s*$/.test(text)) return 'ignores its failure';
  if (/;\s*(true|exit\s+0)\s*$/.test(text)) return 'ignores its failure';
  return undefined;
}

/** The step of a job written at or before `line` (steps are listed in file order). */
export function stepAt(job: GithubJob, line: number): GithubStep | undefined {
  let found: GithubStep | undefined;
  for (const step of job.steps) if (step.position.line <= line) found = step;
  return found;
}

/**
 * Why an activity a job seems to perform earns no credit, or undefined when it does. `path` is the
 * pipeline's file, `jobId` the job, `line` and `text` the command (or action) that names the tool.
 */
export function whyNotCredited(
  set: PipelineSet,
  path: string,
  jobId: string,
  line: number,
  text: string | undefined,
): string | undefined {
  const workflow = set.workflows.find((candidate) => candidate.path === path);
  if (workflow) {
    const notOnChanges = workflowNotOnChanges(workflow);
    if (notOnChanges) return notOnChanges;
    const job = workflow.jobs.find((candidate) => candidate.id === jobId);
    if (job) {
      const jobReason = jobNotRunning(job);
      if (jobReason) return jobReason;
      const step = stepAt(job, line);
      const stepReason = step ? stepNotRunning(step) : undefined;
      if (stepReason) return stepReason;
    }
  }
  const hollow = text === undefined ? undefined : hollowCommand(text);
  return hollow ? `the command at ${path}:${line} ${hollow}` : undefined;
}
