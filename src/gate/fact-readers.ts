/**
 * Each gate fact from one domain call, turned into the shape `decide` reads. No judgement here:
 * the domains judge (verify, scan, review, match), `decide` applies the environment's rules.
 */
import { readAdvisoryData } from '../advisories/index.js';
import { isExpired } from '../engine/index.js';
import { severityRank } from '../kernel/index.js';
import {
  CalendarError,
  type CalendarErrorCode,
  checkTimeZone,
  type GateEnvironment,
  type Policy,
  parseCalendar,
} from '../policy/index.js';
import type { Verifier } from '../provenance/index.js';
import {
  type AttestationSubject,
  type Envelope,
  isVerificationRefusal,
  parseEnvelope,
  type VerificationResult,
  verifyAttestation,
} from '../provenance/index.js';
import type { readSecretsConfigAt } from '../secrets/index.js';
import { scanCommit } from '../secrets/index.js';
import type { Store } from '../store/index.js';
import type { VexStatement } from '../vulns/index.js';
import { type CheckedPackage, findVulnerabilities } from '../vulns/index.js';
import { readBounded } from './bound-inputs.js';
import type {
  AssessmentFact,
  CalendarFact,
  ProvenanceFact,
  SecretFact,
  VulnerabilityFact,
} from './decide.js';
import { GateError, type GateErrorCode } from './errors.js';
import type { PolicySource } from './protected-policy.js';

export type ProvenanceReading = { verified: VerificationResult } | { rejected: ProvenanceFact };

/** Verifies the attestation with provenance's one verifier; a rejection is a fact, not an error. */
export async function readProvenance(input: {
  attestation: string;
  artifact: AttestationSubject;
  verifiers: readonly Verifier[];
  builderId: string | undefined;
}): Promise<ProvenanceReading> {
  if (input.verifiers.length === 0) {
    throw new GateError(
      'GATE_PROVENANCE_MISSING',
      'no trusted key: set trustedKeys for the environment in the protected policy',
    );
  }
  const envelope: Envelope = parseEnvelope(
    (await readBounded(input.attestation)).toString('utf8'),
    input.attestation,
  );
  try {
    const verified = await verifyAttestation({
      artifact: input.artifact,
      envelope,
      verifiers: input.verifiers,
      expected: input.builderId === undefined ? {} : { builderId: input.builderId },
    });
    return { verified };
  } catch (error) {
    // A refusal a signer could cause (bad signature, another artefact, an untrusted builder):
    // the provenance rule fails, it does not error.
    if (isVerificationRefusal(error)) {
      return { rejected: { verified: false, code: error.code, reason: error.message } };
    }
    throw error;
  }
}

export function provenanceFact(reading: ProvenanceReading | undefined): ProvenanceFact | undefined {
  if (reading === undefined) return undefined;
  if ('rejected' in reading) return reading.rejected;
  const { verified } = reading;
  const fact: ProvenanceFact = { verified: true };
  if (verified.signer.keyIds) fact.keyIds = verified.signer.keyIds;
  if (verified.builderId) fact.builderId = verified.builderId;
  if (verified.source?.commit) fact.sourceCommit = verified.source.commit;
  return fact;
}

/** The released commit's tree scanned with the secret-scanning settings of the protected branch. */
export async function readReleasedSecrets(
  root: string,
  commit: string,
  config: Awaited<ReturnType<typeof readSecretsConfigAt>>,
): Promise<SecretFact[]> {
  const report = await scanCommit({ root, commit, ...config });
  if (report.partial) throw new GateError('GATE_SECRETS_PARTIAL', report.partialReasons.join('; '));
  return report.findings.map(({ ruleId, path, line, fingerprint, id }) => ({
    ruleId,
    path,
    line,
    fingerprint,
    id,
  }));
}

/** Holidays and leave from the calendars the policy names, expanded around the decision time. */
export async function readCalendars(
  source: PolicySource,
  settings: GateEnvironment,
  at: Date,
): Promise<CalendarFact> {
  try {
    return await readCalendarsOf(source, settings, at);
  } catch (error) {
    // The gate reports its own codes (docs/gate.md); the calendar is shared with the freeze check.
    if (error instanceof CalendarError) {
      throw new GateError(gateCodeOf[error.code], error.message, {
        cause: error,
        ...(error.location ? { location: error.location } : {}),
      });
    }
    throw error;
  }
}

