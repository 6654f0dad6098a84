import type { EngineMatch } from './engine.js';

/**
 * Which lines of a new version of a file must be scanned again, and which it shares with an earlier
 * version. A history scan rescans only the changed lines of each new version and carries the
 * earlier version's matches over for the rest: most versions of a long file (a changelog, a lock
 * file) change a few lines, so this turns "every byte of every version" into roughly "every
 * changed line", the same work a patch-based scanner does, without asking git for patches.
 *
 * Every shared run is found by native comparisons of the bytes themselves, never by a hash: the
 * shared head and tail first, then, between them, a few lines from the middle of what is left
 * are looked for in the earlier version and the equal bytes around them taken too, and so on
 * either side. Edits far apart (a lock file's importers at the top and its packages at the
 * bottom) therefore do not make everything between them a change.
 */
export interface LineDelta {
  /** Runs of whole lines with the same bytes in both versions, in order in both. */
  shared: SharedRun[];
  /** Runs of whole lines of the new version to scan again, in order. */
  changed: ByteRange[];
}

export interface SharedRun {
  baseStart: number;
  nextStart: number;
  bytes: number;
}

export interface ByteRange {
  start: number;
  end: number;
}

/** A part smaller than this is rescanned rather than searched: a search would cost more. */
const minSearchedBytes = 1024;
/** The lines looked for in the earlier version: at least this many bytes of them... */
const anchorBytes = 96;
/** ...and at most this many (a longer line is not used). */
const maxAnchorBytes = 4096;
/** Where in a part the anchors are taken, in order of trial. */
const anchorPlaces = [0.5, 0.25, 0.75];
/** Bytes searched, at most, as a multiple of the middle's size: hostile content stays linear. */
const searchBudgetFactor = 4;

export function findLineDelta(base: Buffer, next: Buffer): LineDelta {
  const limit = Math.min(base.length, next.length);
  const prefix = commonPrefixLength(base, next, limit);
  const suffix = commonSuffixLength(base, next, limit - prefix);
  const headEnd = prefix === 0 ? 0 : next.lastIndexOf(10, prefix - 1) + 1;
  const newline = suffix === 0 ? -1 : next.indexOf(10, next.length - suffix);
  const tailStart = newline === -1 ? next.length : newline + 1;
  const baseTailStart = newline === -1 ? base.length : base.length - (next.length - tailStart);
  const delta: LineDelta = { shared: [], changed: [] };
  if (headEnd > 0) delta.shared.push({ baseStart: 0, nextStart: 0, bytes: headEnd });
  const aligner = { base, next, delta, budget: searchBudgetFactor * (tailStart - headEnd) };
  align(aligner, { start: headEnd, end: baseTailStart }, { start: headEnd, end: tailStart });
  if (tailStart < next.length) {
    delta.shared.push({ baseStart: baseTailStart, nextStart: tailStart, bytes: next.length - tailStart });
  }
  return delta;
}

interface Aligner {
  base: Buffer;
  next: Buffer;
  delta: LineDelta;
  budget: number;
}

/** Finds shared runs between two parts that start on line starts; the rest of `next` is changed. */
function align(aligner: Aligner, base: ByteRange, next: ByteRange): void {
  if (next.end <= next.start) return;
  if (next.end - next.start < minSearchedBytes || base.end - base.start < minSearchedBytes) {
    addChanged(aligner.delta, next);
    return;
  }
  for (const place of anchorPlaces) {
    const anchor = anchorAt(aligner.next, next, place);
    if (!anchor) continue;
    const found = findAnchor(aligner, base, anchor);
    if (found === -1) continue;
    const shared = widen(aligner, base, next, anchor, found);
    align(
      aligner,
      { start: base.start, end: shared.baseStart },
      { start: next.start, end: shared.nextStart },
    );
    aligner.delta.shared.push(shared);
    align(
      aligner,
      { start: shared.baseStart + shared.bytes, end: base.end },
      { start: shared.nextStart + shared.bytes, end: next.end },
    );
    return;
  }
  addChanged(aligner.delta, next);
}

