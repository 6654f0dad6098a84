import { dirname, isAbsolute, join, posix, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { z } from 'zod';
import { readInputFile, readRepositoryFile } from '../../kernel/index.js';
import { SecretsError } from '../errors.js';
import { defaultRuleSet } from '../rules/default-rules.js';
import type { AllowlistSpec, RegexSpec, RuleSetSpec, RuleSpec } from '../rules/types.js';
import { translateGoRegex } from './go-regex.js';
import { findCatastrophicBacktracking } from './regex-safety.js';

/** The parts of a gitleaks configuration shipguard reads; other keys are accepted and ignored. */
const GitleaksAllowlist = z.looseObject({
  description: z.string().optional(),
  condition: z.string().optional(),
  regexTarget: z.string().optional(),
  regexes: z.array(z.string()).optional(),
  paths: z.array(z.string()).optional(),
  stopwords: z.array(z.string()).optional(),
  commits: z.array(z.string()).optional(),
  targetRules: z.array(z.string()).optional(),
});
type GitleaksAllowlist = z.infer<typeof GitleaksAllowlist>;

const GitleaksRule = z.looseObject({
  id: z.string().min(1),
  description: z.string().optional(),
  regex: z.string().optional(),
  secretGroup: z.number().int().min(0).max(99).optional(),
  entropy: z.number().min(0).max(8).optional(),
  keywords: z.array(z.string()).optional(),
  path: z.string().optional(),
  allowlist: GitleaksAllowlist.optional(),
  allowlists: z.array(GitleaksAllowlist).optional(),
});

const GitleaksConfig = z.looseObject({
  title: z.string().optional(),
  extend: z
    .looseObject({
      useDefault: z.boolean().optional(),
      path: z.string().optional(),
      disabledRules: z.array(z.string()).optional(),
    })
    .optional(),
  allowlist: GitleaksAllowlist.optional(),
  allowlists: z.array(GitleaksAllowlist).optional(),
  rules: z.array(GitleaksRule).optional(),
});

export interface SkippedRule {
  id: string;
  reason: string;
  code: string;
}

export interface LoadedGitleaksConfig {
  ruleSet: RuleSetSpec;
  /** Rules left out (only with `skipUnsupported`); otherwise an unsupported rule is an error. */
  skipped: SkippedRule[];
}

export interface GitleaksLoadOptions {
  /** Leave out rules whose regex cannot run in JavaScript, instead of failing. */
  skipUnsupported?: boolean;
  /** Where `[extend] path` is resolved from. */
  baseFolder?: string;
  /**
   * Reads the configuration an `[extend] path` names, as written. A repository's configuration
   * passes its repository's reader (the working tree read safely, or a revision read with git);
   * otherwise (`--config`) the file at that path from `baseFolder`, read bounded.
   */
  readExtended?: (path: string) => Promise<string>;
  depth?: number;
}

const maxConfigBytes = 4 * 1024 * 1024;

export async function loadGitleaksConfigFile(
  path: string,
  options: GitleaksLoadOptions = {},
): Promise<LoadedGitleaksConfig> {
  let text: string;
  try {
    text = (await readInputFile(path, 'gitleaks configuration', { maxBytes: maxConfigBytes })).toString(
      'utf8',
    );
  } catch (error) {
    throw new SecretsError('SECRETS_CONFIG_UNREADABLE', `${path} could not be read`, {
      cause: error,
      location: { path },
    });
  }
  return loadGitleaksConfig(text, path, { baseFolder: dirname(resolve(path)), ...options });
}

/**
 * An `[extend] path` of a repository's configuration as a repository path: an absolute path or one
 * that climbs out of the repository is refused (the reader refuses links out).
 */
export function extendedPathInRepository(path: string, from: string): string {
  const normalized = posix.normalize(path.replaceAll('\\', '/'));
  if (
    isAbsolute(path) ||
    posix.isAbsolute(normalized) ||
    normalized === '..' ||
    normalized.startsWith('../')
  ) {
    throw new SecretsError(
      'SECRETS_CONFIG_UNREADABLE',
      `${from}: [extend] path ${path} is outside the repository`,
      { location: { path: from } },
    );
  }
  return normalized;
}

/** The reader of `[extend] path` files in a working tree: the safe read, bounded. */
function workingTreeReader(root: string, from: string): (path: string) => Promise<string> {
  return async (path) => {
    const relative = extendedPathInRepository(path, from);
    const read = await readRepositoryFile(root, relative, { maxBytes: maxConfigBytes });
    if (!read.ok) {
      throw new SecretsError('SECRETS_CONFIG_UNREADABLE', `${relative} was not read: ${read.reason}`, {
        location: { path: relative },
      });
    }
    if (read.truncated) {
      throw new SecretsError('SECRETS_CONFIG_INVALID', `${relative} is larger than ${maxConfigBytes} bytes`, {
        location: { path: relative },
      });
    }
    return read.bytes.toString('utf8');
  };
}

/** Parses a gitleaks TOML configuration into a rule set; `[extend] useDefault` extends shipguard's defaults. */
export async function loadGitleaksConfig(
  text: string,
  path: string,
  options: GitleaksLoadOptions = {},
): Promise<LoadedGitleaksConfig> {
  if (text.length > maxConfigBytes) {
    throw new SecretsError('SECRETS_CONFIG_INVALID', `${path} is larger than ${maxConfigBytes} bytes`, {
      location: { path },
    });
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    const line = error instanceof TomlError ? error.line : undefined;
    throw new SecretsError('SECRETS_CONFIG_INVALID', `${path} is not valid TOML`, {
      cause: error,
      location: line === undefined ? { path } : { path, line },
    });
  }
  const parsed = GitleaksConfig.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SecretsError(
      'SECRETS_CONFIG_INVALID',
      `${path}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
      {
        location: { path },
      },
    );
  }
  const config = parsed.data;
  const skipped: SkippedRule[] = [];
  let base: RuleSetSpec = { rules: [], allowlists: [] };
  if (config.extend?.useDefault) base = defaultRuleSet();
  else if (config.extend?.path) {
    const depth = options.depth ?? 0;
    if (depth >= 3)
      throw new SecretsError('SECRETS_CONFIG_INVALID', `${path}: [extend] nests too deep`, {
        location: { path },
      });
    const nested = { ...options, depth: depth + 1 };
    const extended = options.readExtended
      ? await loadGitleaksConfig(await options.readExtended(config.extend.path), config.extend.path, nested)
      : await loadGitleaksConfigFile(join(options.baseFolder ?? '.', config.extend.path), nested);
    base = extended.ruleSet;
    skipped.push(...extended.skipped);
  }
  const disabled = new Set(config.extend?.disabledRules ?? []);
  const rules = new Map<string, RuleSpec>(
    base.rules.filter((rule) => !disabled.has(rule.id)).map((rule) => [rule.id, rule]),
  );
  for (const rule of config.rules ?? []) {
    try {
      rules.set(rule.id, toRuleSpec(rule));
    } catch (error) {
      if (!(error instanceof SecretsError)) throw error;
      if (!options.skipUnsupported) throw locatedIn(error, path);
      skipped.push({ id: rule.id, reason: error.message, code: error.code });
    }
  }
  const allowlists = [...base.allowlists];
  for (const allowlist of [...(config.allowlist ? [config.allowlist] : []), ...(config.allowlists ?? [])]) {
    try {
      allowlists.push(toAllowlist(allowlist, 'global allowlist'));
    } catch (error) {
      throw error instanceof SecretsError ? locatedIn(error, path) : error;
    }
  }
  return { ruleSet: { rules: [...rules.values()], allowlists }, skipped };
}

/**
 * A configuration's regex, translated and checked: one that can backtrack catastrophically in
 * JavaScript (RE2, which gitleaks uses, cannot) is refused, naming the rule and why, rather
 * than left to hang the scan.
 */
function translateSafeRegex(source: string, owner: string): RegexSpec {
  const spec = translateGoRegex(source, owner);
  const reason = findCatastrophicBacktracking(spec.source);
  if (reason) {
    throw new SecretsError(
      'SECRETS_RULE_UNSAFE_REGEX',
      `rule ${owner}: the regex ${JSON.stringify(source.slice(0, 80))} is refused: ${reason}`,
    );
  }
  return spec;
}

function toRuleSpec(rule: z.infer<typeof GitleaksRule>): RuleSpec {
  if (!rule.regex && !rule.path) {
    throw new SecretsError('SECRETS_CONFIG_INVALID', `rule ${rule.id} has neither regex nor path`);
  }
  const spec: RuleSpec = {
    id: rule.id,
    description: rule.description ?? rule.id,
    keywords: (rule.keywords ?? []).map((keyword) => keyword.toLowerCase()),
    secretGroup: rule.secretGroup ?? 0,
    severity: 'high',
    allowlists: [...(rule.allowlist ? [rule.allowlist] : []), ...(rule.allowlists ?? [])].map((allowlist) =>
      toAllowlist(allowlist, rule.id),
    ),
  };
  if (rule.regex) spec.regex = translateSafeRegex(rule.regex, rule.id);
  if (rule.path) spec.path = translateSafeRegex(rule.path, rule.id);
  if (rule.entropy !== undefined) spec.entropy = rule.entropy;
  return spec;
}

function locatedIn(error: SecretsError, path: string): SecretsError {
  if (error.location) return error;
  return new SecretsError(error.code, error.message, { cause: error, location: { path } });
}

function toAllowlist(allowlist: GitleaksAllowlist, owner: string): AllowlistSpec {
  const condition = (allowlist.condition ?? 'OR').toUpperCase();
  if (condition !== 'OR' && condition !== 'AND') {
    throw new SecretsError('SECRETS_CONFIG_INVALID', `${owner}: allowlist condition must be OR or AND`);
  }
  const target = allowlist.regexTarget ?? 'secret';
  if (target !== 'secret' && target !== 'match' && target !== 'line') {
    throw new SecretsError('SECRETS_CONFIG_INVALID', `${owner}: regexTarget must be secret, match or line`);
  }
  const spec: AllowlistSpec = {
    condition: condition === 'AND' ? 'and' : 'or',
    regexTarget: target,
    regexes: (allowlist.regexes ?? []).map((regex) => translateSafeRegex(regex, owner)),
    paths: (allowlist.paths ?? []).map((regex) => translateSafeRegex(regex, owner)),
    stopwords: allowlist.stopwords ?? [],
    commits: allowlist.commits ?? [],
    targetRules: allowlist.targetRules ?? [],
  };
  if (allowlist.description) spec.description = allowlist.description;
  return spec;
}

/**
 * The rule set for a scan: `--config` if given, else `.gitleaks.toml` at the root if present
 * (as gitleaks does), else shipguard's defaults.
 */
export async function loadRuleSet(root: string, configPath?: string): Promise<RuleSetSpec> {
  if (configPath) return (await loadGitleaksConfigFile(configPath)).ruleSet;
  const local = join(root, '.gitleaks.toml');
  // The repository's own configuration is repository content: read through the safe reader (a
  // link out of the repository or a FIFO is refused, not followed or waited on).
  const read = await readRepositoryFile(root, '.gitleaks.toml', { maxBytes: maxConfigBytes });
  if (!read.ok) {
    if (read.code === 'FILE_UNREADABLE' && /ENOENT|ENOTDIR/.test(read.reason)) return defaultRuleSet();
    throw new SecretsError('SECRETS_CONFIG_UNREADABLE', `${local} was not read: ${read.reason}`, {
      location: { path: local },
    });
  }
  if (read.truncated) {
    throw new SecretsError('SECRETS_CONFIG_INVALID', `${local} is larger than ${maxConfigBytes} bytes`, {
      location: { path: local },
    });
  }
  return (
    await loadGitleaksConfig(read.bytes.toString('utf8'), local, {
      baseFolder: root,
      readExtended: workingTreeReader(root, '.gitleaks.toml'),
    })
  ).ruleSet;
}
