import { type ErrorKinds, errorWithKinds } from '../../kernel/index.js';
import { matchSegment, type PatternParts, splitPattern, type Token } from './pattern.js';

export type PatternListErrorCode = 'PATTERNS_TOO_COSTLY';

/** The kind of each code, which decides the exit code. */
const patternListErrorKinds: ErrorKinds<PatternListErrorCode> = {
  PATTERNS_TOO_COSTLY: 'internal',
};

export class PatternListError extends errorWithKinds(patternListErrorKinds) {}

export interface PatternList {
  /**
   * The index of the last pattern that matches the file at `path`, or -1 when none does. Throws
   * PatternListError once the work done exceeds the budget (patterns built to be slow).
   */
  lastMatch(path: string): number;
  /** Work done so far, in the budget's units. */
  readonly work: number;
}

/**
 * Work allowed for one list: a token test or a live pattern carried over costs 1, a full NFA step
 * 4 per core token (it does about that much more). 200 rules over 100k files take a few million
 * units (about 16 million when every file sits in its own folder under 50 unanchored wildcard
 * rules); patterns built to keep many states alive run out in well under a second.
 */
export const defaultWorkBudget = 40_000_000;

/** A pattern that can still match below a folder, with the core positions reached there. */
interface LivePattern {
  index: number;
  /** An NFA state set: each position is how many core tokens have been matched, ascending. */
  positions: readonly number[];
  /**
   * Set when a segment that no token at these positions matches leaves the set as it is (every
   * position sits on a globstar or right after one in the set): then only `tests` need a look.
   */
  stable: boolean;
  /** The non-globstar tokens at these positions. */
  tests: Token[];
}

/** Where the patterns stand after reading one folder's path, segment by segment. */
interface FolderState {
  /** The folder path, without a trailing slash; '' for the root. */
  path: string;
  /** The last pattern whose match of this folder or one above it covers every file below. */
  coveredBy: number;
  /** Patterns after `coveredBy` whose core, but for its last token, matches this folder; last first. */
  candidates: number[];
  /** Patterns after `coveredBy` that can still match something below. */
  live: LivePattern[];
  /** Built when the first subfolder is read: which live patterns a segment can change. */
  lookup?: LiveLookup;
}

/**
 * Positions in `live` of the patterns a segment may change. A stable pattern whose tests are all
 * literal changes only for a segment equal to one of them; the rest must be looked at each time.
 */
interface LiveLookup {
  byLiteral: Map<string, number[]>;
  others: number[];
}

/**
 * Compiles patterns once for matching many files. Each folder is read once, one segment at a time,
 * from its parent's state (a stack, so a sorted file list is walked like a tree), and patterns
 * that can no longer change the answer below a folder are dropped there. A file then costs one
 * name test per remaining candidate.
 */
