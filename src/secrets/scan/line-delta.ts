import type { EngineMatch } from './engine.js';

/**
 * Where a new version of a file differs from an earlier one, widened to whole lines. A history
 * scan rescans only the changed lines of each new version and carries the earlier version's
 * matches over for the rest: most versions of a long file (a changelog, a lock file) change a few
 * lines, so this turns "every byte of every version" into roughly "every changed line", the same
 * work a patch-based scanner does, without asking git for patches.
 */
export interface LineDelta {
  /** Bytes `[0, headEnd)` are the same whole lines in both versions. */
  headEnd: number;
  /** In the new version, bytes from here to the end are whole lines equal to the earlier ones... */
  tailStart: number;
  /** ...that start here in the earlier version. */
  baseTailStart: number;
}

export function findLineDelta(base: Buffer, next: Buffer): LineDelta {
  const limit = Math.min(base.length, next.length);
  const prefix = commonPrefixLength(base, next, limit);
  const suffix = commonSuffixLength(base, next, limit - prefix);
  const headEnd = prefix === 0 ? 0 : next.lastIndexOf(10, prefix - 1) + 1;
  const newline = suffix === 0 ? -1 : next.indexOf(10, next.length - suffix);
  if (newline === -1) return { headEnd, tailStart: next.length, baseTailStart: base.length };
  const tailStart = newline + 1;
  return { headEnd, tailStart, baseTailStart: base.length - (next.length - tailStart) };
}

/**
 * The new version's matches: the earlier version's matches on unchanged lines (renumbered when
 * lines were added or removed above them) plus the matches found in the rescanned lines
 * (`regionMatches`, numbered from 1 at `delta.headEnd`). Valid only when both scans said no rule
 * that may span lines ran (`crossLine` false): then every match depends on its own line alone.
 */
export function mergeLineDelta(
  base: Uint8Array,
  baseMatches: readonly EngineMatch[],
  next: Uint8Array,
  delta: LineDelta,
  regionMatches: readonly EngineMatch[],
): EngineMatch[] {
  if (baseMatches.length === 0 && regionMatches.length === 0) return [];
  const headLines = countNewlines(next, 0, delta.headEnd);
  const merged: EngineMatch[] = [];
  let baseLinesBeforeTail = -1;
  let nextLinesBeforeTail = -1;
  for (const match of baseMatches) {
    if (match.line <= headLines) {
      merged.push(match);
      continue;
    }
    // No tail: the base's last line may lack a newline, so it is not counted below; it changed.
    if (delta.baseTailStart === base.length) continue;
    if (baseLinesBeforeTail === -1) {
      baseLinesBeforeTail = headLines + countNewlines(base, delta.headEnd, delta.baseTailStart);
      nextLinesBeforeTail = headLines + countNewlines(next, delta.headEnd, delta.tailStart);
    }
    if (match.line > baseLinesBeforeTail) {
      merged.push({ ...match, line: match.line - baseLinesBeforeTail + nextLinesBeforeTail });
    }
  }
  for (const match of regionMatches) merged.push({ ...match, line: match.line + headLines });
  merged.sort((left, right) => left.line - right.line || left.column - right.column);
  return merged;
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

export function countNewlines(content: Uint8Array, start: number, end: number): number {
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
