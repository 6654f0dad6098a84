import type { GithubStep } from '../model.js';
import { actionNameOf, githubSteps, triggersOf } from './steps.js';
import { findingOfRule, type PipelineRule, type RuleFinding } from './types.js';

const untrustedRef =
  /github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref|github\.event\.workflow_run\.head_(sha|branch)|refs\/pull\/|github\.event\.pull_request\.merge_commit_sha|github\.event\.pull_request\.head\.repo\.full_name|github\.event\.workflow_run\.head_repository\.full_name/;

/** A later step runs code from the workspace: a script, or a local action. */
function runsCodeAfter(steps: readonly GithubStep[], index: number): GithubStep | undefined {
  return steps.slice(index + 1).find((step) => step.run !== undefined || step.uses?.text.startsWith('./'));
}

export const untrustedCheckout: PipelineRule = {
  id: 'pipelines/untrusted-checkout',
  title: 'A privileged workflow checks out and runs pull-request code',
  severity: 'critical',
  group: 'no-dangerous-patterns',
  remediation:
    'In pull_request_target and workflow_run workflows, do not check out the pull request head and run it; use a pull_request workflow (no secrets, read-only token) for building untrusted code, and pass results as data.',
  evaluate(set) {
    const findings: RuleFinding[] = [];
    for (const context of githubSteps(set)) {
      const triggers = triggersOf(context.workflow);
      if (!triggers.has('pull_request_target') && !triggers.has('workflow_run')) continue;
      const { step } = context;
      let reference: { text: string; position: typeof step.position } | undefined;
      if (step.uses && actionNameOf(step.uses.text) === 'actions/checkout') {
        const input = step.with.find(
          (candidate) =>
            (candidate.key === 'ref' || candidate.key === 'repository') &&
            candidate.value.kind === 'scalar' &&
            untrustedRef.test(candidate.value.text),
        );
        if (input?.value.kind === 'scalar') reference = input.value;
      }
      if (
        step.run &&
        /\bgh pr checkout\b|\bgit (fetch|checkout)\b.*(refs\/pull\/|head_ref|pull_request\.head)/.test(
          step.run.text,
        )
      ) {
        reference = step.run;
      }
      if (!reference) continue;
      const runner = runsCodeAfter(context.steps, step.index);
      if (!runner) continue;
      const event = triggers.has('pull_request_target') ? 'pull_request_target' : 'workflow_run';
      findings.push(
        findingOfRule(
          this,
          `job ${context.job?.id ?? ''} (${event}) checks out untrusted pull-request code and then runs it (step ${runner.name ?? runner.index + 1}) with the workflow's secrets and token.`,
          reference.position,
          `${context.job?.id ?? ''}\0${step.index}`,
        ),
      );
    }
    return findings;
  },
};

const forkTriggers = [
  'pull_request',
  'pull_request_target',
  'issue_comment',
  'pull_request_review',
  'pull_request_review_comment',
];

export const selfHostedOnForkTrigger: PipelineRule = {
  id: 'pipelines/self-hosted-on-fork-trigger',
  title: 'A self-hosted runner runs jobs a fork can trigger',
  severity: 'high',
  group: 'no-dangerous-patterns',
  remediation:
    'Run pull-request and comment-triggered jobs on ephemeral GitHub-hosted runners; keep self-hosted runners for trusted events (push to protected branches), or make them ephemeral and isolated.',
  evaluate(set) {
    const findings: RuleFinding[] = [];
    for (const workflow of set.workflows) {
      const triggers = triggersOf(workflow);
      const event = forkTriggers.find((candidate) => triggers.has(candidate));
      if (!event) continue;
      for (const job of workflow.jobs) {
        const label = job.runsOn.find((candidate) => candidate.text.toLowerCase() === 'self-hosted');
        if (!label) continue;
        findings.push(
          findingOfRule(
            this,
            `job ${job.id} runs on a self-hosted runner and the workflow runs on ${event}, which forks can trigger.`,
            label.position,
            job.id,
          ),
        );
      }
    }
    return findings;
  },
};

const artifactDownloads = /^(actions\/download-artifact|dawidd6\/action-download-artifact)$/;
const cacheActions = /^actions\/cache(\/restore|\/save)?$/;
const setupWithCache = /^actions\/setup-(node|python|go|java|dotnet)$/;

export const artifactTrustBoundary: PipelineRule = {
  id: 'pipelines/artifact-trust-boundary',
  title: 'Artefacts or caches cross from untrusted to privileged workflows',
  severity: 'high',
  group: 'no-dangerous-patterns',
  remediation:
    'Treat artefacts from pull-request workflows as untrusted data: extract them outside the workspace, validate them, never execute them; do not restore or save caches in pull_request_target workflows.',
  evaluate(set) {
    const findings: RuleFinding[] = [];
    for (const context of githubSteps(set)) {
      const triggers = triggersOf(context.workflow);
      const { step } = context;
      const name = step.uses ? actionNameOf(step.uses.text) : '';
      const downloads =
        artifactDownloads.test(name) || (step.run !== undefined && /\bgh run download\b/.test(step.run.text));
      if (triggers.has('workflow_run') && downloads) {
        const runner = runsCodeAfter(context.steps, step.index);
        if (runner) {
          findings.push(
            findingOfRule(
              this,
              `job ${context.job?.id ?? ''} (workflow_run) downloads artefacts of another run and then runs code (step ${runner.name ?? runner.index + 1}): a pull request can plant them.`,
              step.uses?.position ?? step.position,
              `${context.job?.id ?? ''}\0${step.index}\0artifact`,
            ),
          );
        }
      }
      if (!triggers.has('pull_request_target')) continue;
      const cacheInput = step.with.find(
        (input) => input.key === 'cache' && input.value.kind === 'scalar' && !input.value.isNull,
      );
      if (cacheActions.test(name) || (setupWithCache.test(name) && cacheInput)) {
        findings.push(
          findingOfRule(
            this,
            `job ${context.job?.id ?? ''} uses a cache in a pull_request_target workflow: a pull request can poison what the base branch later restores.`,
            step.uses?.position ?? step.position,
            `${context.job?.id ?? ''}\0${step.index}\0cache`,
            { confidence: 'medium' },
          ),
        );
      }
    }
    return findings;
  },
};
