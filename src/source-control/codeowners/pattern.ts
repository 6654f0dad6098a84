/**
 * CODEOWNERS path patterns (the gitignore syntax GitHub and GitLab use, minus negation), compiled
 * once. No regular expressions, so a hostile pattern cannot make matching hang: `compilePattern`
 * matches one path with one backtrack point per level, O(pattern × path) at worst;
 * `compilePatternList` (pattern-list.ts) runs many patterns as small NFAs over a tree of folders.
 * Patterns are bounded in length and in segments (`patternProblem` says why one is refused).
 *
 * - `/x` or any `/` before the last character anchors to the repository root; otherwise the
 *   pattern matches at any depth.
 * - `*` matches within one path segment, `?` one character, `**` as a whole segment any number of
 *   segments; `\` escapes the next character.
 * - A trailing `/` matches folders only; a pattern that matches a folder matches everything below.
 * - A pattern ending in `/*` matches direct children only (GitHub's documented behaviour).
 */

export const star = -1;
const anyCharacter = -2;

export type Token =
  | { kind: 'globstar' }
  | { kind: 'literal'; text: string }
  /**
   * Character codes, with `star` and `anyCharacter` for the wildcards; `head` and `tail` are the
   * literal text before the first and after the last wildcard, tested first because it is cheap.
   */
  | { kind: 'wildcard'; codes: number[]; head: string; tail: string };

export interface CompiledPattern {
  /** The pattern as written. */
  source: string;
  /** True when the file at `path` (forward slashes, relative to the root) is matched. */
  matches(path: string): boolean;
}

/** Longest pattern compiled, in characters and in path segments; longer ones match nothing. */
const maxPatternLength = 4096;
const maxPatternSegments = 32;

/** Why a pattern is refused (and matches nothing), or undefined when it is compiled. */
export function patternProblem(source: string): string | undefined {
  if (source.length > maxPatternLength) return `pattern longer than ${maxPatternLength} characters`;
  let segments = 0;
  let inSegment = false;
  for (let index = 0; index < source.length; index++) {
    if (source[index] === '/') {
      inSegment = false;
      continue;
    }
    if (source[index] === '\\') index++;
    if (!inSegment) segments++;
    inSegment = true;
  }
  return segments > maxPatternSegments
    ? `pattern with more than ${maxPatternSegments} path segments`
    : undefined;
}

/**
 * A pattern taken apart: `core` must match a path exactly; `descend` says a folder it matches
 * covers everything below; `directoryOnly` says it never matches a file by itself. The core never
 * ends in a globstar, so its last token always matches exactly the last segment.
 */
export interface PatternParts {
  core: Token[];
  directoryOnly: boolean;
  descend: boolean;
}

/** Compiles one pattern for matching one path at a time (see `compilePatternList` for many). */
export function compilePattern(source: string): CompiledPattern {
  const parts = splitPattern(source);
  if (!parts) return { source, matches: () => false };
  const suffix: Token[] = parts.directoryOnly
    ? [wildcardToken([star]), { kind: 'globstar' }]
    : parts.descend
      ? [{ kind: 'globstar' }]
      : [];
  const matcher = createSequenceMatcher(collapseGlobstars([...parts.core, ...suffix]));
  return { source, matches: (path) => matcher(path, path.split('/')) };
}

interface RawSegment {
  codes: number[];
  hasWildcard: boolean;
}

/** Splits on unescaped `/` and applies the anchoring and folder rules; undefined for an empty pattern. */
export function splitPattern(source: string): PatternParts | undefined {
  if (patternProblem(source) !== undefined) return undefined;
  const segments: RawSegment[] = [];
  let current: RawSegment = { codes: [], hasWildcard: false };
  let leadingSlash = false;
  let trailingSlash = false;
  for (let index = 0; index < source.length; index++) {
    const code = source.charCodeAt(index);
    if (code === 0x5c /* \ */ && index + 1 < source.length) {
      index++;
      current.codes.push(source.charCodeAt(index));
    } else if (code === 0x2f /* / */) {
      if (index === 0) leadingSlash = true;
      if (index === source.length - 1) trailingSlash = true;
      if (current.codes.length > 0) segments.push(current);
      current = { codes: [], hasWildcard: false };
    } else if (code === 0x2a /* * */) {
      current.codes.push(star);
      current.hasWildcard = true;
    } else if (code === 0x3f /* ? */) {
      current.codes.push(anyCharacter);
      current.hasWildcard = true;
    } else {
      current.codes.push(code);
    }
  }
  if (current.codes.length > 0) segments.push(current);
  if (segments.length === 0) return undefined;

  const anchored = leadingSlash || segments.length > 1;
  const core: Token[] = anchored ? [] : [{ kind: 'globstar' }];
  for (const segment of segments) core.push(toToken(segment));
  const last = segments[segments.length - 1] as RawSegment;
  // `dir/**` is everything inside dir: one more segment of any name, and what lies below it.
  if (isGlobstar(last)) core[core.length - 1] = wildcardToken([star]);
  const lastIsLoneStar = last.codes.length === 1 && last.codes[0] === star;
  return {
    core: collapseGlobstars(core),
    directoryOnly: trailingSlash,
    descend: trailingSlash || isGlobstar(last) || !(anchored && lastIsLoneStar),
  };
}

