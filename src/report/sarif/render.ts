import type {
  AppliedException,
  Assessment,
  AssessmentProblem,
  ControlResult,
  Finding,
  FindingLocation,
  Severity,
} from '../../kernel/index.js';
import { artifactUri, sarifSchemaUri, severityRank } from '../../kernel/index.js';
import { compareText } from '../presentation.js';

/**
 * SARIF 2.1.0 for code scanning: one run; one rule per check id that raised a finding; one
 * result per finding of a failing or partial control. Problems of the assessment become
 * tool execution notifications. Only the shapes we emit are typed here.
 */

/** The key of our fingerprint in `partialFingerprints`; bump the suffix if the fingerprint recipe changes. */
export const fingerprintKey = 'shipguard/v1';

type SarifLevel = 'error' | 'warning' | 'note';

interface SarifMessage {
  text: string;
}

interface SarifLocation {
  physicalLocation: {
    artifactLocation: { uri: string; uriBaseId?: string };
    region?: { startLine: number; startColumn?: number };
  };
}

interface SarifRule {
  id: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: SarifMessage;
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; controls: string[]; 'security-severity'?: string };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: SarifLocation[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: 'external'; status: 'accepted'; justification: string }[];
  properties: { severity: Severity; controls: string[]; areas: string[]; locationIsRepositoryWide?: true };
}

interface SarifNotification {
  level: 'error' | 'warning';
  message: SarifMessage;
  descriptor: { id: string };
  locations?: SarifLocation[];
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: [
    {
      tool: {
        driver: { name: 'shipguard'; version: string; semanticVersion: string; rules: SarifRule[] };
      };
      invocations: [
        {
          executionSuccessful: boolean;
          startTimeUtc: string;
          endTimeUtc: string;
          toolExecutionNotifications: SarifNotification[];
        },
      ];
      results: SarifResult[];
      properties: Record<string, unknown>;
    },
  ];
}

const levels: Readonly<Record<Severity, SarifLevel>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub code scanning ranks security alerts by this score (CVSS-like, 0.1 to 10). */
const securitySeverities: Readonly<Record<Severity, string | undefined>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
  info: undefined,
};

export function renderSarif(assessment: Assessment): string {
  return `${JSON.stringify(buildSarif(assessment), null, 2)}\n`;
}

/** A finding with every failing control it was reported under (one check may serve several controls). */
interface Occurrence {
  finding: Finding;
  controls: ControlResult[];
}

export function buildSarif(assessment: Assessment): SarifLog {
  const occurrences = collectOccurrences(assessment.controls);
  const rules = buildRules(occurrences);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const results = occurrences.map((occurrence) =>
    buildResult(occurrence, ruleIndex.get(occurrence.finding.checkId) ?? -1, assessment),
  );
  return {
    $schema: sarifSchemaUri,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'shipguard',
            version: assessment.tool.version,
            semanticVersion: assessment.tool.version,
            rules,
          },
        },
        invocations: [
          {
            // Problems (an unreadable file, stale data) are reported, not fatal: the run completed.
            executionSuccessful: true,
            startTimeUtc: assessment.startedAt,
            endTimeUtc: assessment.finishedAt,
            toolExecutionNotifications: assessment.problems.map(buildNotification),
          },
        ],
        results,
        properties: {
          assessmentId: assessment.id,
          catalogVersion: assessment.catalogVersion,
          summary: assessment.summary,
          ...(assessment.subject.commit === undefined ? {} : { commit: assessment.subject.commit }),
          ...(assessment.subject.branch === undefined ? {} : { branch: assessment.subject.branch }),
        },
      },
    ],
  };
}

/** Findings of failing and partial controls, once each, in a stable order. */
function collectOccurrences(controls: readonly ControlResult[]): Occurrence[] {
  const byKey = new Map<string, Occurrence>();
  for (const control of controls) {
    if (control.status !== 'fail' && control.status !== 'partial') continue;
    for (const finding of control.findings) {
      const key = `${finding.fingerprint}\0${locationKey(finding.location)}`;
      const existing = byKey.get(key);
      if (existing) existing.controls.push(control);
      else byKey.set(key, { finding, controls: [control] });
    }
  }
  return [...byKey.values()].sort(
    (left, right) =>
      compareText(left.finding.checkId, right.finding.checkId) ||
      compareText(locationKey(left.finding.location), locationKey(right.finding.location)) ||
      compareText(left.finding.fingerprint, right.finding.fingerprint),
  );
}

function locationKey(location: FindingLocation | undefined): string {
  if (location === undefined) return '';
  const line = String(location.line ?? 0).padStart(9, '0');
  const column = String(location.column ?? 0).padStart(9, '0');
  return `${location.path}\0${line}\0${column}`;
}

