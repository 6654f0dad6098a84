import type { Catalog, Control } from '../catalog/index.js';
import {
  type CheckResult,
  type CheckStatus,
  type ControlResult,
  type ControlStatus,
  type Evidence,
  type EvidenceLevel,
  evidenceLevelRank,
  levelOf,
  strongestLevel,
  weakestLevel,
} from '../kernel/index.js';
import type { Attestation, LoadedPolicy } from '../policy/index.js';
import { type ActiveExceptions, toAppliedException } from './exceptions.js';

export interface ControlInputs {
  checkResults: ReadonlyMap<string, CheckResult>;
  loadedPolicy: LoadedPolicy;
  exceptions: ActiveExceptions;
  now: Date;
  /**
   * Records kept outside shipguard.yaml (signed records in the store, from the records module),
   * each with the level its signature earns. `attestations:` lines are always `declared`.
   */
  records?: readonly RecordEvidence[];
  /** Per control, what signed records say (src/records evaluateRecordControls); wins over attestations. */
  recordOutcomes?: ReadonlyMap<string, RecordOutcome>;
}

/** One record that evidences a control, with the level of evidence it is worth. */
export interface RecordEvidence {
  controlId: string;
  /** The day the activity took place, YYYY-MM-DD. */
  date: string;
  /** Who recorded it (a principal's display name). */
  by: string;
  level: EvidenceLevel;
  /** One sentence: what the record says. */
  summary: string;
  evidence: Evidence;
  /** Set when what the record names as its evidence is template filler: why it proves nothing. */
  placeholder?: string;
}

/** Filler a template leaves where the evidence should be named. */
const placeholderEvidence =
  /^\s*(n\/?a|none|-+|\.+|x+|\?+)\s*$|<[^>:/]*>|\b(todo|tbd|tbc|fixme|placeholder|changeme|replace[-_ ]?me|lorem ipsum)\b/i;

const dayMs = 24 * 60 * 60 * 1000;

/** Turns check results and records into one result per control of the catalog. Pure. */
export function evaluateControls(catalog: Catalog, inputs: ControlInputs): ControlResult[] {
  return catalog.controls.map((control) => evaluateControl(control, inputs));
}

export function evaluateControl(control: Control, inputs: ControlInputs): ControlResult {
  const assessed = assessControl(control, inputs);
  const applicability = inputs.loadedPolicy.policy.controls[control.id];
  if (!applicability) return assessed;
  const contradicted = contradictingParts(control, inputs);
  if (contradicted.length > 0) {
    // A repository cannot declare itself out of a control the evidence shows it fails.
    return {
      ...assessed,
      summary: `${assessed.summary}; marked not applicable in ${inputs.loadedPolicy.path ?? 'shipguard.yaml'} ("${applicability.reason}"), which does not count: ${contradicted.join(', ')} failed on what it found, so the control applies`,
    };
  }
  const evidence = policyRecordEvidence(
    inputs.loadedPolicy,
    ['controls', control.id],
    'marked not applicable',
  );
  return {
    controlId: control.id,
    title: control.title,
    area: control.area,
    severity: control.severity,
    status: 'not-applicable',
    summary: `not applicable: ${applicability.reason}`,
    evidence: [evidence],
    findings: [],
    checks: [],
  };
}

/**
 * The checks (and the record) of a control that failed on something found, not on an absence:
 * a missing file agrees with "not applicable", a found one contradicts it. Stand-in checks
 * (catalog `standInChecks`) judge other work and contradict nothing.
 */
function contradictingParts(control: Control, inputs: ControlInputs): string[] {
  const failedOnFound = (part: { status: CheckStatus; evidence: Evidence[] }) =>
    part.status === 'fail' &&
    (part.evidence.length === 0 || part.evidence.some((item) => item.kind !== 'absence'));
  const checks = (control.assessment.standInChecks ? [] : control.assessment.checks)
    .map((id) => inputs.checkResults.get(id))
    .filter((check): check is CheckResult => check !== undefined && failedOnFound(check))
    .map((check) => check.checkId);
  const record = evaluateRecord(control, inputs);
  if (record && failedOnFound(record))
    checks.push(`its ${control.assessment.record ?? 'attestation'} record`);
  return checks;
}

