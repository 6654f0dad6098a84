/**
 * The model every part of shipguard shares: evidence, findings, check results, control results
 * and the assessment that holds them. Collectors produce facts, checks turn facts into
 * CheckResults, the engine turns CheckResults and records into ControlResults.
 */

export const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof severities)[number];

/** Higher is more severe; used to sort and to compare against `--fail-on`. */
export function severityRank(severity: Severity): number {
  return severities.length - severities.indexOf(severity);
}

export const controlStatuses = ['fail', 'partial', 'unknown', 'pass', 'not-applicable'] as const;
export type ControlStatus = (typeof controlStatuses)[number];

export type CheckStatus = 'pass' | 'fail' | 'unknown' | 'not-applicable';

/**
 * How much a piece of evidence is worth, weakest first: `declared` (typed by someone: an
 * `attestations:` line, an unsigned commit trailer, a request number in a subject), `signed` (a
 * record signed by an authenticated principal), `verified` (derived by shipguard from what it
 * read, from a forge response it fetched itself, or from a signature it checked).
 */
export const evidenceLevels = ['declared', 'signed', 'verified'] as const;
export type EvidenceLevel = (typeof evidenceLevels)[number];

/** Higher is stronger. */
export function evidenceLevelRank(level: EvidenceLevel): number {
  return evidenceLevels.indexOf(level);
}

export function strongestLevel(levels: readonly EvidenceLevel[]): EvidenceLevel | undefined {
  let best: EvidenceLevel | undefined;
  for (const level of levels)
    if (best === undefined || evidenceLevelRank(level) > evidenceLevelRank(best)) best = level;
  return best;
}

export function weakestLevel(levels: readonly EvidenceLevel[]): EvidenceLevel | undefined {
  let worst: EvidenceLevel | undefined;
  for (const level of levels)
    if (worst === undefined || evidenceLevelRank(level) < evidenceLevelRank(worst)) worst = level;
  return worst;
}

/**
 * The level of one piece of evidence: as the check said, else `declared` for a record (typed by
 * someone) and `verified` for what shipguard read itself (files, commits, digests, absences).
 */
export function levelOf(evidence: Evidence): EvidenceLevel {
  if (evidence.level !== undefined) return evidence.level;
  return evidence.kind === 'record' ? 'declared' : 'verified';
}

/** What a result rests on. Every pass and every fail carries at least one. */
export type Evidence = (
  | { kind: 'file'; path: string; line?: number; column?: number; note?: string }
  | { kind: 'commit'; commit: string; path?: string; note?: string }
  | { kind: 'digest'; algorithm: 'sha256'; value: string; subject: string; note?: string }
  /** Something looked for and not found: what was searched, and in which tree. */
  | { kind: 'absence'; lookedFor: string[]; in: string; note?: string }
  | { kind: 'record'; source: string; line?: number; note?: string }
) & {
  /** How much it is worth; absent: see levelOf (records are declared, the rest verified). */
  level?: EvidenceLevel;
};

export interface FindingLocation {
  path: string;
  line?: number;
  column?: number;
}

/** One concrete problem a check found, with a place to look and a way to fix it. */
export interface Finding {
  /** The check that raised it, e.g. `sensitive-files/none-committed`. */
  checkId: string;
  severity: Severity;
  message: string;
  location?: FindingLocation;
  remediation: string;
  /** Stable across runs (no line numbers), so exceptions and baselines can name it. */
  fingerprint: string;
}

export interface CheckResult {
  checkId: string;
  status: CheckStatus;
  /** One sentence saying what was seen. */
  summary: string;
  evidence: Evidence[];
  findings: Finding[];
  /** For unknown: how to provide the missing evidence. */
  howToProvide?: string;
  /** The strongest level of this result's evidence (set by the engine from the evidence). */
  evidenceLevel?: EvidenceLevel;
}

export interface AppliedException {
  reason: string;
  owner: string;
  approver: string;
  expires: string;
}

export interface ControlResult {
  controlId: string;
  title: string;
  area: string;
  severity: Severity;
  status: ControlStatus;
  summary: string;
  evidence: Evidence[];
  findings: Finding[];
  checks: CheckResult[];
  /** For fail and partial: what to do. */
  remediation?: string;
  /** For unknown: how to provide the evidence. */
  howToProvide?: string;
  /** Set when an unexpired exception (risk acceptance) covers this control. */
  exception?: AppliedException;
  /**
   * The level of the evidence the result rests on: for a pass, the weakest of its passing parts'
   * best evidence (every part is needed); otherwise the best evidence any part has. Absent: none.
   */
  evidenceLevel?: EvidenceLevel;
  /** The level the policy asks of this control's evidence before it can pass. */
  requiredLevel?: EvidenceLevel;
}

export interface AssessmentSubject {
  /** The repository folder as the user named it (relative paths stay relative). */
  path: string;
  isGitRepository: boolean;
  commit?: string;
  branch?: string;
  shallow?: boolean;
  dirty?: boolean;
}

/** Something that went wrong or looks off but is not a control result: unreadable files, stale data. */
export interface AssessmentProblem {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  location?: FindingLocation;
}

export interface AuditPeriod {
  /** YYYY-MM-DD, inclusive. */
  from: string;
  /** YYYY-MM-DD, inclusive. */
  to: string;
  source: 'option' | 'policy' | 'default';
}

export type StatusCounts = Record<ControlStatus, number>;

export interface Assessment {
  /** Version of this document's shape; see docs/json-report.md. */
  schemaVersion: 1;
  tool: { name: 'shipguard'; version: string };
  id: string;
  startedAt: string;
  finishedAt: string;
  subject: AssessmentSubject;
  catalogVersion: string;
  policyPath?: string;
  /** The audit period history-based controls judge (inclusive UTC dates), and where it came from. */
  period?: AuditPeriod;
  summary: StatusCounts;
  controls: ControlResult[];
  problems: AssessmentProblem[];
}

export function emptyStatusCounts(): StatusCounts {
  return { fail: 0, partial: 0, unknown: 0, pass: 0, 'not-applicable': 0 };
}
