import type { Assessment, ControlResult, Finding, FindingLocation } from '../../kernel/index.js';
import { compareText } from '../presentation.js';

/**
 * The assessment itself, as pretty-printed JSON in a stable order, so that two runs over the
 * same repository give byte-identical files and diffs show only real changes. The shape is
 * described by assessment.schema.json and docs/json-report.md.
 */
export function renderJson(assessment: Assessment): string {
  const sorted: Assessment = {
    ...assessment,
    controls: [...assessment.controls].sort(compareById).map(sortFindings),
    problems: [...assessment.problems].sort(compareProblems),
  };
  return `${JSON.stringify(orderKeys(sorted, assessmentShape), null, 2)}\n`;
}

/**
 * The order keys are written in, per kind of object: identity first, then status, then detail.
 * Keys not listed here (a field added to the model later) are kept, after the listed ones.
 */
interface Shape {
  keys: readonly string[];
  /** Shapes of object values, or of the items of array values, by key. */
  children?: Readonly<Record<string, Shape>>;
}

const location: Shape = { keys: ['path', 'line', 'column'] };
const evidence: Shape = {
  keys: [
    'kind',
    'path',
    'line',
    'column',
    'commit',
    'algorithm',
    'value',
    'subject',
    'lookedFor',
    'in',
    'source',
    'note',
  ],
};
const finding: Shape = {
  keys: ['checkId', 'severity', 'message', 'location', 'remediation', 'fingerprint'],
  children: { location },
};
const check: Shape = {
  keys: ['checkId', 'status', 'summary', 'howToProvide', 'evidence', 'findings'],
  children: { evidence, findings: finding },
};
const control: Shape = {
  keys: [
    'controlId',
    'title',
    'area',
    'severity',
    'status',
    'summary',
    'remediation',
    'howToProvide',
    'exception',
    'evidence',
    'findings',
    'checks',
  ],
  children: {
    exception: { keys: ['reason', 'owner', 'approver', 'expires'] },
    evidence,
    findings: finding,
    checks: check,
  },
};
const assessmentShape: Shape = {
  keys: [
    'schemaVersion',
    'tool',
    'id',
    'startedAt',
    'finishedAt',
    'subject',
    'catalogVersion',
    'policyPath',
    'summary',
    'controls',
    'problems',
  ],
  children: {
    tool: { keys: ['name', 'version'] },
    subject: { keys: ['path', 'isGitRepository', 'commit', 'branch', 'shallow', 'dirty'] },
    summary: { keys: ['fail', 'partial', 'unknown', 'pass', 'not-applicable'] },
    controls: control,
    problems: { keys: ['severity', 'code', 'message', 'location'], children: { location } },
  },
};

function orderKeys(value: unknown, shape: Shape | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => orderKeys(item, shape));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const listed = shape?.keys ?? [];
  const present = Object.keys(record).filter((key) => record[key] !== undefined);
  const order = [
    ...listed.filter((key) => present.includes(key)),
    ...present.filter((key) => !listed.includes(key)).sort(compareText),
  ];
  const ordered: Record<string, unknown> = {};
  for (const key of order) ordered[key] = orderKeys(record[key], shape?.children?.[key]);
  return ordered;
}

function compareById(left: ControlResult, right: ControlResult): number {
  return compareText(left.controlId, right.controlId);
}

/** Findings by place, then check, then fingerprint: the order a reader walks a repository in. */
function sortFindings(result: ControlResult): ControlResult {
  return {
    ...result,
    findings: [...result.findings].sort(compareFindings),
    checks: result.checks.map((check) => ({ ...check, findings: [...check.findings].sort(compareFindings) })),
  };
}

function compareFindings(left: Finding, right: Finding): number {
  return (
    compareLocations(left.location, right.location) ||
    compareText(left.checkId, right.checkId) ||
    compareText(left.fingerprint, right.fingerprint)
  );
}

function compareLocations(left: FindingLocation | undefined, right: FindingLocation | undefined): number {
  if (left === undefined || right === undefined)
    return (left === undefined ? 0 : 1) - (right === undefined ? 0 : 1);
  return (
    compareText(left.path, right.path) ||
    (left.line ?? 0) - (right.line ?? 0) ||
    (left.column ?? 0) - (right.column ?? 0)
  );
}

function compareProblems(
  left: Assessment['problems'][number],
  right: Assessment['problems'][number],
): number {
  return (
    compareText(left.severity, right.severity) ||
    compareText(left.code, right.code) ||
    compareLocations(left.location, right.location) ||
    compareText(left.message, right.message)
  );
}