function assessControl(control: Control, inputs: ControlInputs): ControlResult {
  const base = {
    controlId: control.id,
    title: control.title,
    area: control.area,
    severity: control.severity,
  };
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
  const leveledChecks = checks.map(withEvidenceLevel);
  const parts: Part[] = [...leveledChecks];
  if (record) parts.push(withEvidenceLevel(record));
  const requiredLevel = requiredLevelOf(control, inputs);

  let result: ControlResult;
  if (parts.length === 0) {
    result = {
      ...base,
      status: 'unknown',
      summary: 'not yet assessed automatically',
      evidence: [],
      findings: [],
      checks: leveledChecks,
      howToProvide: howToAttest(control),
    };
  } else {
    let status = combineStatuses(parts.map((part) => part.status));
    const findings = leveledChecks.flatMap((check) => check.findings);
    const evidence = [...leveledChecks.flatMap((check) => check.evidence), ...(record?.evidence ?? [])];
    const evidenceLevel = controlEvidenceLevel(status, parts);
    let summary = summarise(status, parts);
    const hints = parts
      .filter((part) => part.status === 'unknown' || part.status === 'fail')
      .map((part) => part.howToProvide);
    if (status === 'pass' && !meetsLevel(evidenceLevel, requiredLevel)) {
      // Evidence someone typed cannot carry a control the policy wants proven.
      status = 'unknown';
      summary = `${summary}; the evidence is ${evidenceLevel ?? 'missing'}, and this ${control.severity} control needs ${requiredLevel} evidence or stronger`;
      hints.unshift(
        ...parts
          .filter((part) => part.status === 'pass' && !meetsLevel(part.evidenceLevel, requiredLevel))
          .map((part) => part.howToStrengthen ?? part.howToProvide),
        howToReachLevel(requiredLevel),
      );
    }
    result = { ...base, status, summary, evidence, findings, checks: leveledChecks };
    if (evidenceLevel) result.evidenceLevel = evidenceLevel;
    if (status === 'fail' || status === 'partial') result.remediation = remediationFor(findings, record);
    if (status === 'unknown' || status === 'partial') {
      const known = hints.filter((hint): hint is string => hint !== undefined);
      if (known.length > 0) result.howToProvide = [...new Set(known)].join(' ');
    }
  }
  result.requiredLevel = requiredLevel;
  const exception = inputs.exceptions.byControl.get(control.id);
  if (exception) result.exception = toAppliedException(exception.exception);
  return result;
}

/** A check's result or the record's outcome, with the level of its evidence. */
interface Part {
  status: CheckStatus;
  summary: string;
  evidence: Evidence[];
  evidenceLevel?: EvidenceLevel;
  howToProvide?: string;
  /** For a pass on weak evidence: how to give stronger evidence. */
  howToStrengthen?: string;
}

/** Sets a part's level: the strongest of its evidence (a check may rest on several sources). */
function withEvidenceLevel<T extends Part>(part: T): T {
  const level = strongestLevel(part.evidence.map(levelOf));
  if (level === undefined) return part;
  return { ...part, evidenceLevel: level };
}

/**
 * The control's level: a pass rests on every part, so on the weakest of the passing parts' best
 * evidence; any other result reports the best evidence any part had.
 */
export function controlEvidenceLevel(
  status: ControlStatus,
  parts: readonly Pick<Part, 'status' | 'evidenceLevel'>[],
): EvidenceLevel | undefined {
  if (status === 'pass') {
    const passing = parts.filter((part) => part.status === 'pass');
    if (passing.some((part) => part.evidenceLevel === undefined)) return undefined;
    return weakestLevel(passing.map((part) => part.evidenceLevel as EvidenceLevel));
  }
  return strongestLevel(
    parts.map((part) => part.evidenceLevel).filter((level): level is EvidenceLevel => level !== undefined),
  );
}

/** The policy's minimum for this control: its own entry, else its severity's. */
export function requiredLevelOf(
  control: Control,
  inputs: Pick<ControlInputs, 'loadedPolicy'>,
): EvidenceLevel {
  const settings = inputs.loadedPolicy.policy.evidence;
  return settings.controls[control.id] ?? settings.minimumLevel[control.severity];
}

function meetsLevel(level: EvidenceLevel | undefined, required: EvidenceLevel): boolean {
  return level !== undefined && evidenceLevelRank(level) >= evidenceLevelRank(required);
}

function howToReachLevel(required: EvidenceLevel): string {
  return required === 'verified'
    ? 'Give evidence shipguard can verify itself: what it reads in the repository, forge approvals read with a token (review.forge), or signatures it checks.'
    : 'Give evidence shipguard can verify (repository content, forge approvals read with a token, signatures it checks) or a signed record from an authenticated principal; a line typed in shipguard.yaml or a commit trailer is only declared.';
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
  howToStrengthen?: string;
  remediation?: string;
}

