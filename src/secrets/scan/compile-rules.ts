import { SecretsError } from '../errors.js';
import type { AllowlistSpec, AllowTarget, RegexSpec, RuleSetSpec, RuleSpec } from '../rules/types.js';
import { buildKeywordIndex, type KeywordIndex } from './keyword-index.js';

export interface CompiledAllowlist {
  condition: 'or' | 'and';
  regexTarget: AllowTarget;
  regexes: RegExp[];
  paths: RegExp[];
  /** Lowercase. */
  stopwords: string[];
  commits: Set<string>;
  targetRules: Set<string>;
}

export interface CompiledRule {
  index: number;
  spec: RuleSpec;
  /** Global flag set: the engine reads `lastIndex`. Undefined for path-only rules. */
  regex: RegExp | undefined;
  path: RegExp | undefined;
  allowlists: CompiledAllowlist[];
}

export interface CompiledRuleSet {
  spec: RuleSetSpec;
  rules: CompiledRule[];
  allowlists: CompiledAllowlist[];
  keywordIndex: KeywordIndex;
  /** For keyword i: the rules that listed it. */
  rulesByKeyword: number[][];
  /** Rules with a regex and no keywords: they run over every chunk. */
  unkeyedRules: number[];
  /** Rules with a path and no regex: the file's presence is the finding. */
  pathOnlyRules: number[];
}

export function compileRegex(spec: RegexSpec, extraFlags: string, ruleId: string): RegExp {
  const flags = [...new Set(`${spec.flags}${extraFlags}`)].join('');
  try {
    return new RegExp(spec.source, flags);
  } catch (error) {
    throw new SecretsError(
      'SECRETS_RULE_UNSUPPORTED_REGEX',
      `rule ${ruleId}: invalid regex (${String(error)})`,
      {
        cause: error,
      },
    );
  }
}

function compileAllowlist(spec: AllowlistSpec, owner: string): CompiledAllowlist {
  return {
    condition: spec.condition,
    regexTarget: spec.regexTarget,
    regexes: spec.regexes.map((regex) => compileRegex(regex, '', owner)),
    paths: spec.paths.map((regex) => compileRegex(regex, '', owner)),
    stopwords: spec.stopwords.map((word) => word.toLowerCase()),
    commits: new Set(spec.commits.map((commit) => commit.toLowerCase())),
    targetRules: new Set(spec.targetRules),
  };
}

/** Rule sets already compiled, by identity: the built-in set is one shared object. */
const compiledSets = new WeakMap<RuleSetSpec, CompiledRuleSet>();

/** Turns rule data into runnable rules and builds the keyword index (once per rule set object). */
export function compileRuleSet(spec: RuleSetSpec): CompiledRuleSet {
  let compiled = compiledSets.get(spec);
  if (compiled === undefined) {
    compiled = compileRuleSetOnce(spec);
    compiledSets.set(spec, compiled);
  }
  return compiled;
}

function compileRuleSetOnce(spec: RuleSetSpec): CompiledRuleSet {
  const keywords: string[] = [];
  const keywordPositions = new Map<string, number>();
  const rulesByKeyword: number[][] = [];
  const unkeyedRules: number[] = [];
  const pathOnlyRules: number[] = [];
  const rules = spec.rules.map((ruleSpec, index): CompiledRule => {
    const compiled: CompiledRule = {
      index,
      spec: ruleSpec,
      regex: ruleSpec.regex ? compileRegex(ruleSpec.regex, 'g', ruleSpec.id) : undefined,
      path: ruleSpec.path ? compileRegex(ruleSpec.path, '', ruleSpec.id) : undefined,
      allowlists: ruleSpec.allowlists.map((allowlist) => compileAllowlist(allowlist, ruleSpec.id)),
    };
    if (!compiled.regex) {
      if (compiled.path) pathOnlyRules.push(index);
      return compiled;
    }
    const ascii = ruleSpec.keywords.filter((keyword) => /^[\x20-\x7e]+$/.test(keyword));
    // A rule with a keyword the index cannot hold runs everywhere rather than never.
    if (ascii.length === 0 || ascii.length !== ruleSpec.keywords.length) {
      unkeyedRules.push(index);
      return compiled;
    }
    for (const keyword of ascii) {
      const lower = keyword.toLowerCase();
      let position = keywordPositions.get(lower);
      if (position === undefined) {
        position = keywords.length;
        keywords.push(lower);
        keywordPositions.set(lower, position);
        rulesByKeyword.push([]);
      }
      const list = rulesByKeyword[position] as number[];
      if (!list.includes(index)) list.push(index);
    }
    return compiled;
  });
  return {
    spec,
    rules,
    allowlists: spec.allowlists.map((allowlist) => compileAllowlist(allowlist, 'global allowlist')),
    keywordIndex: buildKeywordIndex(keywords),
    rulesByKeyword,
    unkeyedRules,
    pathOnlyRules,
  };
}
