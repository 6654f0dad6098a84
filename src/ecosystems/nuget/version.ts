import { comparePrerelease, maxVersionLength } from '../npm/index.js';

interface NuGetVersion {
  parts: bigint[];
  release: string[];
}

/**
 * NuGet order (NuGetVersion): up to four numeric parts (missing ones are 0, leading zeros
 * allowed), then the release label: none sorts after any; labels compare part by part, numbers
 * numerically and before text, text case-insensitively. Metadata after `+` is ignored.
 */
export function compareNuGetVersions(left: string, right: string): number {
  const a = parseNuGetVersion(left);
  const b = parseNuGetVersion(right);
  for (let index = 0; index < 4; index++) {
    const x = a.parts[index] ?? 0n;
    const y = b.parts[index] ?? 0n;
    if (x !== y) return x < y ? -1 : 1;
  }
  // Labels are lower-cased when parsed, so SemVer 2's prerelease order gives NuGet's.
  return comparePrerelease(a.release, b.release);
}

function parseNuGetVersion(text: string): NuGetVersion {
  let version = text.trim().slice(0, maxVersionLength);
  const plus = version.indexOf('+');
  if (plus !== -1) version = version.slice(0, plus);
  const dash = version.indexOf('-');
  const core = dash === -1 ? version : version.slice(0, dash);
  const release =
    dash === -1
      ? []
      : version
          .slice(dash + 1)
          .split('.')
          .map((label) => label.toLowerCase());
  const numbers = core.split('.').map((part) => (/^\d+$/.test(part) ? BigInt(part) : 0n));
  return {
    parts: [numbers[0] ?? 0n, numbers[1] ?? 0n, numbers[2] ?? 0n, numbers[3] ?? 0n],
    release,
  };
}