function isGlobstar(segment: RawSegment): boolean {
  return segment.codes.length === 2 && segment.codes[0] === star && segment.codes[1] === star;
}

function toToken(segment: RawSegment): Token {
  if (isGlobstar(segment)) return { kind: 'globstar' };
  if (!segment.hasWildcard) return { kind: 'literal', text: String.fromCharCode(...segment.codes) };
  // Consecutive stars inside a segment mean the same as one.
  const codes: number[] = [];
  for (const code of segment.codes) {
    if (code === star && codes[codes.length - 1] === star) continue;
    codes.push(code);
  }
  return wildcardToken(codes);
}

export function wildcardToken(codes: number[]): Token {
  const first = codes.findIndex((code) => code < 0);
  const last = codes.findLastIndex((code) => code < 0);
  return {
    kind: 'wildcard',
    codes,
    head: String.fromCharCode(...codes.slice(0, first)),
    tail: String.fromCharCode(...codes.slice(last + 1)),
  };
}

function collapseGlobstars(tokens: readonly Token[]): Token[] {
  const result: Token[] = [];
  for (const token of tokens) {
    if (token.kind === 'globstar' && result[result.length - 1]?.kind === 'globstar') continue;
    result.push(token);
  }
  return result;
}

/** Tests a whole path (joined and split) against a token sequence. */
type SequenceMatcher = (path: string, segments: readonly string[]) => boolean;

/** Cheap necessary tests first (a literal prefix, literal substrings), then the matcher. */
function createSequenceMatcher(tokens: readonly Token[]): SequenceMatcher {
  const required = requiredSubstrings(tokens);
  const prefix = anchoredPrefix(tokens);
  return (path, segments) => {
    if (prefix !== undefined && !path.startsWith(prefix)) return false;
    for (const text of required) if (!path.includes(text)) return false;
    return matchTokens(tokens, segments);
  };
}

/** Literal text every matching path must contain: a cheap test before the matcher runs. */
function requiredSubstrings(tokens: readonly Token[]): string[] {
  const texts: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'literal') texts.push(token.text);
    if (token.kind === 'wildcard') {
      let run = '';
      let longest = '';
      for (const code of token.codes) {
        if (code < 0) run = '';
        else run += String.fromCharCode(code);
        if (run.length > longest.length) longest = run;
      }
      if (longest.length > 0) texts.push(longest);
    }
  }
  return texts;
}

/** For an anchored pattern starting with literal segments: the path prefix they spell. */
function anchoredPrefix(tokens: readonly Token[]): string | undefined {
  const literals: string[] = [];
  for (const token of tokens) {
    if (token.kind !== 'literal') break;
    literals.push(token.text);
  }
  return literals.length > 0 ? literals.join('/') : undefined;
}

/** Greedy matching with the last globstar as the only backtrack point; correct for single-segment tokens. */
function matchTokens(tokens: readonly Token[], segments: readonly string[]): boolean {
  let token = 0;
  let segment = 0;
  let starToken = -1;
  let starSegment = 0;
  while (segment < segments.length) {
    const current = tokens[token];
    if (current?.kind === 'globstar') {
      starToken = token;
      starSegment = segment;
      token++;
      continue;
    }
    if (current && matchSegment(current, segments[segment] as string)) {
      token++;
      segment++;
      continue;
    }
    if (starToken === -1) return false;
    token = starToken + 1;
    starSegment++;
    segment = starSegment;
  }
  while (tokens[token]?.kind === 'globstar') token++;
  return token === tokens.length;
}

export function matchSegment(token: Token, segment: string): boolean {
  if (token.kind === 'literal') return token.text === segment;
  if (token.kind === 'globstar') return true;
  if (!segment.startsWith(token.head) || !segment.endsWith(token.tail)) return false;
  return matchWildcard(token.codes, segment);
}

/** The same greedy algorithm one level down: `*` over characters of one segment. */
function matchWildcard(codes: readonly number[], text: string): boolean {
  let code = 0;
  let index = 0;
  let starCode = -1;
  let starIndex = 0;
  while (index < text.length) {
    const wanted = codes[code];
    if (wanted === star) {
      starCode = code;
      starIndex = index;
      code++;
      continue;
    }
    if (wanted !== undefined && (wanted === anyCharacter || wanted === text.charCodeAt(index))) {
      code++;
      index++;
      continue;
    }
    if (starCode === -1) return false;
    code = starCode + 1;
    starIndex++;
    index = starIndex;
  }
  while (codes[code] === star) code++;
  return code === codes.length;
}
