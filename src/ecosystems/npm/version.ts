import semver from 'semver';

/** Versions longer than this are not compared (they are not versions anyone publishes). */
export const maxVersionLength = 256;

/**
 * SemVer 2.0.0 precedence (npm, Cargo). Uses `semver` for well-formed versions and falls back to
 * the same rules on versions it refuses: a `v` prefix, numbers beyond 2^53, fewer or more than
 * three core parts. Build metadata never affects order.
 */
export function compareSemver(left: string, right: string): number {
  const a = semver.valid(left);
  const b = semver.valid(right);
  if (a !== null && b !== null) return semver.compare(a, b);
  return compareSemverLike(left, right);
}

interface SemverLike {
  core: bigint[];
  prerelease: string[];
}

/**
 * Parses of recent versions: matching many versions against advisories compares the same range
 * bounds over and over. Bounded (cleared when full); the parses are never modified.
 */
const parsed = new Map<string, Readonly<SemverLike>>();
const parsedLimit = 20_000;

function parseSemverLike(text: string): Readonly<SemverLike> {
  const known = parsed.get(text);
  if (known) return known;
  if (parsed.size >= parsedLimit) parsed.clear();
  const result = parseSemverLikeUncached(text);
  parsed.set(text, result);
  return result;
}

function parseSemverLikeUncached(text: string): SemverLike {
  let version = text.trim().slice(0, maxVersionLength);
  if (version.startsWith('v') || version.startsWith('V')) version = version.slice(1);
  const plus = version.indexOf('+');
  if (plus !== -1) version = version.slice(0, plus);
  const dash = version.indexOf('-');
  const coreText = dash === -1 ? version : version.slice(0, dash);
  const prerelease = dash === -1 ? [] : version.slice(dash + 1).split('.');
  const core = coreText.split('.').map((part) => (/^\d+$/.test(part) ? BigInt(part) : 0n));
  return { core, prerelease };
}

/** SemVer rules on a lenient parse; exported for Go and for versions semver rejects. */
export function compareSemverLike(left: string, right: string): number {
  const a = parseSemverLike(left);
  const b = parseSemverLike(right);
  const length = Math.max(a.core.length, b.core.length, 3);
  for (let index = 0; index < length; index++) {
    const x = a.core[index] ?? 0n;
    const y = b.core[index] ?? 0n;
    if (x !== y) return x < y ? -1 : 1;
  }
  return comparePrerelease(a.prerelease, b.prerelease);
}

/** A version without a prerelease is greater; identifiers compare numerically, else by ASCII. */
export function comparePrerelease(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 0;
  if (a.length === 0) return 1;
  if (b.length === 0) return -1;
  const length = Math.max(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a[index];
    const y = b[index];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const xNumeric = /^\d+$/.test(x);
    const yNumeric = /^\d+$/.test(y);
    if (xNumeric && yNumeric) return BigInt(x) < BigInt(y) ? -1 : 1;
    if (xNumeric) return -1;
    if (yNumeric) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}
