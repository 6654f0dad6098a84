import { compareSemverLike } from '../npm/index.js';

/**
 * Go module versions: SemVer with a `v` prefix. Pseudo-versions
 * (`v0.0.0-20210101120000-abcdef123456`, `v1.2.4-0.20210101120000-abcdef123456`) are prereleases
 * whose timestamp orders them, which SemVer precedence already gives; `+incompatible` is build
 * metadata and ignored.
 */
export function compareGoVersions(left: string, right: string): number {
  return compareSemverLike(left, right);
}

const pseudoVersion =
  /^v?\d+\.\d+\.\d+-(?:[0-9A-Za-z.-]*\.)?(?:0\.)?(\d{14})-([0-9a-f]{12})(?:\+incompatible)?$/;

/** The commit time and hash of a pseudo-version, or undefined for a tagged version. */
export function parsePseudoVersion(version: string): { time: string; commit: string } | undefined {
  if (version.length > 200) return undefined;
  const match = pseudoVersion.exec(version);
  if (!match?.[1] || !match[2]) return undefined;
  const t = match[1];
  return {
    time: `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}Z`,
    commit: match[2],
  };
}
