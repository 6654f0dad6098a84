import { shannonEntropy } from '../rules/entropy.js';
import { isReference, validateSecret } from '../rules/validators.js';
import type { CompiledRule, CompiledRuleSet } from './compile-rules.js';

/** One match of a rule in a text, before allowlists that need a path or commit. Holds the raw secret: never print it. */
export interface EngineMatch {
  ruleIndex: number;
  ruleId: string;
  secret: string;
  /** The whole regex match, at most `maxContextChars`. */
  match: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units, of the secret. */
  column: number;
  /** The line the secret starts on, at most `maxContextChars` around the secret. */
  lineText: string;
  /**
   * The value has a provider's token format, prefix included, but a filler body (a run of one
   * letter, `example`, too little entropy): reported as low, never as a leak.
   */
  placeholder?: true;
}

/** How far before a keyword a match may start. */
const reachBefore = 512;
/** How far past a keyword a single-line match may end, unless the rule says otherwise. */
const defaultReach = 4096;
/** Rules without keywords run over chunks of this size, overlapping by `chunkOverlap`. */
export const chunkSize = 1024 * 1024;
const chunkOverlap = 16 * 1024;
const maxMatchesPerRule = 1000;
const maxContextChars = 1000;
const inlineAllowMarkers = ['gitleaks:allow', 'shipguard:allow'];

/** What a scan saw besides its matches, for callers that reuse results across similar texts. */
export interface ScanObservations {
  /**
   * A rule whose match may span lines (multi-line or keyword-less) ran somewhere in the text.
   * When false, every match and every rejected candidate depended only on the line it is on.
   */
  crossLine: boolean;
}

interface Window {
  start: number;
  end: number;
}

/**
 * Finds every secret in `text`. One keyword pass (Aho-Corasick) marks where each rule may match;
 * a rule's regex then runs only inside its windows (the keyword's line, bounded on both sides),
 * so the work is linear in the text whatever its shape.
 */
export function scanText(
  text: string,
  ruleSet: CompiledRuleSet,
  observations?: ScanObservations,
): EngineMatch[] {
  const windows = findWindows(text, ruleSet);
  if (observations) {
    if (ruleSet.unkeyedRules.length > 0 && text.length > 0) observations.crossLine = true;
    for (const index of windows.keys()) {
      if ((ruleSet.rules[index] as CompiledRule).spec.multiline) observations.crossLine = true;
    }
  }
  for (const index of ruleSet.unkeyedRules) {
    const list: Window[] = [];
    for (let start = 0; start < text.length; start += chunkSize) {
      list.push({ start, end: Math.min(text.length, start + chunkSize + chunkOverlap) });
    }
    windows.set(index, list);
  }
  const candidates: Array<{ rule: CompiledRule; secret: string; match: string; start: number; end: number }> =
    [];
  for (const [index, list] of windows) {
    const rule = ruleSet.rules[index] as CompiledRule;
    const regex = rule.regex;
    if (!regex) continue;
    let found = 0;
    let lastStart = -1;
    for (const window of list) {
      const slice = text.slice(window.start, window.end);
      regex.lastIndex = 0;
      for (;;) {
        const result = regex.exec(slice);
        if (!result) break;
        if (result[0].length === 0) regex.lastIndex++;
        const absolute = window.start + result.index;
        // Windows from unkeyed chunks overlap: a match seen in the previous chunk is skipped.
        if (absolute <= lastStart) continue;
        lastStart = absolute;
        const secret = pickSecret(result, rule.spec.secretGroup);
        if (secret.length === 0) continue;
        const offsetInMatch = result[0].indexOf(secret);
        const start = absolute + Math.max(0, offsetInMatch);
        candidates.push({ rule, secret, match: result[0], start, end: start + secret.length });
        if (++found >= maxMatchesPerRule) break;
      }
      if (found >= maxMatchesPerRule) break;
    }
  }
  const accepted: Array<(typeof candidates)[number] & { placeholder: boolean }> = [];
  for (const candidate of candidates) {
    const { rule, secret } = candidate;
    const passes =
      (rule.spec.entropy === undefined || shannonEntropy(secret) >= rule.spec.entropy) &&
      (!rule.spec.validator || validateSecret(rule.spec.validator, secret));
    if (passes) accepted.push({ ...candidate, placeholder: false });
    else if (isFormatPlaceholder(rule, secret)) accepted.push({ ...candidate, placeholder: true });
  }
  // Where two rules claim the same characters, the rule listed first wins.
  accepted.sort((left, right) => left.rule.index - right.rule.index || left.start - right.start);
  const kept: typeof accepted = [];
  for (const candidate of accepted) {
    // `kept` stays sorted by start; only the neighbours either side can overlap.
    const at = insertionPoint(kept, candidate.start);
    const before = kept[at - 1];
    const after = kept[at];
    if (before && before.end > candidate.start) continue;
    if (after && after.start < candidate.end) continue;
    kept.splice(at, 0, candidate);
  }
  const lines = createLineCursor(text);
  const matches: EngineMatch[] = [];
  for (const candidate of kept) {
    const position = lines.locate(candidate.start);
    const lastLine = lines.lineAround(candidate.end - 1);
    if (hasInlineAllow(position.text) || hasInlineAllow(lastLine)) continue;
    matches.push({
      ruleIndex: candidate.rule.index,
      ruleId: candidate.rule.spec.id,
      secret: detached(candidate.secret),
      match: detached(candidate.match.slice(0, maxContextChars)),
      line: position.line,
      column: position.column,
      lineText: detached(position.text),
      ...(candidate.placeholder ? { placeholder: true as const } : {}),
    });
  }
  return matches;
}

