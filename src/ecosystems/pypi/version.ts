import { compare as comparePep440, valid } from '@renovatebot/pep440';
import { maxVersionLength } from '../npm/index.js';

/**
 * PEP 440 order through @renovatebot/pep440. Versions PEP 440 rejects (old setuptools "legacy"
 * versions such as `0.1-bulbasaur`) sort before every valid version and among themselves by
 * the legacy key pip used to apply. Release numbers beyond 2^53 are compared exactly.
 */
export function comparePypiVersions(left: string, right: string): number {
  const a = left.trim().slice(0, maxVersionLength);
  const b = right.trim().slice(0, maxVersionLength);
  const aValid = valid(a) !== null;
  const bValid = valid(b) !== null;
  if (aValid && bValid) {
    if (hasHugeNumber(a) || hasHugeNumber(b)) {
      const exact = compareHugeReleases(a, b);
      if (exact !== undefined) return exact;
    }
    return Math.sign(comparePep440(a, b));
  }
  if (aValid) return 1;
  if (bValid) return -1;
  return compareKeys(legacyKey(a), legacyKey(b));
}

function hasHugeNumber(version: string): boolean {
  return /\d{16}/.test(version);
}

/** Plain dotted releases only; anything else is left to the library. */
function compareHugeReleases(a: string, b: string): number | undefined {
  if (!/^\d+(\.\d+)*$/.test(a) || !/^\d+(\.\d+)*$/.test(b)) return undefined;
  const x = a.split('.').map(BigInt);
  const y = b.split('.').map(BigInt);
  for (let index = 0; index < Math.max(x.length, y.length); index++) {
    const p = x[index] ?? 0n;
    const q = y[index] ?? 0n;
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

const legacyReplacements: Record<string, string> = {
  pre: 'c',
  preview: 'c',
  '-': 'final-',
  rc: 'c',
  dev: '@',
};

/** The sort key of a non-PEP 440 version, as setuptools' LegacyVersion defined it. */
function legacyKey(version: string): string[] {
  const parts: string[] = [];
  const pieces = version.toLowerCase().split(/(\d+|[a-z]+|\.|-)/);
  const tokens: string[] = [];
  for (const raw of pieces) {
    const part = legacyReplacements[raw] ?? raw;
    if (part === '' || part === '.') continue;
    tokens.push(/^\d/.test(part) ? part.padStart(8, '0') : `*${part}`);
  }
  tokens.push('*final');
  for (const part of tokens) {
    if (part.startsWith('*')) {
      if (part < '*final') while (parts[parts.length - 1] === '*final-') parts.pop();
      while (parts[parts.length - 1] === '00000000') parts.pop();
    }
    parts.push(part);
  }
  return parts;
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const x = a[index];
    const y = b[index];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}
