import { maxVersionLength } from '../npm/index.js';

type Segment = bigint | string;

/**
 * Gem::Version order: the version is split into runs of digits and letters (`-` reads as
 * `.pre.`), trailing zeros of the numeric part and of the rest are dropped, then segments compare
 * pairwise; a letter segment (a prerelease) sorts before any number.
 */
export function compareRubyGemsVersions(left: string, right: string): number {
  const a = canonicalSegments(left);
  const b = canonicalSegments(right);
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const x = a[index] ?? 0n;
    const y = b[index] ?? 0n;
    if (x === y) continue;
    if (typeof x === 'string' && typeof y !== 'string') return -1;
    if (typeof x !== 'string' && typeof y === 'string') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

function canonicalSegments(version: string): Segment[] {
  const text = version.trim().slice(0, maxVersionLength).replaceAll('-', '.pre.');
  const segments: Segment[] = [];
  for (const match of text.matchAll(/[0-9]+|[a-z]+/gi)) {
    segments.push(/^\d/.test(match[0]) ? BigInt(match[0]) : match[0]);
  }
  const firstString = segments.findIndex((segment) => typeof segment === 'string');
  const numeric = firstString === -1 ? segments : segments.slice(0, firstString);
  const rest = firstString === -1 ? [] : segments.slice(firstString);
  return [...dropTrailingZeros(numeric), ...dropTrailingZeros(rest)];
}

function dropTrailingZeros(segments: Segment[]): Segment[] {
  let end = segments.length;
  while (end > 0 && segments[end - 1] === 0n) end--;
  return segments.slice(0, end);
}
