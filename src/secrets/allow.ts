import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CompiledAllowlist, CompiledRule, CompiledRuleSet } from './scan/compile-rules.js';
import type { EngineMatch } from './scan/engine.js';

export interface MatchContext {
  path: string;
  commit?: string;
}

/** True when the rule applies to this path (gitleaks' per-rule `path`). */
export function ruleAppliesToPath(rule: CompiledRule, path: string): boolean {
  if (!rule.path) return true;
  rule.path.lastIndex = 0;
  return rule.path.test(path);
}

/** True when an allowlist of the rule, or a global one targeting it, allows this match. */
export function isAllowed(ruleSet: CompiledRuleSet, match: EngineMatch, context: MatchContext): boolean {
  const rule = ruleSet.rules[match.ruleIndex];
  if (!rule) return false;
  for (const allowlist of rule.allowlists) {
    if (allowlistAllows(allowlist, match, context)) return true;
  }
  for (const allowlist of ruleSet.allowlists) {
    if (allowlist.targetRules.size > 0 && !allowlist.targetRules.has(rule.spec.id)) continue;
    if (allowlistAllows(allowlist, match, context)) return true;
  }
  return false;
}

/**
 * Drops matches a rule's path does not cover and matches an allowlist allows. Line-independent
 * and commit-independent, so history scans apply it once per (commit, path).
 */
export function filterMatches(
  ruleSet: CompiledRuleSet,
  matches: readonly EngineMatch[],
  context: MatchContext,
): EngineMatch[] {
  return matches.filter((match) => {
    const rule = ruleSet.rules[match.ruleIndex];
    if (!rule || !ruleAppliesToPath(rule, context.path)) return false;
    return !isAllowed(ruleSet, match, context);
  });
}

/** Whether a path alone is allowed by global allowlists (used before reading a file). */
export function isPathAllowed(ruleSet: CompiledRuleSet, path: string): boolean {
  return ruleSet.allowlists.some(
    (allowlist) =>
      allowlist.targetRules.size === 0 &&
      allowlist.condition === 'or' &&
      allowlist.paths.some((regex) => testRegex(regex, path)),
  );
}

function allowlistAllows(allowlist: CompiledAllowlist, match: EngineMatch, context: MatchContext): boolean {
  const target =
    allowlist.regexTarget === 'line'
      ? match.lineText
      : allowlist.regexTarget === 'match'
        ? match.match
        : match.secret;
  const lowerSecret = match.secret.toLowerCase();
  const criteria: boolean[] = [];
  if (allowlist.commits.size > 0) {
    criteria.push(context.commit !== undefined && allowlist.commits.has(context.commit.toLowerCase()));
  }
  if (allowlist.paths.length > 0)
    criteria.push(allowlist.paths.some((regex) => testRegex(regex, context.path)));
  if (allowlist.regexes.length > 0)
    criteria.push(allowlist.regexes.some((regex) => testRegex(regex, target)));
  if (allowlist.stopwords.length > 0)
    criteria.push(allowlist.stopwords.some((word) => lowerSecret.includes(word)));
  if (criteria.length === 0) return false;
  return allowlist.condition === 'and' ? criteria.every(Boolean) : criteria.some(Boolean);
}

function testRegex(regex: RegExp, text: string): boolean {
  regex.lastIndex = 0;
  return regex.test(text);
}

/** Reads `.gitleaksignore` at the root: one fingerprint per line, `#` comments. Absent: empty. */
export async function readGitleaksIgnore(root: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(join(root, '.gitleaksignore'), 'utf8');
  } catch {
    return new Set();
  }
  return parseGitleaksIgnore(text);
}

/** A `.gitleaksignore`'s fingerprints: one per line, `#` comments. */
export function parseGitleaksIgnore(text: string): Set<string> {
  const fingerprints = new Set<string>();
  for (const raw of text.split('\n').slice(0, 100_000)) {
    const line = raw.trim();
    if (line.length > 0 && !line.startsWith('#')) fingerprints.add(line);
  }
  return fingerprints;
}