export function compilePatternList(sources: readonly string[], workBudget = defaultWorkBudget): PatternList {
  const patterns: (PatternParts | undefined)[] = sources.map(splitPattern);
  let work = 0;
  const rootLive: LivePattern[] = [];
  for (const [index, parts] of patterns.entries()) {
    if (!parts) continue;
    rootLive.push(
      livePattern(index, parts.core, closePositions(parts.core, new Uint8Array(parts.core.length + 1), [0])),
    );
  }
  const stack: FolderState[] = [describeFolder('', -1, rootLive)];

  function spend(units: number): void {
    work += units;
    if (work > workBudget) {
      throw new PatternListError(
        'PATTERNS_TOO_COSTLY',
        `matching the patterns took more than ${workBudget} steps`,
      );
    }
  }

  function enter(path: string): FolderState {
    // Keep the ancestors of `path` on the stack, then descend one segment at a time.
    while (stack.length > 1) {
      const top = stack[stack.length - 1] as FolderState;
      if (path === top.path || path.startsWith(`${top.path}/`)) break;
      stack.pop();
    }
    let current = stack[stack.length - 1] as FolderState;
    while (current.path !== path) {
      const start = current.path === '' ? 0 : current.path.length + 1;
      const slash = path.indexOf('/', start);
      const end = slash === -1 ? path.length : slash;
      current = advance(current, path.slice(0, end), path.slice(start, end));
      stack.push(current);
    }
    return current;
  }

  function advance(parent: FolderState, path: string, segment: string): FolderState {
    if (!parent.lookup) {
      spend(parent.live.length);
      parent.lookup = buildLookup(parent.live);
    }
    const { byLiteral, others } = parent.lookup;
    spend(others.length + 1);
    const named = byLiteral.get(segment);
    let changing = named ? new Set(named) : undefined;
    for (const at of others) {
      const entry = parent.live[at] as LivePattern;
      spend(entry.tests.length);
      if (!entry.stable || matchesAny(entry.tests, segment)) {
        changing ??= new Set();
        changing.add(at);
      }
    }
    // Most folders change nothing (no pattern names them): share the parent's lists.
    if (!changing)
      return { path, coveredBy: parent.coveredBy, candidates: parent.candidates, live: parent.live };

    let coveredBy = parent.coveredBy;
    spend(parent.live.length);
    const live: LivePattern[] = [];
    for (const [at, entry] of parent.live.entries()) {
      if (!changing.has(at)) {
        live.push(entry);
        continue;
      }
      const core = (patterns[entry.index] as PatternParts).core;
      spend(4 * core.length);
      const next = step(core, entry.positions, segment);
      if (next.length === 0) continue;
      live.push(livePattern(entry.index, core, next));
      const coversBelow = patterns[entry.index]?.descend && next[next.length - 1] === core.length;
      if (coversBelow && entry.index > coveredBy) coveredBy = entry.index;
    }
    return describeFolder(
      path,
      coveredBy,
      live.filter((entry) => entry.index > coveredBy),
    );
  }

  function describeFolder(path: string, coveredBy: number, live: LivePattern[]): FolderState {
    const candidates: number[] = [];
    for (const { index, positions } of live) {
      const parts = patterns[index] as PatternParts;
      if (!parts.directoryOnly && positions.includes(parts.core.length - 1)) candidates.push(index);
    }
    candidates.sort((a, b) => b - a);
    return { path, coveredBy, candidates, live };
  }

  return {
    get work() {
      return work;
    },
    lastMatch(path) {
      const slash = path.lastIndexOf('/');
      const folder = enter(slash === -1 ? '' : path.slice(0, slash));
      const name = path.slice(slash + 1);
      spend(folder.candidates.length);
      for (const index of folder.candidates) {
        const core = (patterns[index] as PatternParts).core;
        if (matchSegment(core[core.length - 1] as Token, name)) return index;
      }
      return folder.coveredBy;
    },
  };
}

function buildLookup(live: readonly LivePattern[]): LiveLookup {
  const byLiteral = new Map<string, number[]>();
  const others: number[] = [];
  for (const [at, entry] of live.entries()) {
    if (!entry.stable || entry.tests.some((token) => token.kind !== 'literal')) {
      others.push(at);
      continue;
    }
    for (const token of entry.tests) {
      if (token.kind !== 'literal') continue;
      const positions = byLiteral.get(token.text);
      if (positions) positions.push(at);
      else byLiteral.set(token.text, [at]);
    }
  }
  return { byLiteral, others };
}

function livePattern(index: number, core: readonly Token[], positions: readonly number[]): LivePattern {
  const tests: Token[] = [];
  let stable = true;
  let previous = -2;
  for (const position of positions) {
    const token = core[position];
    if (token?.kind !== 'globstar') {
      if (token) tests.push(token);
      // Positions are ascending: the one before this is the globstar it may follow.
      const afterGlobstar = previous === position - 1 && core[previous]?.kind === 'globstar';
      if (!afterGlobstar) stable = false;
    }
    previous = position;
  }
  return { index, positions, stable, tests };
}

function matchesAny(tokens: readonly Token[], segment: string): boolean {
  for (const token of tokens) if (matchSegment(token, segment)) return true;
  return false;
}

/**
 * Adds the positions reachable without reading a segment (a globstar may match nothing) to the
 * positions marked in `reached`, and returns them all in ascending order.
 */
function closePositions(core: readonly Token[], reached: Uint8Array, initial: readonly number[]): number[] {
  for (const position of initial) reached[position] = 1;
  const positions: number[] = [];
  for (let position = 0; position <= core.length; position++) {
    if (reached[position] !== 1) continue;
    positions.push(position);
    if (core[position]?.kind === 'globstar') reached[position + 1] = 1;
  }
  return positions;
}

/** Marks reused by `step`; patterns are bounded (pattern.ts), so their cores are short. */
let scratch = new Uint8Array(128);

/** The positions reached after reading one more segment, ascending. */
function step(core: readonly Token[], positions: readonly number[], segment: string): number[] {
  if (scratch.length < core.length + 1) scratch = new Uint8Array(core.length + 1);
  const reached = scratch;
  reached.fill(0, 0, core.length + 1);
  for (const position of positions) {
    const token = core[position];
    if (!token) continue;
    if (token.kind === 'globstar') reached[position] = 1;
    else if (matchSegment(token, segment)) reached[position + 1] = 1;
  }
  return closePositions(core, reached, []);
}