/** Whole lines of at least `anchorBytes`, starting on the first line start at `place` of the part. */
function anchorAt(next: Buffer, part: ByteRange, place: number): ByteRange | undefined {
  const middle = part.start + Math.floor((part.end - part.start) * place);
  const start = middle === part.start ? middle : next.indexOf(10, middle - 1) + 1;
  if (start <= part.start || start >= part.end) return undefined;
  const newline = next.indexOf(10, Math.min(part.end - 1, start + anchorBytes - 1));
  if (newline === -1 || newline >= part.end) return undefined;
  const end = newline + 1;
  return end - start > maxAnchorBytes ? undefined : { start, end };
}

/** Where the anchor's bytes stand at a line start of the earlier part, or -1. */
function findAnchor(aligner: Aligner, part: ByteRange, anchor: ByteRange): number {
  const needle = aligner.next.subarray(anchor.start, anchor.end);
  const haystack = aligner.base.subarray(part.start, part.end);
  for (let from = 0; aligner.budget > 0; ) {
    const at = haystack.indexOf(needle, from);
    aligner.budget -= (at === -1 ? haystack.length : at + needle.length) - from;
    if (at === -1) return -1;
    if (at === 0 ? part.start === 0 || aligner.base[part.start - 1] === 10 : haystack[at - 1] === 10) {
      return part.start + at;
    }
    from = at + 1;
  }
  return -1;
}

/** The anchor and the equal whole lines either side of it, within both parts. */
function widen(
  aligner: Aligner,
  base: ByteRange,
  next: ByteRange,
  anchor: ByteRange,
  found: number,
): SharedRun {
  const { base: baseBytes, next: nextBytes } = aligner;
  const before = commonSuffixLength(
    baseBytes.subarray(base.start, found),
    nextBytes.subarray(next.start, anchor.start),
    Math.min(found - base.start, anchor.start - next.start),
  );
  // The run starts on a line start in both: after the first newline within the equal bytes,
  // unless both sides already start a line there.
  let start = anchor.start - before;
  const startsLine = (buffer: Buffer, at: number, floor: number) => at === floor || buffer[at - 1] === 10;
  if (!startsLine(nextBytes, start, next.start) || !startsLine(baseBytes, found - before, base.start)) {
    start = nextBytes.indexOf(10, start) + 1;
  }
  const foundEnd = found + (anchor.end - anchor.start);
  const after = commonPrefixLength(
    baseBytes.subarray(foundEnd, base.end),
    nextBytes.subarray(anchor.end, next.end),
    Math.min(base.end - foundEnd, next.end - anchor.end),
  );
  // ...and ends after a newline in both.
  const end =
    after === 0 ? anchor.end : Math.max(anchor.end, nextBytes.lastIndexOf(10, anchor.end + after - 1) + 1);
  return { baseStart: found - (anchor.start - start), nextStart: start, bytes: end - start };
}

function addChanged(delta: LineDelta, range: ByteRange): void {
  const last = delta.changed[delta.changed.length - 1];
  if (last && last.end === range.start) last.end = range.end;
  else delta.changed.push({ ...range });
}

/** The bytes to scan again: the changed runs, joined (a view when there is one run). */
export function changedText(next: Buffer, delta: LineDelta): Buffer {
  if (delta.changed.length === 1) {
    const only = delta.changed[0] as ByteRange;
    return next.subarray(only.start, only.end);
  }
  return Buffer.concat(delta.changed.map((run) => next.subarray(run.start, run.end)));
}

/**
 * The new version's matches: the earlier version's matches on shared lines (renumbered) plus the
 * matches found in `changedText` (`changedMatches`, numbered from 1 at its start). Valid only when
 * both scans said no rule that may span lines ran (`crossLine` false): then every match depends
 * on its own line alone.
 */