/**
 * A copy of a part of the scanned text that does not keep the whole text alive: V8 may return a
 * substring as a view into its parent, and a history scan holds its matches until the end (on
 * drizzle-orm, 1,462 matched files of 82 MB kept alive by a few hundred bytes each).
 */
function detached(part: string): string {
  return structuredClone(part);
}

/** Validators of rules whose regex fixes a provider's whole token format (prefix and body). */
const formatValidators = new Set(['provider-value', 'upper-token']);

/**
 * A token that starts with its issuer's prefix (`tskey-`, `hf_`, `sk_live_`: the rule's keyword), in the exact format, but
 * whose body failed the value checks: documentation or a redacted example. Worth a low finding
 * (the format says which provider and what to check), never a leak. References (`${VAR}`) are not.
 */
function isFormatPlaceholder(rule: CompiledRule, secret: string): boolean {
  // A setting whose key the regex fixes (`.npmrc`'s `:_authToken=`): any literal filler there.
  if (rule.spec.fillerIsPlaceholder) return !isReference(secret);
  if (!rule.spec.validator || !formatValidators.has(rule.spec.validator)) return false;
  if (isReference(secret)) return false;
  // The issuer's prefix is the rule's keyword, and the secret starts with it.
  const lower = secret.toLowerCase();
  return rule.spec.keywords.some(
    (keyword) => keyword.length >= 3 && /[_-]$/.test(keyword) && lower.startsWith(keyword),
  );
}

function insertionPoint(sorted: ReadonlyArray<{ start: number }>, start: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as { start: number }).start < start) low = middle + 1;
    else high = middle;
  }
  return low;
}

function pickSecret(result: RegExpExecArray, group: number): string {
  if (group > 0) return result[group] ?? '';
  for (let index = 1; index < result.length; index++) {
    const value = result[index];
    if (value) return value;
  }
  return result[0];
}

function hasInlineAllow(line: string): boolean {
  return inlineAllowMarkers.some((marker) => line.includes(marker));
}

/** Per rule, the merged windows around its keywords' occurrences. */
function findWindows(text: string, ruleSet: CompiledRuleSet): Map<number, Window[]> {
  const windows = new Map<number, Window[]>();
  let lineStart = 0;
  let lineEnd = -1;
  ruleSet.keywordIndex.search(text, 0, text.length, (hit, keyword) => {
    if (hit > lineEnd || hit < lineStart) {
      lineStart = text.lastIndexOf('\n', hit) + 1;
      const next = text.indexOf('\n', hit);
      lineEnd = next === -1 ? text.length : next;
    }
    for (const index of ruleSet.rulesByKeyword[keyword] as number[]) {
      const spec = (ruleSet.rules[index] as CompiledRule).spec;
      const reach = spec.reach ?? defaultReach;
      const start = Math.max(lineStart, hit - reachBefore);
      const end = spec.multiline ? Math.min(text.length, hit + reach) : Math.min(lineEnd, hit + reach);
      let list = windows.get(index);
      if (!list) {
        list = [];
        windows.set(index, list);
      }
      const last = list[list.length - 1];
      if (last && start <= last.end) {
        if (end > last.end) last.end = end;
        if (start < last.start) last.start = start;
      } else {
        list.push({ start, end });
      }
    }
  });
  return windows;
}

/** Maps offsets (visited in increasing order) to 1-based line and column, counting newlines once. */
function createLineCursor(text: string) {
  let offset = 0;
  let line = 1;
  let lineStart = 0;
  // Bounded both ways, so a 10 MB single line costs no more than a short one.
  function lineAround(position: number): string {
    const floor = Math.max(0, position - maxContextChars / 2);
    let start = position;
    while (start > floor && text.charCodeAt(start - 1) !== 10) start--;
    const ceiling = Math.min(text.length, position + maxContextChars / 2);
    let end = position;
    while (end < ceiling && text.charCodeAt(end) !== 10) end++;
    return text.slice(start, end);
  }
  return {
    locate(position: number): { line: number; column: number; text: string } {
      if (position < offset) {
        offset = 0;
        line = 1;
        lineStart = 0;
      }
      for (;;) {
        const next = text.indexOf('\n', offset);
        if (next === -1 || next >= position) break;
        line++;
        lineStart = next + 1;
        offset = next + 1;
      }
      offset = Math.max(offset, lineStart);
      return { line, column: position - lineStart + 1, text: lineAround(position) };
    },
    lineAround,
  };
}
