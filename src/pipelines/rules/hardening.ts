import { classifyJob } from '../evidence.js';
import type { GithubJob, GithubStep, GithubWorkflow, GitlabJob, PipelineSet } from '../model.js';
import { positionWithin, type YamlScalar } from '../yaml.js';
import { actionNameOf, expressionsIn, githubSteps, type StepContext, stepScripts } from './steps.js';
import { findingOfRule, type PipelineRule, type RuleFinding } from './types.js';

const privilegedTriggers = ['pull_request_target', 'workflow_run'];

/** A step that can run code of the repository: a script, a checkout, a local action. */
function runsCode(step: GithubStep): boolean {
  if (step.run !== undefined) return true;
  const uses = step.uses?.text ?? '';
  return uses.startsWith('./') || actionNameOf(uses) === 'actions/checkout';
}

/** Every job only calls remote actions that act through the API (a labeler): nothing of the PR runs. */
function isInert(workflow: GithubWorkflow): boolean {
  return workflow.jobs.every((job) => job.uses === undefined && !job.steps.some(runsCode));
}

export const dangerousTrigger: PipelineRule = {
  id: 'pipelines/dangerous-trigger',
  title: 'A workflow runs on a privileged trigger a fork can start',
  severity: 'medium',
  group: 'no-dangerous-patterns',
  remediation:
    'Prefer pull_request (read-only token, no secrets) to pull_request_target, and a workflow_call or push trigger to workflow_run; where the privileged trigger is needed, never check out or run the pull request’s code, and keep permissions minimal.',
  evaluate(set) {
    const findings: RuleFinding[] = [];
    for (const workflow of set.workflows) {
      if (isInert(workflow)) continue;
      for (const trigger of workflow.triggers) {
        if (!privilegedTriggers.includes(trigger.event)) continue;
        findings.push(
          findingOfRule(
            this,
            `the workflow runs on ${trigger.event}: it has the repository's secrets and a write token while a fork can start it, and its jobs run code.`,
            trigger.position,
            `${workflow.path}\0${trigger.event}`,
            { confidence: 'medium' },
          ),
        );
      }
    }
    return findings;
  },
};

/** `with:` input of a step, as a scalar. */
function inputOf(step: GithubStep, key: string): YamlScalar | undefined {
  const found = step.with.find((input) => input.key === key)?.value;
  return found?.kind === 'scalar' && !found.isNull ? found : undefined;
}

type Switch = 'on' | 'off' | 'maybe';

/** A boolean-ish input: true/yes/on/1, false/no/off/0/empty, or an expression (maybe). */
function switchOf(value: YamlScalar | undefined): Switch | undefined {
  if (!value) return undefined;
  const text = value.text.trim().toLowerCase();
  if (text.includes('${{')) return 'maybe';
  if (['false', 'no', 'off', '0', ''].includes(text)) return 'off';
  return 'on';
}

/** The paths of a multi-line `path:` input, without exclusions. */
function pathsOf(value: YamlScalar | undefined): string[] {
  return (value?.text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('!') && !line.startsWith('#'));
}

function normalisedPath(path: string): string {
  const withoutWorkspace = path
    .replace(/^\$\{\{\s*github\.workspace\s*\}\}\/?/, '')
    .replace(/^\$GITHUB_WORKSPACE\/?/, '');
  return withoutWorkspace.replace(/^\.\/?/, '').replace(/\/+$/, '');
}

/** Whether an upload path takes in the checkout folder and so its `.git/config` (the workspace by default). */
function uploadIncludes(upload: string, checkout: string): boolean {
  const path = normalisedPath(upload);
  if (path === '' || /^\*\*?(\/\*\*?)*$/.test(path)) return true;
  if (checkout === '') return false;
  return path === checkout || checkout.startsWith(`${path}/`);
}

/** A version from a tag ref (`v4`, `v4.3.1`): [major, minor], else undefined (a SHA, a branch). */
function versionOf(uses: string): [number, number | undefined] | undefined {
  const match = /@v?(\d+)(?:\.(\d+))?(?:\.\d+)*$/.exec(uses.trim());
  if (!match) return undefined;
  return [Number(match[1]), match[2] === undefined ? undefined : Number(match[2])];
}

