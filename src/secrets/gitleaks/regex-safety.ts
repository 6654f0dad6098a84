/**
 * Gitleaks writes its rules for Go's RE2, which runs in linear time whatever the pattern.
 * JavaScript's engine backtracks, so a rule from a repository's `.gitleaks.toml` such as
 * `(a|aa)+$` or `(\w+\s?)*$` can take exponential time on a 49-byte line and hang `secrets`,
 * `assess` and `gate`. A configuration is repository content, so its rules are checked here
 * before they run and refused (with the reason) when they have the shapes that backtrack
 * catastrophically: a repeated group whose body can itself repeat or choose between
 * alternatives of different shapes.
 */

interface Frame {
  /** Where the group's body starts in the source. */
  start: number;
  /** The body holds a quantifier that can repeat (max above one). */
  repeats: boolean;
  /** The body holds `|` between alternatives that are not all one character wide. */
  ambiguousChoice: boolean;
  /** Every alternative so far is one atom of width one (a character, an escape or a class). */
  alternativeWidths: number[];
  currentWidth: number;
  hasAlternation: boolean;
}

interface Quantifier {
  length: number;
  max: number;
}

/**
 * A group repeated at most this many times backtracks at worst polynomially with a small
 * exponent (gitleaks' own `([a-z0-9]{4}-){3}`); more repetitions count as unbounded.
 */
const boundedRepeatLimit = 16;

/** The reason `source` (JavaScript syntax) can backtrack catastrophically, or undefined. */
export function findCatastrophicBacktracking(source: string): string | undefined {
  const stack: Frame[] = [newFrame(0)];
  const top = (): Frame => stack[stack.length - 1] as Frame;
  let index = 0;
  while (index < source.length) {
    const char = source[index] as string;
    if (char === '\\') {
      index += escapeLength(source, index);
      index = afterAtom(source, index, top(), 1);
      continue;
    }
    if (char === '[') {
      index = classEnd(source, index);
      index = afterAtom(source, index, top(), 1);
      continue;
    }
    if (char === '(') {
      const prefix = groupPrefixLength(source, index);
      stack.push(newFrame(index + prefix));
      index += prefix;
      continue;
    }
    if (char === ')') {
      const frame = stack.pop() as Frame;
      if (stack.length === 0) return undefined;
      closeAlternative(frame);
      const quantifier = readQuantifier(source, index + 1);
      const parent = top();
      const separated =
        frame.repeats && !frame.ambiguousChoice && startsWithSeparator(source.slice(frame.start, index));
      if (
        quantifier &&
        quantifier.max > boundedRepeatLimit &&
        !separated &&
        (frame.repeats || frame.ambiguousChoice)
      ) {
        return frame.repeats
          ? 'a repeated group contains another repetition (nested quantifiers backtrack exponentially)'
          : 'a repeated group chooses between alternatives of different shapes (backtracks exponentially)';
      }
      parent.repeats ||= frame.repeats || (quantifier !== undefined && quantifier.max > 1);
      parent.ambiguousChoice ||= frame.ambiguousChoice;
      const width = frame.hasAlternation || frame.repeats ? 2 : Math.max(...frame.alternativeWidths, 0);
      parent.currentWidth += quantifier ? 2 : width;
      index += 1 + (quantifier?.length ?? 0);
      skipLazyOrPossessive();
      continue;
    }
    if (char === '|') {
      closeAlternative(top());
      top().hasAlternation = true;
      index += 1;
      continue;
    }
    if (char === '^' || char === '$') {
      index += 1;
      continue;
    }
    index = afterAtom(source, index + 1, top(), 1);
  }
  return undefined;

  function skipLazyOrPossessive(): void {
    if (source[index] === '?') index += 1;
  }
}

/**
 * A body that opens with a punctuation literal found nowhere else in it, and repeats only
 * classes that cannot match it (`(?:\.[A-Za-z]\w+)+`): each repetition must start at that
 * character, so there is one way to split the input and no backtracking blow-up.
 */
function startsWithSeparator(body: string): boolean {
  const escaped = body.startsWith('\\') && /[^A-Za-z0-9]/.test(body[1] ?? 'a');
  const plain = /^[^A-Za-z0-9\\.[(|)*+?{}^$]/.test(body);
  if (!escaped && !plain) return false;
  const separator = escaped ? (body[1] as string) : (body[0] as string);
  const rest = body.slice(escaped ? 2 : 1);
  if (rest.includes(separator)) return false;
  // Anything that could match the separator again: any character, negated classes and escapes.
  return !/(^|[^\\])\.|\\[SWDsb]|\[\^/.test(rest);
}

function newFrame(start: number): Frame {
  return {
    start,
    repeats: false,
    ambiguousChoice: false,
    alternativeWidths: [],
    currentWidth: 0,
    hasAlternation: false,
  };
}

function closeAlternative(frame: Frame): void {
  frame.alternativeWidths.push(frame.currentWidth);
  frame.currentWidth = 0;
  if (frame.alternativeWidths.length > 1 && frame.alternativeWidths.some((width) => width !== 1)) {
    frame.ambiguousChoice = true;
  }
}

/** Consumes a quantifier after an atom, records it in the frame, returns the next index. */
function afterAtom(source: string, index: number, frame: Frame, width: number): number {
  const quantifier = readQuantifier(source, index);
  if (!quantifier) {
    frame.currentWidth += width;
    return index;
  }
  if (quantifier.max > 1) frame.repeats = true;
  // An optional or repeated atom makes its alternative more than one character wide.
  frame.currentWidth += 2;
  let next = index + quantifier.length;
  if (source[next] === '?') next += 1;
  return next;
}

function readQuantifier(source: string, index: number): Quantifier | undefined {
  const char = source[index];
  if (char === '*' || char === '+') return { length: 1, max: Number.POSITIVE_INFINITY };
  if (char === '?') return { length: 1, max: 1 };
  if (char !== '{') return undefined;
  const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(index, index + 24));
  if (!match) return undefined;
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : match[3] === '' ? Number.POSITIVE_INFINITY : Number(match[3]);
  return { length: match[0].length, max };
}

function escapeLength(source: string, index: number): number {
  const next = source[index + 1];
  if (next === 'x') return 4;
  if (next === 'u') {
    if (source[index + 2] !== '{') return 6;
    // `\u{` with no closing brace is two characters: never a step back (that looped forever).
    const end = source.indexOf('}', index);
    return end === -1 ? 2 : end - index + 1;
  }
  if (next === 'p' || next === 'P') {
    const end = source.indexOf('}', index);
    return end === -1 ? 2 : end - index + 1;
  }
  if (next === 'k') {
    const end = source.indexOf('>', index);
    return end === -1 ? 2 : end - index + 1;
  }
  return 2;
}

function classEnd(source: string, index: number): number {
  let position = index + 1;
  if (source[position] === '^') position += 1;
  if (source[position] === ']') position += 1;
  while (position < source.length && source[position] !== ']') {
    position += source[position] === '\\' ? 2 : 1;
  }
  return position + 1;
}

function groupPrefixLength(source: string, index: number): number {
  if (source[index + 1] !== '?') return 1;
  const next = source[index + 2];
  if (next === ':' || next === '=' || next === '!') return 3;
  if (next === '<' && (source[index + 3] === '=' || source[index + 3] === '!')) return 4;
  if (next === '<') {
    const end = source.indexOf('>', index);
    return end === -1 ? 3 : end - index + 1;
  }
  // Modifier groups: (?i:…), (?-i:…)
  const colon = source.indexOf(':', index);
  return colon === -1 ? 2 : colon - index + 1;
}
