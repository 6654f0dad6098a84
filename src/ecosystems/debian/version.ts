import { maxVersionLength } from '../npm/index.js';

interface DebianVersion {
  epoch: bigint;
  upstream: string;
  revision: string;
}

/**
 * dpkg's order for `[epoch:]upstream[-revision]`: epochs numerically, then upstream and
 * revision by the dpkg algorithm (alternating non-digit and digit runs; `~` sorts before
 * everything, even the end of the string; letters before other characters).
 */
export function compareDebianVersions(left: string, right: string): number {
  const a = parseDebianVersion(left);
  const b = parseDebianVersion(right);
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  return compareFragments(a.upstream, b.upstream) || compareFragments(a.revision, b.revision);
}

export function parseDebianVersion(text: string): DebianVersion {
  let version = text.trim().slice(0, maxVersionLength);
  let epoch = 0n;
  const colon = version.indexOf(':');
  if (colon !== -1 && /^\d+$/.test(version.slice(0, colon))) {
    epoch = BigInt(version.slice(0, colon));
    version = version.slice(colon + 1);
  }
  const dash = version.lastIndexOf('-');
  if (dash === -1) return { epoch, upstream: version, revision: '' };
  return { epoch, upstream: version.slice(0, dash), revision: version.slice(dash + 1) };
}

function characterOrder(character: string | undefined): number {
  if (character === undefined) return 0;
  if (character === '~') return -1;
  if (/[A-Za-z]/.test(character)) return character.charCodeAt(0);
  return character.charCodeAt(0) + 256;
}

function compareFragments(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // Non-digit run.
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const x = i < a.length && !isDigit(a[i]) ? characterOrder(a[i]) : 0;
      const y = j < b.length && !isDigit(b[j]) ? characterOrder(b[j]) : 0;
      if (x !== y) return x < y ? -1 : 1;
      if (i < a.length && !isDigit(a[i])) i++;
      if (j < b.length && !isDigit(b[j])) j++;
    }
    // Digit run, numerically.
    let x = '';
    let y = '';
    while (i < a.length && isDigit(a[i])) x += a[i++];
    while (j < b.length && isDigit(b[j])) y += b[j++];
    const p = x === '' ? 0n : BigInt(x);
    const q = y === '' ? 0n : BigInt(y);
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

function isDigit(character: string | undefined): boolean {
  return character !== undefined && character >= '0' && character <= '9';
}