/**
 * Whether an upload takes hidden files (`.git/`): asked for with `include-hidden-files`, or an
 * upload-artifact older than 4.4 (from 4.4 hidden files are left out by default). A commit SHA
 * says no version: counted as taking them, with medium confidence.
 */
function uploadsHidden(step: GithubStep): 'yes' | 'maybe' | 'no' {
  const asked = switchOf(inputOf(step, 'include-hidden-files'));
  if (asked === 'on') return 'yes';
  if (asked === 'off') return 'no';
  const version = versionOf(step.uses?.text ?? '');
  if (!version) return 'maybe';
  const [major, minor] = version;
  if (major < 4 || (major === 4 && minor !== undefined && minor < 4)) return 'yes';
  return 'no';
}

export const credentialPersistence: PipelineRule = {
  id: 'pipelines/credential-persistence',
  title: 'The checkout token is kept in the workspace and uploaded as an artefact',
  severity: 'high',
  group: 'no-dangerous-patterns',
  remediation:
    'Set `persist-credentials: false` on actions/checkout (push with an explicit token where a later step needs to), or upload only the build output, never the checked-out folder.',
  evaluate(set) {
    const findings: RuleFinding[] = [];
    for (const context of githubSteps(set)) {
      const { step } = context;
      if (!step.uses || actionNameOf(step.uses.text) !== 'actions/checkout') continue;
      if (switchOf(inputOf(step, 'persist-credentials')) === 'off') continue;
      const checkout = normalisedPath(inputOf(step, 'path')?.text ?? '');
      const upload = context.steps.slice(step.index + 1).find((later) => {
        if (!later.uses || actionNameOf(later.uses.text) !== 'actions/upload-artifact') return false;
        if (uploadsHidden(later) === 'no') return false;
        return pathsOf(inputOf(later, 'path')).some((path) => uploadIncludes(path, checkout));
      });
      if (!upload) continue;
      const confidence = uploadsHidden(upload) === 'maybe' ? 'medium' : 'high';
      findings.push(
        findingOfRule(
          this,
          `${context.job ? `job ${context.job.id}` : 'action'} checks out without persist-credentials: false (the token is written to .git/config) and then uploads the checked-out folder as an artefact (step ${upload.name ?? upload.index + 1}): anyone who can download it gets the token.`,
          step.uses.position,
          `${context.job?.id ?? ''}\0${step.index}`,
          { confidence },
        ),
      );
    }
    return findings;
  },
};

/** Why a workflow or job produces release artefacts; `tagOnly` when every reason is a tag. */
interface ReleaseReason {
  text: string;
  tagOnly: boolean;
}

function releaseReasonOf(workflow: GithubWorkflow | undefined, job: GithubJob | undefined, set: PipelineSet) {
  const reasons: string[] = [];
  let tagOnly = true;
  for (const trigger of workflow?.triggers ?? []) {
    if (trigger.event === 'release') reasons.push('release');
    if (trigger.event === 'push' && trigger.tags.length > 0) reasons.push('push of tags');
    if (trigger.event === 'push' && trigger.branches.some((branch) => /release/i.test(branch))) {
      reasons.push('push to a release branch');
      tagOnly = false;
    }
  }
  if (workflow && job) {
    const pipelineJob = set.pipelines
      .find((pipeline) => pipeline.path === workflow.path)
      ?.jobs.find((candidate) => candidate.id === job.id);
    const publish = pipelineJob
      ? classifyJob(pipelineJob).find((activity) => activity.tool === 'publish')
      : undefined;
    if (publish) {
      reasons.push('the job publishes');
      tagOnly = false;
    }
  }
  return reasons.length === 0 ? undefined : ({ text: reasons.join(', '), tagOnly } satisfies ReleaseReason);
}

/** A major version from a tag ref (`v4`, `v4.2.1`), else undefined (a SHA, a branch). */
function majorOf(uses: string): number | undefined {
  return versionOf(uses)?.[0];
}