export function mergeLineDelta(
  base: Uint8Array,
  baseMatches: readonly EngineMatch[],
  next: Uint8Array,
  delta: LineDelta,
  changedMatches: readonly EngineMatch[],
): EngineMatch[] {
  if (baseMatches.length === 0 && changedMatches.length === 0) return [];
  const merged: EngineMatch[] = [];
  if (baseMatches.length > 0) {
    const baseLines = lineCounter(base);
    const nextLines = lineCounter(next);
    const runs = delta.shared.map((run) => ({
      baseLine: baseLines(run.baseStart),
      nextLine: nextLines(run.nextStart),
      lines: countLines(next, run.nextStart, run.nextStart + run.bytes),
    }));
    for (const match of baseMatches) {
      const run = runs[lastAtOrBefore(runs, (run) => run.baseLine <= match.line)];
      if (run && match.line < run.baseLine + run.lines) {
        merged.push(
          run.baseLine === run.nextLine
            ? match
            : { ...match, line: match.line - run.baseLine + run.nextLine },
        );
      }
    }
  }
  if (changedMatches.length > 0) {
    const nextLines = lineCounter(next);
    let textLine = 1;
    const runs = delta.changed.map((run) => {
      const entry = { textLine, nextLine: nextLines(run.start) };
      textLine += countLines(next, run.start, run.end);
      return entry;
    });
    for (const match of changedMatches) {
      const run = runs[lastAtOrBefore(runs, (run) => run.textLine <= match.line)];
      if (run) merged.push({ ...match, line: match.line - run.textLine + run.nextLine });
    }
  }
  merged.sort((left, right) => left.line - right.line || left.column - right.column);
  return merged;
}

/** The index of the last entry for which `isBefore` holds, in a list where it holds for a prefix. */
function lastAtOrBefore<T>(list: readonly T[], isBefore: (entry: T) => boolean): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (isBefore(list[middle] as T)) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/** The 1-based line of each offset asked, asked in increasing order: newlines are counted once. */
function lineCounter(content: Uint8Array): (offset: number) => number {
  let counted = 0;
  let line = 1;
  return (offset) => {
    line += countNewlines(content, counted, offset);
    counted = offset;
    return line;
  };
}

/** Lines in `[start, end)`: its newlines, and one more for a last line without one. */
function countLines(content: Uint8Array, start: number, end: number): number {
  if (end <= start) return 0;
  return countNewlines(content, start, end) + (content[end - 1] === 10 ? 0 : 1);
}

/** Below this many bytes, compare byte by byte rather than with native calls. */
const smallRange = 64;

/**
 * Length of the common prefix: native comparisons over ranges doubling in size while they are
 * equal, then a binary search inside the first range that differs, so a long shared prefix costs
 * a few native calls, about twice its length in compared bytes, and no copies.
 */
function commonPrefixLength(left: Buffer, right: Buffer, limit: number): number {
  const equal = (offset: number, size: number) =>
    left.compare(right, offset, offset + size, offset, offset + size) === 0;
  const length = commonLength(limit, equal);
  return countEqual(limit, (offset) => left[offset] === right[offset], length);
}

function commonSuffixLength(left: Buffer, right: Buffer, limit: number): number {
  const equal = (offset: number, size: number) =>
    left.compare(
      right,
      right.length - offset - size,
      right.length - offset,
      left.length - offset - size,
      left.length - offset,
    ) === 0;
  const length = commonLength(limit, equal);
  return countEqual(
    limit,
    (offset) => left[left.length - offset - 1] === right[right.length - offset - 1],
    length,
  );
}

/** Galloping then binary search with `equal(offset, size)`; exact to within `smallRange`. */
function commonLength(limit: number, equal: (offset: number, size: number) => boolean): number {
  let length = 0;
  let size = smallRange * 4;
  // Gallop while ranges are equal.
  for (;;) {
    size = Math.min(size, limit - length);
    if (size <= smallRange) return length;
    if (!equal(length, size)) break;
    length += size;
    size *= 2;
  }
  // The first difference is inside [length, length + size): halve until the range is small.
  while (size > smallRange) {
    const half = size >>> 1;
    if (equal(length, half)) {
      length += half;
      size -= half;
    } else {
      size = half;
    }
  }
  return length;
}

function countEqual(limit: number, equalAt: (offset: number) => boolean, from: number): number {
  let length = from;
  while (length < limit && equalAt(length)) length++;
  return length;
}

function countNewlines(content: Uint8Array, start: number, end: number): number {
  let count = 0;
  for (
    let index = content.indexOf(10, start);
    index !== -1 && index < end;
    index = content.indexOf(10, index + 1)
  ) {
    count++;
  }
  return count;
}