function buildRules(occurrences: readonly Occurrence[]): SarifRule[] {
  const byCheck = new Map<string, Occurrence[]>();
  for (const occurrence of occurrences) {
    const list = byCheck.get(occurrence.finding.checkId);
    if (list) list.push(occurrence);
    else byCheck.set(occurrence.finding.checkId, [occurrence]);
  }
  return [...byCheck.entries()]
    .sort(([left], [right]) => compareText(left, right))
    .map(([checkId, list]) => {
      const controls = uniqueControls(list.flatMap((occurrence) => occurrence.controls));
      const severity = highestSeverity(list.map((occurrence) => occurrence.finding.severity));
      const served = controls.map((control) => `${control.controlId}: ${control.title}`).join('; ');
      const rule: SarifRule = {
        id: checkId,
        // The assessment carries control titles, not check titles: a rule is described by what it serves.
        shortDescription: { text: controls.map((control) => control.title).join('; ') || checkId },
        fullDescription: { text: `shipguard check ${checkId}, evidence for control ${served}` },
        help: { text: list[0]?.finding.remediation ?? '' },
        defaultConfiguration: { level: levels[severity] },
        properties: {
          tags: ['security', ...new Set(controls.map((control) => control.area))],
          controls: controls.map((control) => control.controlId),
        },
      };
      const score = securitySeverities[severity];
      if (score !== undefined) rule.properties['security-severity'] = score;
      return rule;
    });
}

function buildResult(occurrence: Occurrence, ruleIndex: number, assessment: Assessment): SarifResult {
  const { finding } = occurrence;
  const controls = uniqueControls(occurrence.controls);
  const anchor = finding.location ?? repositoryWideAnchor(controls, assessment);
  const result: SarifResult = {
    ruleId: finding.checkId,
    ruleIndex,
    level: levels[finding.severity],
    message: {
      text: finding.location ? finding.message : `${finding.message} (applies to the whole repository)`,
    },
    locations: [buildLocation(anchor)],
    partialFingerprints: { [fingerprintKey]: finding.fingerprint },
    properties: {
      severity: finding.severity,
      controls: controls.map((control) => control.controlId),
      areas: [...new Set(controls.map((control) => control.area))],
    },
  };
  if (!finding.location) result.properties.locationIsRepositoryWide = true;
  // Accepted only when every control it fails is covered; one uncovered control keeps it open.
  const exceptions = controls.map((control) => control.exception);
  if (exceptions.every((exception): exception is AppliedException => exception !== undefined)) {
    result.suppressions = exceptions.map((exception) => ({
      kind: 'external',
      status: 'accepted',
      justification: `${exception.reason} (owner ${exception.owner}, approved by ${exception.approver}, until ${exception.expires})`,
    }));
  }
  return result;
}

/**
 * Where a finding without a location is shown. SARIF allows a result with no location, but
 * GitHub code scanning rejects the whole upload when any result has none ("expected at least one
 * location"). So a repository-wide finding is anchored at the first file its control's evidence
 * names, else at the policy file, where the control can be configured or accepted; the message
 * and `properties.locationIsRepositoryWide` say that the file is an anchor, not the place.
 */
function repositoryWideAnchor(controls: readonly ControlResult[], assessment: Assessment): FindingLocation {
  for (const control of controls) {
    for (const evidence of control.evidence) {
      if ((evidence.kind === 'file' || evidence.kind === 'commit') && evidence.path !== undefined) {
        return { path: evidence.path };
      }
    }
  }
  return { path: assessment.policyPath ?? 'shipguard.yaml' };
}

function buildLocation(location: FindingLocation): SarifLocation {
  const artifactLocation = artifactUri(location.path);
  const sarifLocation: SarifLocation = { physicalLocation: { artifactLocation } };
  if (location.line !== undefined && location.line >= 1) {
    const region: { startLine: number; startColumn?: number } = { startLine: location.line };
    if (location.column !== undefined && location.column >= 1) region.startColumn = location.column;
    sarifLocation.physicalLocation.region = region;
  }
  return sarifLocation;
}

function buildNotification(problem: AssessmentProblem): SarifNotification {
  const notification: SarifNotification = {
    level: problem.severity,
    message: { text: problem.message },
    descriptor: { id: problem.code },
  };
  if (problem.location) notification.locations = [buildLocation(problem.location)];
  return notification;
}

function uniqueControls(controls: readonly ControlResult[]): ControlResult[] {
  const seen = new Map<string, ControlResult>();
  for (const control of controls) if (!seen.has(control.controlId)) seen.set(control.controlId, control);
  return [...seen.values()].sort((left, right) => compareText(left.controlId, right.controlId));
}

function highestSeverity(list: readonly Severity[]): Severity {
  let highest: Severity = 'info';
  for (const severity of list) if (severityRank(severity) > severityRank(highest)) highest = severity;
  return highest;
}