/** Judges a control's record (an attestation in shipguard.yaml) against its cadence. */
function evaluateRecord(control: Control, inputs: ControlInputs): RecordOutcome | undefined {
  const wantsRecord = control.assessment.record !== undefined || control.assessment.checks.length === 0;
  if (!wantsRecord) return undefined;
  // Signed records (src/records) were verified against their signers' keys: `signed` evidence
  // unless the record module says otherwise.
  const signed = inputs.recordOutcomes?.get(control.id);
  if (signed) {
    return { ...signed, evidence: signed.evidence.map((item) => ({ level: 'signed' as const, ...item })) };
  }
  const candidates: RecordEvidence[] = [
    ...inputs.loadedPolicy.policy.attestations
      .map((attestation, index) => ({ attestation, index }))
      .filter(({ attestation }) => attestation.control === control.id)
      .map(({ attestation, index }) => attestationRecord(attestation, index, inputs)),
    ...(inputs.records ?? []).filter((record) => record.controlId === control.id),
  ];
  if (candidates.length === 0) {
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
  // The best record wins: a passing one over a stale one, then the stronger level, then the newer.
  const judged = candidates
    .map((record) => judgeRecord(control, record, inputs))
    .sort(
      (a, b) =>
        recordStatusRank(b.outcome.status) - recordStatusRank(a.outcome.status) ||
        evidenceLevelRank(b.record.level) - evidenceLevelRank(a.record.level) ||
        b.record.date.localeCompare(a.record.date),
    );
  return (judged[0] as { outcome: RecordOutcome }).outcome;
}

function recordStatusRank(status: CheckStatus): number {
  return status === 'pass' ? 2 : status === 'fail' ? 1 : 0;
}

/** An `attestations:` line: typed by someone, so `declared` whatever it says. */
function attestationRecord(attestation: Attestation, index: number, inputs: ControlInputs): RecordEvidence {
  const evidence = policyRecordEvidence(
    inputs.loadedPolicy,
    ['attestations', index],
    `${attestation.date} by ${attestation.by}: ${attestation.evidence}`,
  );
  const record: RecordEvidence = {
    controlId: attestation.control,
    date: attestation.date,
    by: attestation.by,
    level: 'declared',
    summary: `recorded ${attestation.date} by ${attestation.by} (an attestation in ${inputs.loadedPolicy.path ?? 'shipguard.yaml'})`,
    evidence: { ...evidence, level: 'declared' },
  };
  const filler = [attestation.evidence, attestation.by].find((text) => placeholderEvidence.test(text));
  if (filler !== undefined) record.placeholder = `"${filler.slice(0, 80)}" is a placeholder, not evidence`;
  return record;
}

function judgeRecord(
  control: Control,
  record: RecordEvidence,
  inputs: ControlInputs,
): { record: RecordEvidence; outcome: RecordOutcome } {
  return { record, outcome: judgeRecordOutcome(control, record, inputs) };
}

function judgeRecordOutcome(control: Control, record: RecordEvidence, inputs: ControlInputs): RecordOutcome {
  const evidence: Evidence = { ...record.evidence, level: record.level };
  if (record.placeholder !== undefined) {
    return {
      status: 'unknown',
      summary: `the record dated ${record.date}: ${record.placeholder}`,
      evidence: [evidence],
      howToProvide: 'Name the evidence itself (the report, its location or reference) and who recorded it.',
    };
  }
  const recordedAt = Date.parse(`${record.date}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(record.date) ||
    Number.isNaN(recordedAt) ||
    recordedAt > inputs.now.getTime()
  ) {
    return {
      status: 'unknown',
      summary: `the record dated ${record.date} is not a valid past date`,
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
        summary: `last record ${record.date} is ${ageDays} days old; due every ${cadenceDays} days`,
        evidence: [evidence],
        remediation: `Carry out the activity again and record it (due every ${cadenceDays} days).`,
      };
    }
  }
  const outcome: RecordOutcome = { status: 'pass', summary: record.summary, evidence: [evidence] };
  if (record.level === 'declared') {
    outcome.howToStrengthen = `The record for ${control.id} is only declared: keep it as a signed record by an authenticated principal.`;
  }
  return outcome;
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
