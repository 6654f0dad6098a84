import { compileGlob } from '../kernel/index.js';
import { PipelineError } from './errors.js';
import type { GitlabJob, GitlabPipeline } from './model.js';
import {
  entries,
  entry,
  field,
  items,
  parseYaml,
  scalars,
  text,
  type YamlEntry,
  type YamlMap,
  type YamlScalar,
  type YamlValue,
} from './yaml.js';

export const gitlabRootPath = '.gitlab-ci.yml';

/** Bounds on `include:`; GitLab's own are higher, but a repository needing more is unusual. */
export const gitlabLimits = { maxIncludeDepth: 5, maxIncludes: 50, maxExtendsDepth: 11 };

const globalKeywords = new Set([
  'image',
  'services',
  'stages',
  'types',
  'before_script',
  'after_script',
  'variables',
  'cache',
  'include',
  'default',
  'workflow',
  'spec',
]);

export interface GitlabSource {
  files: readonly string[];
  read(path: string): Promise<string | undefined>;
}

/**
 * Loads `.gitlab-ci.yml` with its local includes (bounded depth and count), applies `default:`
 * and `extends:`, and returns the jobs with their positions in the file that wrote them. Errors in
 * included files are collected in `errors`; the rest of the pipeline goes on.
 */
export async function loadGitlab(
  source: GitlabSource,
  errors: PipelineError[],
): Promise<GitlabPipeline | undefined> {
  const rootText = await source.read(gitlabRootPath);
  if (rootText === undefined) return undefined;
  const root = parseYaml(gitlabRootPath, rootText);
  if (root?.kind !== 'map') {
    throw new PipelineError('PIPELINE_NOT_A_MAPPING', `${gitlabRootPath} is not a GitLab pipeline`, {
      location: root?.position ?? { path: gitlabRootPath, line: 1, column: 1 },
    });
  }
  const files = [gitlabRootPath];
  const included = await resolveIncludes(root, source, errors, files, 1);
  // The including file wins over what it includes.
  let merged: YamlMap = { kind: 'map', entries: [], position: root.position };
  for (const map of included) merged = mergeMaps(merged, map);
  merged = mergeMaps(merged, root);

  const templates = new Map<string, YamlValue>();
  for (const item of merged.entries) if (!globalKeywords.has(item.key)) templates.set(item.key, item.value);
  const defaults = field(merged, 'default');
  const pipeline: GitlabPipeline = {
    path: gitlabRootPath,
    files,
    stages: scalars(field(merged, 'stages') ?? field(merged, 'types')).map((stage) => stage.text),
    jobs: [],
    variables: entries(field(merged, 'variables')),
  };
  if (pipeline.stages.length === 0) pipeline.stages = ['build', 'test', 'deploy'];
  pipeline.stages = ['.pre', ...pipeline.stages.filter((s) => s !== '.pre' && s !== '.post'), '.post'];
  for (const item of merged.entries) {
    if (globalKeywords.has(item.key) || item.key.startsWith('.') || item.value.kind !== 'map') continue;
    const resolved = resolveExtends(item.key, item.value, templates, errors, 0, new Set());
    pipeline.jobs.push(readJob(item.key, item.keyPosition, resolved, merged, defaults));
  }
  return pipeline;
}

