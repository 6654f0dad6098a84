import {
  type Assessment,
  type CheckStatus,
  type ControlResult,
  type ControlStatus,
  emptyStatusCounts,
  type Severity,
} from '../../kernel/index.js';

export interface ControlSpec {
  id: string;
  area: string;
  status: ControlStatus;
  severity?: Severity;
}

export interface AssessmentSpec {
  id: string;
  startedAt?: string;
  /** Defaults to one minute after startedAt. */
  finishedAt?: string;
  path?: string;
  commit?: string;
  branch?: string;
  catalogVersion?: string;
  toolVersion?: string;
  controls?: ControlSpec[];
}

/**
 * A complete Assessment for store tests: every nested shape the model has (evidence of each kind,
 * findings, checks, an exception, problems, text outside ASCII) so that round trips are tested
 * on more than the columns. The summary is counted from the controls.
 */
export function buildAssessment(spec: AssessmentSpec): Assessment {
  const startedAt = spec.startedAt ?? '2026-06-01T12:00:00.000Z';
  const controls = (spec.controls ?? defaultControls).map(buildControl);
  const summary = emptyStatusCounts();
  for (const control of controls) summary[control.status] += 1;
  const assessment: Assessment = {
    schemaVersion: 1,
    tool: { name: 'shipguard', version: spec.toolVersion ?? '0.1.0' },
    id: spec.id,
    startedAt,
    finishedAt: spec.finishedAt ?? new Date(Date.parse(startedAt) + 60_000).toISOString(),
    subject: { path: spec.path ?? '.', isGitRepository: spec.commit !== undefined },
    catalogVersion: spec.catalogVersion ?? '2026.1',
    summary,
    controls,
    problems: [
      {
        severity: 'warning',
        code: 'FILE_BINARY',
        message: 'docs/logo.png looks binary and was not read as text',
        location: { path: 'docs/logo.png' },
      },
    ],
  };
  if (spec.commit !== undefined) assessment.subject.commit = spec.commit;
  if (spec.branch !== undefined) assessment.subject.branch = spec.branch;
  if (spec.commit !== undefined) assessment.subject.dirty = false;
  return assessment;
}

const defaultControls: ControlSpec[] = [
  { id: 'SD-01', area: 'governance', status: 'pass' },
  { id: 'SD-02', area: 'supply-chain', status: 'fail', severity: 'high' },
  { id: 'SD-03', area: 'supply-chain', status: 'unknown' },
];

function buildControl(spec: ControlSpec): ControlResult {
  const control: ControlResult = {
    controlId: spec.id,
    title: `Control ${spec.id} — «secure» développement`,
    area: spec.area,
    severity: spec.severity ?? 'medium',
    status: spec.status,
    summary: `${spec.id} is ${spec.status}`,
    evidence: [
      { kind: 'file', path: 'SECURITY.md', line: 3, column: 1 },
      { kind: 'commit', commit: 'a'.repeat(40), note: 'signed' },
      { kind: 'digest', algorithm: 'sha256', value: 'b'.repeat(64), subject: 'dist/app.tgz' },
      { kind: 'absence', lookedFor: ['CODEOWNERS', '.github/CODEOWNERS'], in: 'HEAD' },
      { kind: 'record', source: 'records/training.yaml', line: 12 },
    ],
    findings: [],
    checks: [
      {
        checkId: `${spec.id.toLowerCase()}/present`,
        status: checkStatusOf(spec.status),
        summary: 'looked at the tree',
        evidence: [],
        findings: [],
      },
    ],
  };
  if (spec.status === 'fail' || spec.status === 'partial') {
    control.findings.push({
      checkId: `${spec.id.toLowerCase()}/present`,
      severity: spec.severity ?? 'medium',
      message: 'something is missing',
      location: { path: 'package.json', line: 1 },
      remediation: 'add it',
      fingerprint: `${spec.id}:fingerprint`,
    });
    control.remediation = 'add it';
  }
  if (spec.status === 'unknown') control.howToProvide = 'record it in records/';
  if (spec.status === 'not-applicable') {
    control.exception = {
      reason: 'no deployments',
      owner: 'ada@example.com',
      approver: 'grace@example.com',
      expires: '2027-01-01',
    };
  }
  return control;
}

function checkStatusOf(status: ControlStatus): CheckStatus {
  if (status === 'partial') return 'fail';
  return status;
}

/** `count` controls spread over `areas`, with statuses in a fixed rotation. */
export function manyControls(count: number, areas: string[]): ControlSpec[] {
  const statuses: ControlStatus[] = ['pass', 'fail', 'partial', 'unknown', 'not-applicable'];
  const controls: ControlSpec[] = [];
  for (let index = 0; index < count; index += 1) {
    controls.push({
      id: `C-${String(index).padStart(5, '0')}`,
      area: areas[index % areas.length] ?? 'general',
      status: statuses[index % statuses.length] ?? 'pass',
    });
  }
  return controls;
}