/** Whether a step restores a cache, from what the action is known to do with its inputs. */
function cacheOf(step: GithubStep): { state: Switch; input?: YamlScalar | undefined } | undefined {
  if (!step.uses) return undefined;
  const name = actionNameOf(step.uses.text);
  const major = majorOf(step.uses.text);
  const input = (key: string) => inputOf(step, key);
  const optOut = (key: string) => {
    const state = switchOf(input(key));
    return state === 'on'
      ? { state: 'off' as const }
      : state === 'maybe'
        ? { state, input: input(key) }
        : { state: 'on' as const };
  };
  const optIn = (key: string) => {
    const state = switchOf(input(key));
    return state === undefined ? undefined : { state, input: input(key) };
  };
  const defaultOn = (key: string, onSince = 0) => {
    const state = switchOf(input(key));
    if (state !== undefined) return { state, input: input(key) };
    return major !== undefined && major < onSince ? undefined : { state: 'on' as const };
  };
  switch (name) {
    case 'actions/cache':
    case 'actions/cache/restore':
    case 'mozilla-actions/sccache-action':
    case 'determinatesystems/magic-nix-cache-action':
      return { state: 'on' };
    case 'swatinem/rust-cache':
      return optOut('lookup-only');
    case 'ramsey/composer-install':
      return optOut('ignore-cache');
    case 'gradle/actions/setup-gradle':
    case 'gradle/gradle-build-action':
      return optOut('cache-disabled');
    case 'actions/setup-python':
    case 'actions/setup-java':
    case 'actions/setup-dotnet':
      return optIn('cache');
    case 'pyo3/maturin-action':
      return optIn('sccache');
    case 'ruby/setup-ruby':
      return optIn('bundler-cache');
    case 'actions/setup-go':
      return defaultOn('cache', 4);
    case 'astral-sh/setup-uv':
      return defaultOn('enable-cache');
    case 'jdx/mise-action':
      return defaultOn('cache');
    case 'actions/setup-node': {
      const explicit = switchOf(input('cache'));
      if (explicit === 'on' || explicit === 'maybe') return { state: explicit, input: input('cache') };
      return defaultOn('package-manager-cache', 5);
    }
    default:
      return undefined;
  }
}

/** `${{ !startsWith(github.ref, 'refs/tags/') }}`-style: caching switched off on tag refs. */
function offOnTags(input: YamlScalar | undefined): boolean {
  const body = expressionsIn(input?.text ?? '')[0]?.body.trim() ?? '';
  return body.startsWith('!') && /refs\/tags\/|ref_type\s*==\s*'tag'/.test(body);
}

export const cachePoisoning: PipelineRule = {
  id: 'pipelines/cache-poisoning',
  title: 'A release or publishing workflow restores a cache',
  severity: 'high',
  group: 'no-dangerous-patterns',
  remediation:
    'Do not restore caches when building what is released or published: turn the action’s caching off in release workflows (or on tag refs), and build from a clean state.',
  evaluate(set) {
    const findings: RuleFinding[] = [];
    for (const context of githubSteps(set)) {
      const cache = cacheOf(context.step);
      if (!cache || cache.state === 'off' || !context.step.uses) continue;
      const reason = releaseReasonOf(context.workflow, context.job, set);
      if (!reason) continue;
      if (cache.state === 'maybe' && reason.tagOnly && offOnTags(cache.input)) continue;
      findings.push(
        findingOfRule(
          this,
          `job ${context.job?.id ?? ''} restores a cache (${actionNameOf(context.step.uses.text)}${cache.state === 'maybe' ? ', depending on an expression' : ''}) in a workflow that releases (${reason.text}): a poisoned cache from another branch ends up in the released artefact.`,
          context.step.uses.position,
          `${context.job?.id ?? ''}\0${context.step.index}`,
          cache.state === 'maybe' ? { confidence: 'medium' } : {},
        ),
      );
    }
    for (const pipeline of set.gitlab) {
      for (const job of pipeline.jobs) {
        if (!job.cache) continue;
        const reason = gitlabReleaseReasonOf(job, set);
        if (!reason) continue;
        findings.push(
          findingOfRule(
            this,
            `job ${job.name} restores a cache and ${reason}: a poisoned cache from another branch ends up in the released artefact.`,
            job.cache,
            `${job.path}\0${job.name}\0cache`,
          ),
        );
      }
    }
    return findings;
  },
};

