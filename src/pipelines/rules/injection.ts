import type { YamlEntry } from '../yaml.js';
import { positionWithin } from '../yaml.js';
import { expressionsIn, githubSteps, stepScripts } from './steps.js';
import { findingOfRule, type PipelineRule } from './types.js';

/**
 * Contexts an outside contributor controls: titles, bodies, branch names, commit messages and
 * author fields of issues, pull requests, comments, reviews, discussions, pushes and workflow runs.
 */
const untrustedContexts: readonly RegExp[] = [
  /\bgithub\.event\.(issue|pull_request|discussion)\.(title|body)\b/,
  /\bgithub\.event\.(comment|review|review_comment)\.body\b/,
  /\bgithub\.event\.pages\b.*\.page_name\b/,
  /\bgithub\.event\.commits\b.*\.(message|author\.(email|name))\b/,
  /\bgithub\.event\.(workflow_run\.)?head_commit\.(message|author\.(email|name)|committer\.(email|name))\b/,
  /\bgithub\.event\.pull_request\.head\.(ref|label|repo\.default_branch)\b/,
  /\bgithub\.head_ref\b/,
  /\bgithub\.event\.workflow_run\.(head_branch|display_title)\b/,
  /\bgithub\.event\.workflow_run\.pull_requests\b.*\.head\.ref\b/,
  /\bgithub\.event\.check_suite\.head_branch\b/,
  /\bgithub\.event\.release\.(name|body)\b/,
];

/** A whole event object serialised: it carries every title, body and branch name inside it. */
const wholeEvent =
  /\btojson\s*\(\s*github\.event(?:\.(?:issue|pull_request|comment|review|review_comment|discussion|head_commit|commits|workflow_run|release))?\s*\)/i;

export function untrustedContextIn(expression: string): string | undefined {
  const dump = wholeEvent.exec(expression);
  if (dump) return dump[0];
  for (const pattern of untrustedContexts) {
    const match = pattern.exec(expression);
    if (match) return match[0];
  }
  return undefined;
}

/**
 * Names of env variables whose value expands an untrusted context (`${{ env.X }}` is then as bad).
 * `env` runs workflow, job, then step: a later static value of the same name replaces a tainted one.
 */
function taintedEnv(env: readonly YamlEntry[]): Set<string> {
  const names = new Set<string>();
  for (const variable of env) {
    const tainted =
      variable.value.kind !== 'scalar' ||
      expressionsIn(variable.value.text).some((expression) => untrustedContextIn(expression.body));
    if (tainted && variable.value.kind === 'scalar') names.add(variable.key);
    else names.delete(variable.key);
  }
  return names;
}

export const untrustedInputInScript: PipelineRule = {
  id: 'pipelines/untrusted-input-in-script',
  title: 'Untrusted input is expanded into a script',
  severity: 'high',
  group: 'no-dangerous-patterns',
  remediation:
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    'Pass the value through `env:` (e.g. `TITLE: ${{ github.event.issue.title }}`) and use it quoted as "$TITLE" in the script; never expand it with ${{ }} inside `run:` or `script:`.',
  evaluate(set) {
    const findings = [];
    for (const context of githubSteps(set)) {
      const tainted = taintedEnv(context.env);
      for (const script of stepScripts(context.step)) {
        for (const expression of expressionsIn(script.text)) {
          const direct = untrustedContextIn(expression.body);
          const viaEnv = [...expression.body.matchAll(/\benv\.([A-Za-z_][A-Za-z0-9_]*)/g)]
            .map((match) => match[1] ?? '')
            .find((name) => tainted.has(name));
          // In a local action, `inputs.*` is whatever the calling workflow passes: often event data.
          const input = context.job
            ? undefined
            : /\binputs\.[A-Za-z_][A-Za-z0-9_-]*/.exec(expression.body)?.[0];
          const source = direct ?? (viaEnv === undefined ? undefined : `env.${viaEnv}`) ?? input;
          if (!source) continue;
          const where = context.job ? `job ${context.job.id}` : 'action';
          const fromInput = source === input;
          findings.push(
            findingOfRule(
              this,
              fromInput
                ? `${where} expands ${source} into a script: the calling workflow sets it, possibly from event data an outside contributor controls.`
                : `${where} expands ${source}, which an outside contributor controls, into a script: script injection.`,
              positionWithin(script, expression.match, expression.index),
              `${context.job?.id ?? ''}\0${context.step.index}\0${source}`,
              fromInput ? { confidence: 'medium' } : {},
            ),
          );
        }
      }
    }
    return findings;
  },
};

const printCommand = /^\s*(echo|printf|print|console\.log|write-host|write-output|cat)\b/i;

export const secretInLog: PipelineRule = {
  id: 'pipelines/secret-in-log',
  title: 'A secret is printed to the build log',
  severity: 'high',
  group: 'no-dangerous-patterns',
  remediation:
    'Do not print secrets: pipe them into the command that needs them (`--password-stdin`) or write them to a file; log masking misses encoded or split values.',
  evaluate(set) {
    const findings = [];
    for (const context of githubSteps(set)) {
      const secretVariables = new Set(
        context.env
          .filter(
            (variable) => variable.value.kind === 'scalar' && /\$\{\{\s*secrets\./.test(variable.value.text),
          )
          .map((variable) => variable.key),
      );
      for (const script of stepScripts(context.step)) {
        for (const line of script.text.split('\n')) {
          if (line.length > 4000 || !printCommand.test(line)) continue;
          // Piped into a command or redirected to a file, it does not reach the log.
          if (/[|>]/.test(line.replace(/\$\{\{[^}]*\}\}/g, ''))) continue;
          const direct = /\$\{\{\s*secrets\.([A-Za-z0-9_]+)\s*\}\}/.exec(line);
          const variable = [...line.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)]
            .map((match) => match[1] ?? '')
            .find((name) => secretVariables.has(name));
          const name = direct ? `secrets.${direct[1] ?? ''}` : variable;
          if (!name) continue;
          findings.push(
            findingOfRule(
              this,
              `${context.job ? `job ${context.job.id}` : 'action'} prints ${name} to the log.`,
              positionWithin(script, line.trim()),
              `${context.job?.id ?? ''}\0${context.step.index}\0${name}`,
              { confidence: direct ? 'high' : 'medium' },
            ),
          );
        }
      }
    }
    return findings;
  },
};