const gateCodeOf: Record<CalendarErrorCode, GateErrorCode> = {
  CALENDAR_INVALID_TIME_ZONE: 'GATE_INVALID_TIME_ZONE',
  CALENDAR_INVALID: 'GATE_CALENDAR_INVALID',
  CALENDAR_UNBOUNDED: 'GATE_CALENDAR_UNBOUNDED',
};

async function readCalendarsOf(
  source: PolicySource,
  settings: GateEnvironment,
  at: Date,
): Promise<CalendarFact> {
  checkTimeZone(settings.timeZone);
  const window = {
    since: new Date(at.getTime() - 2 * 86_400_000),
    until: new Date(at.getTime() + ((settings.responders?.withinHours ?? 0) + 48) * 3_600_000),
    defaultZone: settings.timeZone,
  };
  const read = async (paths: readonly string[]) => {
    const texts = await Promise.all(paths.map((path) => source.readFile(path, 4 * 1024 * 1024)));
    return texts.flatMap((text, index) => parseCalendar(text.toString('utf8'), paths[index] ?? '', window));
  };
  return { holidays: await read(settings.holidayCalendars), leave: await read(settings.leaveCalendars) };
}

/**
 * Known vulnerabilities of the attested SBOM's packages. Unknown is not "none": an SBOM with no
 * component, or an ecosystem with no advisory record or stale data, is GATE_ADVISORIES_UNKNOWN.
 */
export async function readVulnerabilities(input: {
  store: Store;
  packages: readonly CheckedPackage[];
  vex: readonly VexStatement[];
  policy: Policy;
  at: Date;
}): Promise<VulnerabilityFact[]> {
  const { packages, policy, at } = input;
  if (packages.length === 0) {
    throw new GateError(
      'GATE_ADVISORIES_UNKNOWN',
      'the attested SBOM lists no component with a package URL, so nothing shows the artefact is free of known vulnerabilities',
    );
  }
  const data = await readAdvisoryData(input.store, packages, at);
  const maxAge = policy.supplyChain.advisoryDatabaseMaxAgeDays;
  const unknown = Object.entries(data.coverage)
    .filter(([, coverage]) => coverage === undefined || coverage.ageDays > maxAge)
    .map(([ecosystem, coverage]) =>
      coverage
        ? `${ecosystem} (${coverage.ageDays} days old, more than ${maxAge})`
        : `${ecosystem} (no advisory record)`,
    );
  if (unknown.length > 0) {
    throw new GateError(
      'GATE_ADVISORIES_UNKNOWN',
      `advisory data is missing or stale for ${unknown.join(', ')} (run \`shipguard advisories sync\` or \`advisories import\`)`,
    );
  }
  const findings = findVulnerabilities([...packages], data.index, {
    now: at,
    settings: policy.supplyChain,
    vex: [...input.vex],
  });
  const exceptions = policy.exceptions.filter(
    (item) => item.fingerprint !== undefined && !isExpired(item.expires, at),
  );
  return findings.map((finding) => {
    const fact: VulnerabilityFact = {
      id: finding.id,
      package: `${finding.package.ecosystem}/${finding.package.name}@${finding.package.version}`,
      severity: finding.severity,
      slaDays: finding.slaDays,
      fingerprint: finding.fingerprint,
    };
    if (finding.published) fact.published = finding.published;
    if (finding.vex) fact.vex = finding.vex.status;
    const exception = exceptions.find((item) => item.fingerprint === finding.fingerprint);
    if (exception) fact.exceptionExpires = exception.expires;
    return fact;
  });
}

/** The newest stored assessment of the commit and its blocking failures (at or above failOn). */
export async function readAssessment(
  store: Store,
  root: string,
  commit: string,
  failOn: Policy['failOn'],
): Promise<AssessmentFact | undefined> {
  const assessment = await store.latestAssessmentForCommit(root, commit);
  if (!assessment) return undefined;
  const blocking = assessment.controls.filter(
    (control) =>
      control.status === 'fail' &&
      control.exception === undefined &&
      failOn !== 'none' &&
      severityRank(control.severity) >= severityRank(failOn),
  );
  return { id: assessment.id, blockingFailures: blocking.map((control) => control.controlId) };
}