async function resolveIncludes(
  map: YamlMap,
  source: GitlabSource,
  errors: PipelineError[],
  files: string[],
  depth: number,
): Promise<YamlMap[]> {
  const result: YamlMap[] = [];
  const include = field(map, 'include');
  if (!include) return result;
  const references = include.kind === 'seq' ? include.items : [include];
  for (const reference of references) {
    const local = reference.kind === 'scalar' ? reference : field(reference, 'local');
    if (local?.kind !== 'scalar' || local.isNull || /^[a-z]+:\/\//i.test(local.text)) continue;
    if (depth > gitlabLimits.maxIncludeDepth) {
      errors.push(
        new PipelineError(
          'PIPELINE_INCLUDE_LIMIT',
          `includes nest deeper than ${gitlabLimits.maxIncludeDepth}`,
          {
            location: local.position,
          },
        ),
      );
      continue;
    }
    const targets = matchLocalInclude(local.text, source.files);
    if (targets.length === 0) {
      errors.push(
        new PipelineError(
          'PIPELINE_INCLUDE_MISSING',
          `included file ${local.text} is not in the repository`,
          {
            location: local.position,
          },
        ),
      );
      continue;
    }
    for (const target of targets) {
      if (files.includes(target)) continue;
      if (files.length >= gitlabLimits.maxIncludes) {
        errors.push(
          new PipelineError(
            'PIPELINE_INCLUDE_LIMIT',
            `more than ${gitlabLimits.maxIncludes} included files`,
            {
              location: local.position,
            },
          ),
        );
        return result;
      }
      files.push(target);
      const body = await source.read(target);
      if (body === undefined) {
        // The jobs it holds were not read (the snapshot says why): an error, as a missing include is.
        errors.push(
          new PipelineError('PIPELINE_INCLUDE_UNREADABLE', `included file ${target} could not be read`, {
            location: local.position,
          }),
        );
        continue;
      }
      try {
        const parsed = parseYaml(target, body);
        if (parsed?.kind !== 'map') {
          // GitLab refuses it; here its content would go unjudged.
          throw new PipelineError('PIPELINE_NOT_A_MAPPING', `${target} is not a GitLab pipeline`, {
            location: parsed?.position ?? { path: target, line: 1, column: 1 },
          });
        }
        result.push(...(await resolveIncludes(parsed, source, errors, files, depth + 1)));
        result.push(parsed);
      } catch (error) {
        if (error instanceof PipelineError) errors.push(error);
        else throw error;
      }
    }
  }
  return result;
}

/** A local include: a path from the repository root, possibly with `*` or `**` wildcards. */
function matchLocalInclude(reference: string, files: readonly string[]): string[] {
  const path = reference.replace(/^\/+/, '');
  if (!path.includes('*')) return files.includes(path) ? [path] : [];
  // Not a regular expression: a pattern such as `*a*a*a…x` would backtrack for hours.
  const matches = compileGlob(path);
  return files.filter(matches).slice(0, gitlabLimits.maxIncludes);
}

/** GitLab's deep merge of mappings: keys of `override` win, nested mappings merge, lists are replaced. */
export function mergeMaps(base: YamlMap, override: YamlMap): YamlMap {
  const merged: YamlEntry[] = base.entries.map((item) => ({ ...item }));
  for (const item of override.entries) {
    const index = merged.findIndex((candidate) => candidate.key === item.key);
    const existing = index === -1 ? undefined : merged[index];
    if (!existing) {
      merged.push(item);
      continue;
    }
    const value =
      existing.value.kind === 'map' && item.value.kind === 'map'
        ? mergeMaps(existing.value, item.value)
        : item.value;
    merged[index] = { key: item.key, keyPosition: item.keyPosition, value };
  }
  return { kind: 'map', entries: merged, position: override.position };
}

function resolveExtends(
  name: string,
  job: YamlMap,
  templates: ReadonlyMap<string, YamlValue>,
  errors: PipelineError[],
  depth: number,
  seen: Set<string>,
): YamlMap {
  const parents = scalars(field(job, 'extends'));
  if (parents.length === 0) return job;
  let base: YamlMap = { kind: 'map', entries: [], position: job.position };
  for (const parent of parents) {
    const template = templates.get(parent.text);
    if (depth >= gitlabLimits.maxExtendsDepth || seen.has(parent.text) || template?.kind !== 'map') {
      const reason =
        template === undefined
          ? `extends ${parent.text}, which is not defined`
          : `extends ${parent.text} in a cycle or deeper than ${gitlabLimits.maxExtendsDepth}`;
      errors.push(
        new PipelineError('PIPELINE_EXTENDS_INVALID', `job ${name} ${reason}`, { location: parent.position }),
      );
      continue;
    }
    const next = new Set(seen).add(parent.text);
    base = mergeMaps(base, resolveExtends(parent.text, template, templates, errors, depth + 1, next));
  }
  const own: YamlMap = { ...job, entries: job.entries.filter((item) => item.key !== 'extends') };
  const merged = mergeMaps(base, own);
  return { ...merged, entries: [...merged.entries, ...job.entries.filter((item) => item.key === 'extends')] };
}

function readJob(
  name: string,
  position: GitlabJob['position'],
  job: YamlMap,
  globals: YamlMap,
  defaults: YamlValue | undefined,
): GitlabJob {
  const inherited = (key: string) => field(job, key) ?? field(defaults, key) ?? field(globals, key);
  const result: GitlabJob = {
    name,
    path: position.path,
    position,
    stage: text(field(job, 'stage')) ?? 'test',
    services: items(inherited('services')).flatMap((service) => imageOf(service) ?? []),
    scripts: [
      ...flattenScripts(inherited('before_script')),
      ...flattenScripts(field(job, 'script')),
      ...flattenScripts(inherited('after_script')),
    ],
    dependencies: scalars(field(job, 'dependencies')).map((dependency) => dependency.text),
    restrictions: [],
    variables: entries(field(job, 'variables')),
    extends: scalars(field(job, 'extends')).map((parent) => parent.text),
  };
  const image = imageOf(inherited('image'));
  if (image) result.image = image;
  const cache = entry(job, 'cache') ?? entry(defaults, 'cache') ?? entry(globals, 'cache');
  const caches = cache?.value.kind === 'seq' ? cache.value.items : cache ? [cache.value] : [];
  // `policy: push` only uploads; a cache that restores is pull or pull-push (the default).
  if (cache && caches.some((item) => item.kind === 'map' && text(field(item, 'policy')) !== 'push'))
    result.cache = cache.keyPosition;
  const needs = field(job, 'needs');
  if (needs) {
    result.needs = items(needs).flatMap((need) => {
      const jobName = need.kind === 'scalar' ? need : field(need, 'job');
      return jobName?.kind === 'scalar' && !jobName.isNull ? [jobName.text] : [];
    });
  }
  const environment = field(job, 'environment');
  const environmentName = environment?.kind === 'map' ? field(environment, 'name') : environment;
  if (environmentName?.kind === 'scalar' && !environmentName.isNull) {
    result.environment = { name: environmentName.text, position: environmentName.position };
    const action = text(field(environment, 'action'));
    if (action !== undefined) result.environment.action = action;
  }
  const when = field(job, 'when');
  const rules = items(field(job, 'rules'));
  const manualRule = rules.map((rule) => field(rule, 'when')).find((value) => text(value) === 'manual');
  const whenValue = when ?? manualRule;
  if (whenValue?.kind === 'scalar' && !whenValue.isNull) result.when = whenValue;
  for (const rule of rules) {
    const condition = field(rule, 'if');
    if (condition?.kind === 'scalar' && !condition.isNull) result.restrictions.push(condition);
  }
  for (const key of ['only', 'except']) {
    const value = field(job, key);
    result.restrictions.push(...scalars(value?.kind === 'map' ? field(value, 'refs') : value));
  }
  return result;
}

function imageOf(value: YamlValue | undefined): YamlScalar | undefined {
  const image = value?.kind === 'map' ? field(value, 'name') : value;
  return image?.kind === 'scalar' && !image.isNull ? image : undefined;
}

function flattenScripts(value: YamlValue | undefined, depth = 0): YamlScalar[] {
  if (!value || depth > 4) return [];
  if (value.kind === 'scalar') return value.isNull ? [] : [value];
  if (value.kind === 'seq') return value.items.flatMap((item) => flattenScripts(item, depth + 1));
  return [];
}
