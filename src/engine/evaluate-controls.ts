import type { Catalog, Control } from '../catalog/index.js';
import type { CheckResult, CheckStatus, ControlResult, ControlStatus, Evidence } from '../kernel/index.js';
import type { Attestation, LoadedPolicy } from '../policy/index.js';
import { type ActiveExceptions, toAppliedException } from './exceptions.js';

export interface ControlInputs {
  checkResults: ReadonlyMap<string, CheckResult>;
  loadedPolicy: LoadedPolicy;
  exceptions: ActiveExceptions;
  now: Date;
  /** Per control, what signed records say (src/records evaluateRecordControls); wins over attestations. */
  recordOutcomes?: ReadonlyMap<string, RecordOutcome>;
}

const dayMs = 24 * 60 * 60 * 1000;

/** Turns check results and records into one result per control of the catalog. Pure. */
export function evaluateControls(catalog: Catalog, inputs: ControlInputs): ControlResult[] {
  return catalog.controls.map((control) => evaluateControl(control, inputs));
}

export function evaluateControl(control: Control, inputs: ControlInputs): ControlResult {
  const base = {
    controlId: control.id,
    title: control.title,
    area: control.area,
    severity: control.severity,
  };
  const applicability = inputs.loadedPolicy.policy.controls[control.id];
  if (applicability) {
    const evidence = policyRecordEvidence(
      inputs.loadedPolicy,
      ['controls', control.id],
      'marked not applicable',
    );
    return {
      ...base,
      status: 'not-applicable',
      summary: `not applicable: ${applicability.reason}`,
      evidence: [evidence],
      findings: [],
      checks: [],
    };
  }

  const checks = control.assessment.checks.map(
    (id) =>
      inputs.checkResults.get(id) ?? {
        checkId: id,
        status: 'unknown' as const,
        summary: `check ${id} did not run`,
        evidence: [],
        findings: [],
        howToProvide: 'this check is not available in this version of shipguard',
      },
  );
  const record = evaluateRecord(control, inputs);
  const parts: { status: CheckStatus; summary: string }[] = [...checks];
  if (record) parts.push(record);

  let result: ControlResult;
  if (parts.length === 0) {
    result = {
      ...base,
      status: 'unknown',
      summary: 'not yet assessed automatically',
      evidence: [],
      findings: [],
      checks,
      howToProvide: howToAttest(control),
    };
  } else {
    const status = combineStatuses(parts.map((part) => part.status));
    const findings = checks.flatMap((check) => check.findings);
    const evidence = [...checks.flatMap((check) => check.evidence), ...(record?.evidence ?? [])];
    result = { ...base, status, summary: summarise(status, parts), evidence, findings, checks };
    if (status === 'fail' || status === 'partial') result.remediation = remediationFor(findings, record);
    if (status === 'unknown' || status === 'partial') {
      const hints = [...checks.map((check) => check.howToProvide), record?.howToProvide].filter(
        (hint): hint is string => hint !== undefined,
      );
      if (hints.length > 0) result.howToProvide = [...new Set(hints)].join(' ');
    }
  }
  const exception = inputs.exceptions.byControl.get(control.id);
  if (exception) result.exception = toAppliedException(exception.exception);
  return result;
}

/**
 * pass only when every part passes; fail when parts fail and none pass; partial when some pass
 * and some fail; unknown when nothing fails but some evidence is missing (the summary still says
 * what passed). Never pass without evidence for every part.
 */
export function combineStatuses(statuses: readonly CheckStatus[]): ControlStatus {
  const relevant = statuses.filter((status) => status !== 'not-applicable');
  if (relevant.length === 0) return 'not-applicable';
  const passes = relevant.filter((status) => status === 'pass').length;
  const fails = relevant.filter((status) => status === 'fail').length;
  if (fails > 0) return passes > 0 ? 'partial' : 'fail';
  return passes === relevant.length ? 'pass' : 'unknown';
}

