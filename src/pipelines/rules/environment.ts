import type { YamlEntry, YamlScalar } from '../yaml.js';
import { positionWithin } from '../yaml.js';
import { expressionsIn, githubSteps, stepScripts, triggersOf } from './steps.js';
import { findingOfRule, type PipelineRule, type RuleFinding } from './types.js';

/** Every scalar of a step a `${{ }}` expression can sit in: scripts, `with:`, `env:`, `if:`. */
function stepScalars(step: ReturnType<typeof githubSteps>[number]['step']): YamlScalar[] {
  const scalars: YamlScalar[] = [...stepScripts(step)];
  for (const entry of [...step.with, ...step.env])
    if (entry.value.kind === 'scalar') scalars.push(entry.value);
  if (step.if) scalars.push(step.if);
  return scalars;
}

/** `toJSON(secrets)` or `secrets[…]`: the step receives every secret, not the ones it needs. */
const allSecrets = /\btoJSON\s*\(\s*secrets\s*\)|\bsecrets\s*\[/i;

export const overProvisionedSecrets: PipelineRule = {
  id: 'pipelines/over-provisioned-secrets',
  title: 'A step receives every secret of the repository',
  severity: 'high',
  group: 'least-privilege',
  remediation:
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    'Pass only the secrets the step needs, each by name (`${{ secrets.NPM_TOKEN }}`); `toJSON(secrets)` and `secrets[name]` hand it all of them.',
  evaluate(set) {
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    for (const context of githubSteps(set)) {
      const scalars = stepScalars(context.step);
      if (context.step.index === 0) {
        // Job- and workflow-level env once per job, not once per step.
        for (const entry of [...(context.workflow?.env ?? []), ...(context.job?.env ?? [])])
          if (entry.value.kind === 'scalar') scalars.push(entry.value);
      }
      for (const scalar of scalars) {
        for (const expression of expressionsIn(scalar.text)) {
          if (!allSecrets.test(expression.body)) continue;
          const position = positionWithin(scalar, expression.match);
          const key = `${position.path}:${position.line}:${position.column}`;
          if (seen.has(key)) continue;
          seen.add(key);
          findings.push(
            findingOfRule(
              this,
              `${context.job ? `job ${context.job.id}` : 'action'} expands ${expression.match.slice(0, 80)}: every secret of the repository reaches this step.`,
              position,
              `${context.job?.id ?? ''}\0${context.step.index}\0all-secrets`,
            ),
          );
        }
      }
    }
    return findings;
  },
};

function insecureCommandsEntry(env: readonly YamlEntry[]): YamlEntry | undefined {
  return env.find(
    (entry) =>
      entry.key === 'ACTIONS_ALLOW_UNSECURE_COMMANDS' &&
      entry.value.kind === 'scalar' &&
      /^(?:true|1|yes)$/i.test(entry.value.text.trim()),
  );
}

export const insecureCommands: PipelineRule = {
  id: 'pipelines/insecure-commands',
  title: 'Deprecated workflow commands (set-env, add-path) are re-enabled',
  severity: 'high',
  group: 'no-dangerous-patterns',
  remediation:
    'Remove ACTIONS_ALLOW_UNSECURE_COMMANDS: with it, anything a step prints (a log line of untrusted data) can set environment variables and PATH for later steps. Write to $GITHUB_ENV and $GITHUB_PATH instead.',
  evaluate(set) {
    const findings: RuleFinding[] = [];
    for (const workflow of set.workflows) {
      const levels: Array<[string, readonly YamlEntry[]]> = [['workflow', workflow.env]];
      for (const job of workflow.jobs) {
        levels.push([`job ${job.id}`, job.env]);
        for (const step of job.steps) levels.push([`job ${job.id} step ${step.index + 1}`, step.env]);
      }
      for (const [where, env] of levels) {
        const entry = insecureCommandsEntry(env);
        if (!entry) continue;
        findings.push(
          findingOfRule(
            this,
            `${where} sets ACTIONS_ALLOW_UNSECURE_COMMANDS.`,
            entry.keyPosition,
            `${where}\0unsecure`,
          ),
        );
      }
    }
    return findings;
  },
};

/** Writing to these files sets the environment or PATH of every later step of the job. */
const environmentFile = /\$\{?(GITHUB_ENV|GITHUB_PATH)\}?|\benv:(GITHUB_ENV|GITHUB_PATH)\b/;
const privilegedTriggers = ['pull_request_target', 'workflow_run'];

export const githubEnvInjection: PipelineRule = {
  id: 'pipelines/github-env-injection',
  title: 'A privileged workflow writes to GITHUB_ENV or GITHUB_PATH',
  severity: 'high',
  group: 'no-dangerous-patterns',
  remediation:
    'In workflows run by pull_request_target or workflow_run, do not write data from the pull request or its artefacts to $GITHUB_ENV or $GITHUB_PATH: a value with a newline sets any variable (LD_PRELOAD, NODE_OPTIONS) for later steps that hold secrets. Use step outputs and quote them.',
  evaluate(set) {
    const findings: RuleFinding[] = [];
    for (const context of githubSteps(set)) {
      const triggers = triggersOf(context.workflow);
      const trigger = privilegedTriggers.find((event) => triggers.has(event));
      if (!trigger) continue;
      for (const script of stepScripts(context.step)) {
        // A line writing only literal text (no variable, substitution or expression) sets nothing
        // an attacker chose.
        const line = script.text
          .split('\n')
          .find(
            (candidate) =>
              environmentFile.test(candidate) &&
              /[$`]/.test(candidate.replace(new RegExp(environmentFile, 'g'), '')),
          );
        const match = line === undefined ? undefined : environmentFile.exec(line);
        if (line === undefined || !match) continue;
        findings.push(
          findingOfRule(
            this,
            `job ${context.job?.id ?? ''} writes to ${match[1] ?? match[2]} in a workflow run by ${trigger}.`,
            positionWithin(script, line.trim()),
            `${context.job?.id ?? ''}\0${context.step.index}\0${match[1] ?? match[2]}`,
            { confidence: 'medium' },
          ),
        );
      }
    }
    return findings;
  },
};
