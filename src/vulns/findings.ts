import { createHash } from 'node:crypto';
import type { AdvisoryKind, SeverityLevel } from '../advisories/index.js';
import { type AdvisoryIndex, groupByAliases } from '../advisories/index.js';
import type { SupplyChainSettings } from '../policy/index.js';
import { findVexStatement, type VexStatement } from './vex.js';

/** A package to check, from a lockfile or an SBOM. */
export interface CheckedPackage {
  ecosystem: string;
  name: string;
  version: string;
  purl: string;
  direct?: boolean;
  location?: { path: string; line?: number };
}

export interface VulnerabilityFinding {
  package: CheckedPackage;
  /** The preferred id (GHSA, then ecosystem databases, then CVE) and every other id it goes by. */
  id: string;
  aliases: string[];
  kind: AdvisoryKind;
  severity: SeverityLevel;
  score?: number;
  summary?: string;
  published?: string;
  affectedRanges: string[];
  fixedVersions: string[];
  smallestFix?: string;
  /** Days since publication, and the SLA for the severity (unrated counts as medium). */
  daysOpen?: number;
  slaDays: number;
  overdue: boolean;
  /** A VEX statement covering it; shown, never hidden. */
  vex?: { status: VexStatement['status']; justification?: string; detail?: string; source: string };
  fingerprint: string;
}

const dayMs = 86_400_000;

/**
 * One kind for an advisory and its aliases: malicious if any id says so (OpenSSF `MAL-` records),
 * else a vulnerability if any is one, else unmaintained (RustSec `informational: unmaintained`).
 */
export function kindOfGroup(kinds: readonly AdvisoryKind[]): AdvisoryKind {
  if (kinds.includes('malicious')) return 'malicious';
  if (kinds.includes('vulnerability') || kinds.length === 0) return 'vulnerability';
  return 'unmaintained';
}

/**
 * The fixed severity of a flagged package: malicious code is critical whatever the record says;
 * an unmaintained package is medium (no fixes will come). Vulnerabilities keep their own rating.
 */
export function severityOfKind(kind: AdvisoryKind): { level: SeverityLevel; score?: number } | undefined {
  if (kind === 'malicious') return { level: 'critical' };
  if (kind === 'unmaintained') return { level: 'medium' };
  return undefined;
}

export function slaFor(level: SeverityLevel, settings: SupplyChainSettings): number {
  return settings.slaDays[level === 'unknown' ? 'medium' : level];
}

export function daysBetween(from: string | Date, to: Date): number {
  return Math.floor((to.getTime() - new Date(from).getTime()) / dayMs);
}

/** Matches every package against the index: one finding per package and vulnerability (aliases merged). */
export function findVulnerabilities(
  packages: readonly CheckedPackage[],
  index: AdvisoryIndex,
  options: { now: Date; settings: SupplyChainSettings; vex?: readonly VexStatement[] },
): VulnerabilityFinding[] {
  const findings: VulnerabilityFinding[] = [];
  const seen = new Set<string>();
  for (const item of packages) {
    const key = `${item.ecosystem}\0${item.name}\0${item.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const group of groupByAliases(index.match(item.ecosystem, item.name, item.version))) {
      const primary = group[0];
      if (!primary) continue;
      const ids = [...new Set(group.flatMap((match) => [match.advisory.id, ...match.advisory.aliases]))];
      const aliases = ids.filter((id) => id !== primary.advisory.id).sort();
      const kind = kindOfGroup(group.map((match) => match.advisory.kind));
      const scored =
        group.find((match) => match.advisory.severity.score !== undefined) ??
        group.find((match) => match.advisory.severity.level !== 'unknown');
      const severity = severityOfKind(kind) ?? scored?.advisory.severity ?? primary.advisory.severity;
      const published = group
        .map((match) => match.advisory.published)
        .filter((value): value is string => value !== undefined)
        .sort()[0];
      const fixes = [...new Set(group.flatMap((match) => match.fixedVersions))];
      const smallestFix = group.map((match) => match.smallestFix).find((value) => value !== undefined);
      const slaDays = slaFor(severity.level, options.settings);
      const daysOpen = published === undefined ? undefined : daysBetween(published, options.now);
      const statement = options.vex ? findVexStatement(options.vex, ids, item.purl) : undefined;
      const finding: VulnerabilityFinding = {
        package: item,
        id: primary.advisory.id,
        aliases,
        kind,
        severity: severity.level,
        affectedRanges: [...new Set(group.flatMap((match) => match.affectedRanges))],
        fixedVersions: fixes,
        slaDays,
        overdue: daysOpen !== undefined && daysOpen > slaDays && statement?.status !== 'not_affected',
        fingerprint: createHash('sha256')
          .update(`${item.ecosystem}\0${item.name}\0${item.version}\0${primary.advisory.id}`)
          .digest('hex')
          .slice(0, 32),
      };
      if (severity.score !== undefined) finding.score = severity.score;
      const summary = group.map((match) => match.advisory.summary).find((value) => value !== undefined);
      if (summary) finding.summary = summary;
      if (published) finding.published = published;
      if (smallestFix) finding.smallestFix = smallestFix;
      if (daysOpen !== undefined) finding.daysOpen = daysOpen;
      if (statement) {
        finding.vex = { status: statement.status, source: statement.source };
        if (statement.justification) finding.vex.justification = statement.justification;
        if (statement.detail) finding.vex.detail = statement.detail;
      }
      findings.push(finding);
    }
  }
  const rank: Record<SeverityLevel, number> = { critical: 0, high: 1, medium: 2, low: 3, unknown: 4 };
  return findings.sort(
    (a, b) =>
      rank[a.severity] - rank[b.severity] ||
      (a.package.name < b.package.name ? -1 : a.package.name > b.package.name ? 1 : 0) ||
      (a.id < b.id ? -1 : 1),
  );
}