/** A tag pipeline (`only: tags`, `if: $CI_COMMIT_TAG`) or a job that publishes. */
function gitlabReleaseReasonOf(job: GitlabJob, set: PipelineSet): string | undefined {
  const onTags = job.restrictions.some(
    (restriction) =>
      restriction.text.trim() === 'tags' ||
      /(?<![!])\$CI_COMMIT_TAG\b(?!\s*(==\s*(null|""|'')|!~|=~\s*\/\^\$\/))/.test(restriction.text),
  );
  if (onTags) return 'runs for tags';
  const pipelineJob = set.pipelines
    .filter((pipeline) => pipeline.system === 'gitlab-ci')
    .flatMap((pipeline) => pipeline.jobs)
    .find((candidate) => candidate.id === job.name && candidate.path === job.path);
  const publish = pipelineJob
    ? classifyJob(pipelineJob).find((activity) => activity.tool === 'publish')
    : undefined;
  return publish ? 'publishes' : undefined;
}

const firstPartyOwners = ['actions', 'github'];

/** Why an action reference is written in a misleading way, or undefined. */
function obfuscatedUses(uses: string): string | undefined {
  if (uses.startsWith('./') || uses.startsWith('docker://')) return undefined;
  if (/\s/.test(uses)) return 'whitespace inside the reference';
  const at = uses.indexOf('@');
  const path = at === -1 ? uses : uses.slice(0, at);
  if (path.includes('//')) return 'an empty path segment (//)';
  if (path.endsWith('/')) return 'a trailing slash';
  const segments = path.split('/');
  if (segments.includes('..')) return 'a .. path segment';
  if (segments.includes('.')) return 'a . path segment';
  const owner = segments[0] ?? '';
  if (firstPartyOwners.includes(owner.toLowerCase()) && owner !== owner.toLowerCase())
    return `the owner ${owner} in unusual casing`;
  return undefined;
}

type Token = { kind: 'literal' | 'name' | 'op' | 'punct'; text: string };

const tokenPattern =
  /\s*(?:('(?:[^']|'')*')|(-?\d+(?:\.\d+)?(?:e-?\d+)?|0x[0-9a-f]+)|([A-Za-z_][A-Za-z0-9_-]*)|(&&|\|\||==|!=|<=|>=|<|>|!)|([()[\],.*]))/giy;

function tokensOf(body: string): Token[] | undefined {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < body.length) {
    const start = tokenPattern.lastIndex;
    const match = tokenPattern.exec(body);
    if (!match) return body.slice(start).trim() === '' ? tokens : undefined;
    if (match[1] !== undefined || match[2] !== undefined)
      tokens.push({ kind: 'literal', text: match[0].trim() });
    else if (match[3] !== undefined) {
      const word = match[3];
      tokens.push({
        kind: ['true', 'false', 'null'].includes(word.toLowerCase()) ? 'literal' : 'name',
        text: word,
      });
    } else if (match[4] !== undefined) tokens.push({ kind: 'op', text: match[4] });
    else tokens.push({ kind: 'punct', text: match[5] ?? '' });
  }
  return tokens;
}

/** Functions whose result depends only on their arguments. */
const pureFunctions = ['format', 'contains', 'startswith', 'endswith', 'join', 'tojson', 'fromjson'];

/** No context is read: only literals, operators and pure functions. */
function isConstant(tokens: readonly Token[]): boolean {
  if (tokens.length === 0) return false;
  return tokens.every((token, index) => {
    if (token.kind !== 'name') return true;
    if (tokens[index - 1]?.text === '.') return true;
    return tokens[index + 1]?.text === '(' && pureFunctions.includes(token.text.toLowerCase());
  });
}