export interface RecordOutcome {
  status: CheckStatus;
  summary: string;
  evidence: Evidence[];
  howToProvide?: string;
  remediation?: string;
}

/** Judges a control's record (an attestation in shipguard.yaml) against its cadence. */
function evaluateRecord(control: Control, inputs: ControlInputs): RecordOutcome | undefined {
  const wantsRecord = control.assessment.record !== undefined || control.assessment.checks.length === 0;
  if (!wantsRecord) return undefined;
  const signed = inputs.recordOutcomes?.get(control.id);
  if (signed) return signed;
  const attestations = inputs.loadedPolicy.policy.attestations
    .map((attestation, index) => ({ attestation, index }))
    .filter(({ attestation }) => attestation.control === control.id)
    .sort((a, b) => b.attestation.date.localeCompare(a.attestation.date));
  const latest = attestations[0];
  if (!latest) {
    if (control.assessment.checks.length === 0 || control.assessment.record !== undefined) {
      return {
        status: 'unknown',
        summary: `no ${control.assessment.record ?? 'attestation'} record`,
        evidence: [],
        howToProvide: howToAttest(control),
      };
    }
    return undefined;
  }
  return judgeAttestation(control, latest.attestation, latest.index, inputs);
}

function judgeAttestation(
  control: Control,
  attestation: Attestation,
  index: number,
  inputs: ControlInputs,
): RecordOutcome {
  const evidence = policyRecordEvidence(
    inputs.loadedPolicy,
    ['attestations', index],
    `${attestation.date} by ${attestation.by}: ${attestation.evidence}`,
  );
  const recordedAt = Date.parse(`${attestation.date}T00:00:00Z`);
  if (Number.isNaN(recordedAt) || recordedAt > inputs.now.getTime()) {
    return {
      status: 'unknown',
      summary: `the record dated ${attestation.date} is not a valid past date`,
      evidence: [evidence],
      howToProvide: 'Give the date the activity took place, as YYYY-MM-DD.',
    };
  }
  const cadenceDays = control.assessment.cadenceDays;
  if (cadenceDays !== undefined) {
    const ageDays = Math.floor((inputs.now.getTime() - recordedAt) / dayMs);
    if (ageDays > cadenceDays) {
      return {
        status: 'fail',
        summary: `last record ${attestation.date} is ${ageDays} days old; due every ${cadenceDays} days`,
        evidence: [evidence],
        remediation: `Carry out the activity again and record it (due every ${cadenceDays} days).`,
      };
    }
  }
  return {
    status: 'pass',
    summary: `recorded ${attestation.date} by ${attestation.by}`,
    evidence: [evidence],
  };
}

function policyRecordEvidence(loaded: LoadedPolicy, keyPath: (string | number)[], note: string): Evidence {
  const evidence: Evidence = { kind: 'record', source: loaded.path ?? 'shipguard.yaml', note };
  const line = loaded.lineOf(keyPath);
  if (line !== undefined) evidence.line = line;
  return evidence;
}

function howToAttest(control: Control): string {
  const record = control.assessment.record ?? 'attestation';
  const cadence = control.assessment.cadenceDays
    ? ` (renew every ${control.assessment.cadenceDays} days)`
    : '';
  return `Record the ${record} as a signed record (shipguard records add, see docs/records.md), or under \`attestations:\` in shipguard.yaml with control ${control.id}, date, by and evidence${cadence}.`;
}

function summarise(
  status: ControlStatus,
  parts: readonly { status: CheckStatus; summary: string }[],
): string {
  // A failing control leads with what failed; otherwise every part is worth reading.
  const chosen =
    status === 'fail' || status === 'partial' ? parts.filter((part) => part.status === 'fail') : parts;
  return (chosen.length > 0 ? chosen : parts).map((part) => part.summary).join('; ');
}

function remediationFor(findings: ControlResult['findings'], record: RecordOutcome | undefined): string {
  const remedies = new Set(findings.map((finding) => finding.remediation));
  if (record?.remediation) remedies.add(record.remediation);
  return [...remedies].join(' ');
}
