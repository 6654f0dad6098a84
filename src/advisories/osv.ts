import { z } from 'zod';
import type { SourceLocation } from '../kernel/index.js';
import { parseYamlValue } from '../kernel/index.js';
import { computeCvss } from './cvss.js';
import { AdvisoryError } from './errors.js';

/** OSV events: exactly one of the four keys each (https://ossf.github.io/osv-schema/). */
const Event = z.union([
  z.object({ introduced: z.string().min(1).max(256) }),
  z.object({ fixed: z.string().min(1).max(256) }),
  z.object({ last_affected: z.string().min(1).max(256) }),
  z.object({ limit: z.string().min(1).max(256) }),
]);

const Range = z.object({
  type: z.enum(['ECOSYSTEM', 'SEMVER', 'GIT']),
  repo: z.string().optional(),
  events: z.array(Event).min(1).max(10_000),
});

const Severity = z.object({ type: z.string().max(32), score: z.string().max(300) });

/** Lenient where only part matters: unknown keys pass, only what matching needs is typed. */
export const OsvRecord = z.object({
  id: z.string().min(1).max(200),
  modified: z.string().min(1).max(64),
  published: z.string().max(64).optional(),
  withdrawn: z.string().max(64).optional(),
  aliases: z.array(z.string().max(200)).max(1000).optional(),
  summary: z.string().max(10_000).optional(),
  details: z.string().optional(),
  severity: z.array(Severity).max(20).optional(),
  affected: z
    .array(
      z.object({
        package: z
          .object({
            ecosystem: z.string().min(1).max(100),
            name: z.string().min(1).max(500),
            purl: z.string().optional(),
          })
          .optional(),
        ranges: z.array(Range).max(1000).optional(),
        versions: z.array(z.string().max(256)).max(100_000).optional(),
        severity: z.array(Severity).max(20).optional(),
        database_specific: z.record(z.string(), z.unknown()).optional(),
        ecosystem_specific: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .max(10_000)
    .optional(),
  references: z.array(z.object({ type: z.string(), url: z.string() })).optional(),
  database_specific: z.record(z.string(), z.unknown()).optional(),
});
export type OsvRecord = z.infer<typeof OsvRecord>;

export type SeverityLevel = 'critical' | 'high' | 'medium' | 'low' | 'unknown';
export type AdvisoryKind = 'vulnerability' | 'malicious' | 'unmaintained';

export interface AdvisoryRange {
  type: 'ECOSYSTEM' | 'SEMVER';
  events: Array<{ introduced?: string; fixed?: string; last_affected?: string; limit?: string }>;
}

export interface AffectedPackage {
  ecosystem: string;
  name: string;
  ranges: AdvisoryRange[];
  versions: string[];
}

/** An OSV record reduced to what matching and reporting need; stored as JSON. */
export interface Advisory {
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  aliases: string[];
  summary?: string;
  kind: AdvisoryKind;
  severity: {
    level: SeverityLevel;
    score?: number;
    vector?: string;
    /** Where the level came from: a computed CVSS v3.x or v4.0 score, or the database's own rating. */
    source: 'cvss3' | 'cvss4' | 'database' | 'none';
  };
  affected: AffectedPackage[];
  references: string[];
}

export function levelOfScore(score: number): SeverityLevel {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'unknown';
}

function levelOfRating(rating: unknown): SeverityLevel | undefined {
  if (typeof rating !== 'string') return undefined;
  const text = rating.toLowerCase();
  if (text === 'critical') return 'critical';
  if (text === 'high' || text === 'important') return 'high';
  if (text === 'moderate' || text === 'medium') return 'medium';
  if (text === 'low') return 'low';
  return undefined;
}

/**
 * The advisory's severity: the highest score computed from its CVSS v3.x or v4.0 vectors (on the
 * record or on an affected package), else the database's own rating. A 0.0 score (no impact) has
 * no level of its own, so the rating, if any, decides.
 */
function readSeverity(record: OsvRecord): Advisory['severity'] {
  const entries = [
    ...(record.severity ?? []),
    ...(record.affected ?? []).flatMap((item) => item.severity ?? []),
  ];
  let best: Advisory['severity'] | undefined;
  let firstVector: string | undefined;
  for (const entry of entries) {
    if (entry.type !== 'CVSS_V3' && entry.type !== 'CVSS_V4') continue;
    try {
      const cvss = computeCvss(entry.score);
      firstVector ??= cvss.vector;
      if (best?.score === undefined || cvss.score > best.score) {
        best = {
          level: levelOfScore(cvss.score),
          score: cvss.score,
          vector: cvss.vector,
          source: cvss.version === '4.0' ? 'cvss4' : 'cvss3',
        };
      }
    } catch {
      // An unreadable vector is skipped; the database rating below may still say how severe.
    }
  }
  if (best && best.level !== 'unknown') return best;
  const rating =
    levelOfRating(record.database_specific?.['severity']) ??
    (record.affected ?? [])
      .map((item) => levelOfRating(item.database_specific?.['severity']))
      .find(Boolean) ??
    (record.affected ?? []).map((item) => levelOfRating(item.ecosystem_specific?.['severity'])).find(Boolean);
  if (rating) return { level: rating, ...(firstVector ? { vector: firstVector } : {}), source: 'database' };
  return best ?? { level: 'unknown', source: 'none' };
}

function kindOf(record: OsvRecord): AdvisoryKind {
  if (record.id.startsWith('MAL-')) return 'malicious';
  const informational = [
    record.database_specific?.['informational'],
    ...(record.affected ?? []).map((item) => item.database_specific?.['informational']),
  ];
  if (informational.includes('unmaintained')) return 'unmaintained';
  return 'vulnerability';
}

/**
 * Reads one OSV record (JSON or YAML text): schema first, then the rules OSV's linter adds that
 * matching depends on (every range has an `introduced`).
 */
export function parseOsvRecord(path: string, text: string, format: 'json' | 'yaml' = 'json'): Advisory {
  let value: unknown;
  try {
    value = format === 'yaml' ? parseYamlValue(text, { maxAliasCount: 100 }) : JSON.parse(text);
  } catch (error) {
    throw new AdvisoryError('OSV_MALFORMED', `not valid ${format.toUpperCase()}`, {
      cause: error,
      location: { path },
    });
  }
  const parsed = OsvRecord.safeParse(value);
  // The report names the record by its id where it has a readable one; the location names the file.
  const name = recordName(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AdvisoryError(
      'OSV_MALFORMED',
      `${name}: ${issue ? `${issue.path.join('.') || '(record)'}: ${issue.message}` : 'invalid'}`,
      {
        location: locate(path, text, issue?.path),
      },
    );
  }
  const record = parsed.data;
  const affected: AffectedPackage[] = [];
  for (const [index, item] of (record.affected ?? []).entries()) {
    const ranges: AdvisoryRange[] = [];
    for (const [rangeIndex, range] of (item.ranges ?? []).entries()) {
      const where = `affected[${index}].ranges[${rangeIndex}]`;
      if (!range.events.some((event) => 'introduced' in event)) {
        throw new AdvisoryError('OSV_RANGE_NO_INTRODUCED', `${name}: ${where} has no "introduced" event`, {
          location: locate(path, text, ['affected', index, 'ranges', rangeIndex]),
        });
      }
      // A version named twice (introduced and fixed at the same version, a repeated event) is
      // valid for osv.dev: events are applied in version order, so such a pair affects nothing.
      if (range.type === 'GIT') continue;
      ranges.push({ type: range.type, events: range.events });
    }
    if (!item.package) continue;
    affected.push({
      ecosystem: item.package.ecosystem,
      name: item.package.name,
      ranges,
      versions: item.versions ?? [],
    });
  }
  const advisory: Advisory = {
    id: record.id,
    modified: record.modified,
    aliases: [...new Set(record.aliases ?? [])].filter((alias) => alias !== record.id).sort(),
    kind: kindOf(record),
    severity: readSeverity(record),
    affected,
    references: (record.references ?? []).slice(0, 10).map((reference) => reference.url),
  };
  if (record.published) advisory.published = record.published;
  if (record.withdrawn) advisory.withdrawn = record.withdrawn;
  if (record.summary) advisory.summary = record.summary.slice(0, 500);
  else if (record.details) advisory.summary = record.details.slice(0, 200);
  return advisory;
}

/** `record PYSEC-2023-74` when the value has a readable id, else `a record with no readable id`. */
function recordName(value: unknown): string {
  const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
  return typeof id === 'string' && /^[\x21-\x7e]{1,200}$/.test(id)
    ? `record ${id}`
    : 'a record with no readable id';
}

/** The line of the first key of `path` in a pretty-printed record (best effort), else line 1. */
function locate(
  path: string,
  text: string,
  issuePath: ReadonlyArray<PropertyKey> | undefined,
): SourceLocation {
  const key = [...(issuePath ?? [])].reverse().find((part) => typeof part === 'string');
  if (typeof key !== 'string') return { path, line: 1 };
  const offset = text.indexOf(`"${key}"`);
  if (offset === -1) return { path, line: 1 };
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1))
    line++;
  return { path, line };
}