/** Why an expression is needlessly computed (it or a part of it is a constant), or undefined. */
function reducibleExpression(body: string): string | undefined {
  const tokens = tokensOf(body);
  if (!tokens) return undefined;
  if (isConstant(tokens)) return 'the whole expression is a constant';
  for (const [index, token] of tokens.entries()) {
    if (
      token.kind === 'name' &&
      pureFunctions.includes(token.text.toLowerCase()) &&
      tokens[index + 1]?.text === '('
    ) {
      let depth = 0;
      let end = index + 1;
      for (; end < tokens.length; end += 1) {
        if (tokens[end]?.text === '(') depth += 1;
        if (tokens[end]?.text === ')') depth -= 1;
        if (depth === 0) break;
      }
      const args = tokens.slice(index + 2, end);
      if (isConstant(args)) return `${token.text}(…) of constants`;
    }
    const left = tokens[index - 1];
    const right = tokens[index + 1];
    const before = tokens[index - 2];
    const after = tokens[index + 2];
    if (
      token.kind === 'op' &&
      token.text !== '!' &&
      left?.kind === 'literal' &&
      right?.kind === 'literal' &&
      (before === undefined || before.text === '(' || before.text === ',') &&
      (after === undefined || after.text === ')' || after.text === ',')
    )
      return `${left.text} ${token.text} ${right.text} is a constant`;
  }
  return undefined;
}

/** Scalars of a step or job where expressions are evaluated. */
function expressionPlaces(context: StepContext): YamlScalar[] {
  const { step } = context;
  const places: YamlScalar[] = [...stepScripts(step)];
  if (step.run === undefined) {
    for (const input of step.with)
      if (input.value.kind === 'scalar' && input.key !== 'script') places.push(input.value);
  } else {
    for (const input of step.with) if (input.value.kind === 'scalar') places.push(input.value);
  }
  for (const variable of step.env) if (variable.value.kind === 'scalar') places.push(variable.value);
  if (step.if) places.push(step.if);
  return places;
}

export const obfuscation: PipelineRule = {
  id: 'pipelines/obfuscation',
  title: 'An action reference or expression is written to hide what it does',
  severity: 'medium',
  group: 'no-dangerous-patterns',
  remediation:
    'Write action references in their plain form (owner/repo[/path]@ref, no ., .., // or stray slashes), expressions without constant parts, and `with:` as a mapping a reviewer can read.',
  evaluate(set) {
    const findings: RuleFinding[] = [];
    const references: { uses: YamlScalar; key: string }[] = [];
    for (const workflow of set.workflows)
      for (const job of workflow.jobs)
        if (job.uses) references.push({ uses: job.uses, key: `${workflow.path}\0${job.id}` });
    const seen = new Set<string>();
    for (const context of githubSteps(set)) {
      const { step } = context;
      const where = `${context.job?.id ?? ''}\0${step.index}`;
      if (step.uses) references.push({ uses: step.uses, key: where });
      if (step.withExpression) {
        findings.push(
          findingOfRule(
            this,
            `step ${step.name ?? step.index + 1} passes its inputs as one expression: no reviewer (nor this scan) can see what the action gets.`,
            step.withExpression.position,
            `${where}\0with`,
          ),
        );
      }
      for (const place of expressionPlaces(context)) {
        for (const expression of expressionsIn(place.text)) {
          // `if: ${{ false }}` is the usual way to switch a step off, not a disguise.
          if (place === step.if && /^\s*(true|false)\s*$/i.test(expression.body)) continue;
          const why = reducibleExpression(expression.body);
          if (!why) continue;
          const position = positionWithin(place, expression.match, expression.index);
          const key = `${position.path}\0${position.line}\0${position.column}`;
          if (seen.has(key)) continue;
          seen.add(key);
          findings.push(
            findingOfRule(
              this,
              `the expression ${expression.match.slice(0, 120)} is obfuscated: ${why}.`,
              position,
              `${where}\0${expression.body}`,
              {
                confidence: 'medium',
              },
            ),
          );
        }
      }
    }
    for (const { uses, key } of references) {
      const why = obfuscatedUses(uses.text);
      if (!why) continue;
      findings.push(
        findingOfRule(
          this,
          `the action reference ${uses.text.slice(0, 200)} has ${why}: it hides which action runs.`,
          uses.position,
          `${key}\0uses`,
        ),
      );
    }
    return findings;
  },
};
