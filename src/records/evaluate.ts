/**
 * Records → per-control evidence. Pure: the roster, the verified records and the date in, one
 * outcome per control that records speak to out. Every outcome is at the `signed` level: it rests
 * on records whose signatures were checked against registered keys.
 */
import type { Catalog, Control } from '../catalog/index.js';
import type { CheckStatus, Evidence } from '../kernel/index.js';
import { isActiveOn, isDeveloper, type Person, type Role } from '../people/index.js';
import type { RecordDocument } from './document.js';
import { kindOf } from './document.js';
import { requiredPenTestScope } from './kinds/index.js';
import type { VerifiedRecord } from './signing.js';

/** A verified record and where it was read from (a file of the records/ folder, or the store). */
export interface SourcedRecord extends VerifiedRecord {
  source: string;
  /** Evidence files kept in the repository whose bytes no longer match the signed hash. */
  changedEvidence?: string[];
}

export interface RecordSet {
  people: readonly Person[];
  records: readonly SourcedRecord[];
}

export interface RecordControlOutcome {
  status: CheckStatus;
  summary: string;
  evidence: Evidence[];
  level: 'signed';
  howToProvide?: string;
  remediation?: string;
}

const dayMs = 24 * 60 * 60 * 1000;
const mainPolicy = 'secure-development';
const dataHandlingPolicy = 'data-handling';

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

interface Context {
  today: string;
  people: ReadonlyMap<string, Person>;
  /** Records that count, by kind, oldest first. */
  byKind: ReadonlyMap<string, SourcedRecord[]>;
  /** Records that do not count, with why. */
  refused: { record: SourcedRecord; reason: string }[];
}

function data<T>(record: SourcedRecord): T {
  return record.document.data as T;
}

function nameOf(context: Context, id: string): string {
  const person = context.people.get(id);
  return person ? `${person.name} (${id})` : id;
}

function recordEvidence(record: SourcedRecord, note?: string): Evidence {
  const text = `${record.document.kind} ${record.document.id}, effective ${record.document.effective}, signed by ${record.signer}`;
  return { kind: 'record', source: record.source, note: note ? `${text}: ${note}` : text };
}

function evidenceOf(records: readonly SourcedRecord[]): Evidence[] {
  return records.slice(-20).map((record) => recordEvidence(record));
}

/** Why a record does not count, or undefined when it does: signer registered, in the required role, distinct where needed. */
function refusal(record: SourcedRecord, people: ReadonlyMap<string, Person>): string | undefined {
  const kind = kindOf(record.document.kind);
  if (record.signer === '') return 'its signing key is not registered to anyone';
  const signer = people.get(record.signer);
  if (kind.signerRoles !== undefined) {
    const held = signer?.roles ?? [];
    if (!kind.signerRoles.some((role: Role) => held.includes(role))) {
      return `signed by ${record.signer}, who does not hold the role ${kind.signerRoles.join(' or ')} on the roster`;
    }
  }
  if (kind.signerDistinct && record.signer === record.document.performedBy) {
    return `signed by ${record.signer}, who also performed it; another person must sign`;
  }
  if (
    record.document.kind === 'threat-model' &&
    data<{ reviewer: string }>(record).reviewer !== record.signer
  ) {
    return `the reviewer ${data<{ reviewer: string }>(record).reviewer} did not sign it`;
  }
  return undefined;
}

function buildContext(set: RecordSet, now: Date): Context {
  const people = new Map(set.people.map((person) => [person.id, person]));
  const byKind = new Map<string, SourcedRecord[]>();
  const refused: Context['refused'] = [];
  const today = now.toISOString().slice(0, 10);
  const sorted = [...set.records].sort(
    (a, b) =>
      a.document.effective.localeCompare(b.document.effective) ||
      a.document.recordedAt.localeCompare(b.document.recordedAt) ||
      a.document.id.localeCompare(b.document.id),
  );
  for (const record of sorted) {
    const reason =
      record.document.effective > today
        ? `effective ${record.document.effective} is in the future`
        : refusal(record, people);
    if (reason !== undefined) {
      refused.push({ record, reason });
      continue;
    }
    const list = byKind.get(record.document.kind) ?? [];
    list.push(record);
    byKind.set(record.document.kind, list);
  }
  return { today, people, byKind, refused };
}

function of(context: Context, kind: string): SourcedRecord[] {
  return context.byKind.get(kind) ?? [];
}

/** The newest record per subject. */
function latestBySubject(records: readonly SourcedRecord[]): Map<string, SourcedRecord> {
  const latest = new Map<string, SourcedRecord>();
  for (const record of records)
    latest.set(kindOf(record.document.kind).subject(record.document.data), record);
  return latest;
}

function outcome(
  status: CheckStatus,
  summary: string,
  evidence: Evidence[],
  extra: { howToProvide?: string; remediation?: string } = {},
): RecordControlOutcome {
  return { status, summary, evidence, level: 'signed', ...extra };
}

function listNames(items: readonly string[], max = 10): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

type Rule = (control: Control, context: Context) => RecordControlOutcome | undefined;

function activeDevelopers(context: Context, filter: (person: Person) => boolean = () => true): Person[] {
  return [...context.people.values()].filter(
    (person) => isActiveOn(person, context.today) && isDeveloper(person) && filter(person),
  );
}

function trainingRule(trainingKind: string, label: string): Rule {
  return (control, context) => {
    const developers = activeDevelopers(context);
    if (developers.length === 0) return undefined;
    const records = of(context, 'training').filter(
      (record) => data<{ trainingKind: string }>(record).trainingKind === trainingKind,
    );
    const latest = latestBySubject(records);
    const cadence = control.assessment.cadenceDays;
    const missing: string[] = [];
    const lapsed: string[] = [];
    const covered: SourcedRecord[] = [];
    for (const person of developers) {
      const record = latest.get(`${person.id}/${trainingKind}`);
      if (!record) {
        missing.push(nameOf(context, person.id));
        continue;
      }
      const training = data<{ completed: string; expires?: string }>(record);
      const ends = [
        training.expires,
        cadence === undefined ? undefined : addDays(training.completed, cadence),
      ]
        .filter((date): date is string => date !== undefined)
        .sort()[0];
      if (ends !== undefined && ends < context.today)
        lapsed.push(`${nameOf(context, person.id)} (expired ${ends})`);
      else covered.push(record);
    }
    const counted = `${label}: ${covered.length} of ${developers.length} developers`;
    if (missing.length === 0 && lapsed.length === 0)
      return outcome('pass', `${counted} in date`, evidenceOf(covered));
    const parts = [counted];
    if (missing.length > 0) parts.push(`missing: ${listNames(missing)}`);
    if (lapsed.length > 0) parts.push(`expired: ${listNames(lapsed)}`);
    return outcome('fail', parts.join('; '), evidenceOf(covered), {
      remediation: `Have every developer complete ${label} and record it (shipguard records add training or records import training).`,
    });
  };
}

function currentPolicyVersion(context: Context, policy: string): SourcedRecord | undefined {
  return of(context, 'policy-version')
    .filter((record) => data<{ policy: string }>(record).policy === policy)
    .sort((a, b) =>
      data<{ approved: string }>(a).approved.localeCompare(data<{ approved: string }>(b).approved),
    )
    .at(-1);
}

function acknowledgementRule(policy: string, scope: (person: Person) => boolean, who: string): Rule {
  return (_control, context) => {
    const version = currentPolicyVersion(context, policy);
    if (!version) return undefined;
    const { version: label, acknowledgeBy } = data<{ version: string; acknowledgeBy: string }>(version);
    const people = [...context.people.values()].filter(
      (person) => isActiveOn(person, context.today) && scope(person),
    );
    if (people.length === 0)
      return outcome(
        'unknown',
        `no ${who} on the roster to hold ${policy} ${label}`,
        [recordEvidence(version)],
        { howToProvide: 'Import the roster (shipguard people import roster.csv).' },
      );
    const acknowledged = new Map<string, SourcedRecord>();
    for (const record of of(context, 'policy-acknowledgement')) {
      const ack = data<{ person: string; policy: string; version: string }>(record);
      if (ack.policy === policy && ack.version === label && record.document.performedBy === ack.person)
        acknowledged.set(ack.person, record);
    }
    const overdue: string[] = [];
    const pending: string[] = [];
    for (const person of people) {
      if (acknowledged.has(person.id)) continue;
      const due = [acknowledgeBy, addDays(person.start, 30)].sort().at(-1) ?? acknowledgeBy;
      if (due < context.today) overdue.push(`${nameOf(context, person.id)} (overdue since ${due})`);
      else pending.push(`${nameOf(context, person.id)} (due ${due})`);
    }
    const done = people.length - overdue.length - pending.length;
    const counted = `${policy} policy ${label}: acknowledged by ${done} of ${people.length} ${who}`;
    const evidence = [recordEvidence(version), ...evidenceOf([...acknowledged.values()])];
    if (overdue.length > 0) {
      return outcome('fail', `${counted}; missing: ${listNames(overdue)}`, evidence, {
        remediation: `Ask each person named to acknowledge ${policy} ${label}, and record it (shipguard records add policy-acknowledgement).`,
      });
    }
    if (pending.length > 0)
      return outcome('pass', `${counted}; campaign open: ${listNames(pending)}`, evidence);
    return outcome('pass', counted, evidence);
  };
}

const policyApproval: Rule = (_control, context) => {
  const version = currentPolicyVersion(context, mainPolicy);
  if (!version) return undefined;
  const approved = data<{ version: string; approved: string }>(version);
  return outcome(
    'pass',
    `${mainPolicy} policy ${approved.version} approved ${approved.approved} by ${nameOf(context, version.signer)}`,
    [recordEvidence(version)],
  );
};

function freshnessRule(
  kind: string,
  what: string,
  filter: (record: SourcedRecord) => boolean = () => true,
  nextDue?: (record: SourcedRecord) => string | undefined,
): Rule {
  return (control, context) => {
    const records = of(context, kind).filter(filter);
    const latest = records.at(-1);
    if (!latest) return undefined;
    const cadence = control.assessment.cadenceDays ?? kindOf(kind).defaultCadenceDays;
    const due =
      nextDue?.(latest) ?? (cadence === undefined ? undefined : addDays(latest.document.effective, cadence));
    if (due !== undefined && due < context.today) {
      return outcome(
        'fail',
        `${what}: last ${latest.document.effective}; overdue since ${due}`,
        [recordEvidence(latest)],
        {
          remediation: `Carry out the ${what} again and record it (shipguard records add ${kind}).`,
        },
      );
    }
    return outcome('pass', `${what}: last ${latest.document.effective}${due ? `, next due ${due}` : ''}`, [
      recordEvidence(latest),
    ]);
  };
}

interface PenTestData {
  engagement: string;
  tester: string;
  independence: string;
  ended: string;
  scope: string[];
  findings: { id: string; severity: string; title: string }[];
  presentedToCto?: string;
}

const penTestCadence: Rule = (control, context) => {
  const tests = of(context, 'pen-test').sort((a, b) =>
    data<PenTestData>(a).ended.localeCompare(data<PenTestData>(b).ended),
  );
  const latest = tests.at(-1);
  if (!latest) return undefined;
  const test = data<PenTestData>(latest);
  const problems: string[] = [];
  const cadence = control.assessment.cadenceDays ?? 182;
  const due = addDays(test.ended, cadence);
  if (due < context.today)
    problems.push(`the last test (${test.engagement}, ended ${test.ended}) is overdue since ${due}`);
  const lacking = requiredPenTestScope.filter((area) => !test.scope.includes(area));
  if (lacking.length > 0) problems.push(`${test.engagement} scope lacks ${lacking.join(', ')}`);
  if (test.independence === 'internal')
    problems.push(`${test.engagement} was not carried out by an independent tester`);
  if (test.presentedToCto === undefined) problems.push(`${test.engagement} was not presented to the CTO`);
  if (latest.document.evidence.length === 0) problems.push(`${test.engagement} has no report file`);
  const evidence = evidenceOf(tests);
  if (problems.length > 0)
    return outcome('fail', `penetration tests: ${problems.join('; ')}`, evidence, {
      remediation:
        'Commission an independent penetration test covering input validation, user enumeration and hardening, present it to the CTO, and record it.',
    });
  return outcome(
    'pass',
    `penetration tests: ${tests.length} recorded; last ${test.engagement} by ${test.tester} ended ${test.ended}, presented to the CTO ${test.presentedToCto}; next due ${due}`,
    evidence,
  );
};

interface PlanItem {
  id: string;
  findings: string[];
  owner: string;
  due: string;
  status: string;
  closed?: string;
}

const remediationOversight: Rule = (_control, context) => {
  const tests = of(context, 'pen-test');
  if (tests.length === 0) return undefined;
  const plans = latestBySubject(of(context, 'remediation-plan'));
  const oversight = latestBySubject(of(context, 'remediation-oversight'));
  const problems: string[] = [];
  const evidence: Evidence[] = [];
  let openItems = 0;
  for (const record of tests) {
    const test = data<PenTestData>(record);
    const actionable = test.findings.filter((finding) => finding.severity !== 'info');
    if (actionable.length === 0) continue;
    const plan = plans.get(test.engagement);
    if (!plan) {
      problems.push(
        `${test.engagement}: no remediation plan signed by the CTO for ${actionable.length} finding(s)`,
      );
      continue;
    }
    evidence.push(recordEvidence(plan));
    const items = data<{ items: PlanItem[] }>(plan).items;
    const planned = new Set(items.flatMap((item) => item.findings));
    const unplanned = actionable
      .filter((finding) => !planned.has(finding.id))
      .map((finding) => `${finding.id} (${finding.severity})`);
    if (unplanned.length > 0)
      problems.push(`${test.engagement}: findings without a plan item: ${listNames(unplanned)}`);
    for (const item of items) {
      if (item.status === 'closed') continue;
      openItems += 1;
      if (item.due < context.today)
        problems.push(
          `${test.engagement} item ${item.id} (owner ${nameOf(context, item.owner)}) overdue since ${item.due}`,
        );
    }
    const signOff = oversight.get(test.engagement);
    if (!signOff || signOff.document.effective < plan.document.effective)
      problems.push(
        `${test.engagement}: no CTO oversight sign-off since the plan of ${plan.document.effective}`,
      );
    else evidence.push(recordEvidence(signOff));
  }
  if (problems.length > 0)
    return outcome('fail', `remediation: ${problems.join('; ')}`, evidence, {
      remediation:
        "Bring the overdue items to closure (or re-plan them in a new plan version signed by the CTO), and record the CTO's oversight sign-off.",
    });
  return outcome(
    'pass',
    `remediation: every finding of ${tests.length} penetration test(s) is planned by the CTO and overseen; ${openItems} item(s) open, none overdue`,
    evidence,
  );
};

interface ThreatModelData {
  service: string;
  file: { path: string };
  threats: { id: string; mitigations: string[]; tests: string[] }[];
  reviewer: string;
}

const threatModels: Rule = (_control, context) => {
  const models = [...latestBySubject(of(context, 'threat-model')).values()];
  if (models.length === 0) return undefined;
  const problems: string[] = [];
  const unreviewed: string[] = [];
  for (const record of models) {
    const model = data<ThreatModelData>(record);
    const unmitigated = model.threats
      .filter((threat) => threat.mitigations.length === 0)
      .map((threat) => threat.id);
    const untested = model.threats
      .filter((threat) => threat.mitigations.length > 0 && threat.tests.length === 0)
      .map((threat) => threat.id);
    if (unmitigated.length > 0)
      problems.push(`${model.service}: threats without a mitigation: ${listNames(unmitigated)}`);
    if (untested.length > 0)
      problems.push(`${model.service}: mitigations no test checks: ${listNames(untested)}`);
    if (record.changedEvidence && record.changedEvidence.length > 0)
      unreviewed.push(
        `${model.service}: ${record.changedEvidence.join(', ')} changed since it was reviewed on ${record.document.effective}`,
      );
  }
  const services = models.map((record) => data<ThreatModelData>(record).service);
  if (problems.length > 0)
    return outcome('fail', `threat models: ${[...problems, ...unreviewed].join('; ')}`, evidenceOf(models), {
      remediation: 'Mitigate and test every threat, and have the changed model reviewed and signed again.',
    });
  // A model edited after its review is not a missing model: the review no longer covers what is
  // there, so the evidence is too little (unknown), not a failure.
  if (unreviewed.length > 0)
    return outcome('unknown', `threat models: ${unreviewed.join('; ')}`, evidenceOf(models), {
      howToProvide:
        'Review the changed threat model and record the review (shipguard records add threat-model, signed by the reviewer).',
    });
  return outcome(
    'pass',
    `threat models reviewed for ${listNames(services)} (${models.reduce((sum, record) => sum + data<ThreatModelData>(record).threats.length, 0)} threats, each mitigated and tested)`,
    evidenceOf(models),
  );
};

function anyOf(kind: string, what: string, filter: (record: SourcedRecord) => boolean = () => true): Rule {
  return (_control, context) => {
    const records = of(context, kind).filter(filter);
    if (records.length === 0) return undefined;
    return outcome(
      'pass',
      `${records.length} ${what} recorded, last ${records.at(-1)?.document.effective}`,
      evidenceOf(records),
    );
  };
}

const personalDataAssessed: Rule = (_control, context) => {
  const risky = of(context, 'risk-assessment').filter(
    (record) => data<{ personalData: boolean }>(record).personalData,
  );
  const assessed = new Set(
    of(context, 'data-protection-assessment').map((record) => data<{ change: string }>(record).change),
  );
  if (risky.length === 0 && assessed.size === 0) return undefined;
  const missing = risky
    .map((record) => data<{ change: string }>(record).change)
    .filter((change) => !assessed.has(change));
  if (missing.length > 0)
    return outcome(
      'fail',
      `changes touching personal data without a data protection assessment: ${listNames(missing)}`,
      evidenceOf(risky),
      { remediation: 'Record a data protection assessment for each change named.' },
    );
  return outcome(
    'pass',
    `${assessed.size} data protection assessment(s); every change touching personal data has one`,
    evidenceOf(of(context, 'data-protection-assessment')),
  );
};

const deploymentNotices: Rule = (_control, context) => {
  const affecting = of(context, 'data-protection-assessment').filter(
    (record) => data<{ affectsDataSecurity: boolean }>(record).affectsDataSecurity,
  );
  if (affecting.length === 0) return undefined;
  const silent = affecting
    .filter((record) => data<{ notice?: unknown }>(record).notice === undefined)
    .map((record) => data<{ change: string }>(record).change);
  if (silent.length > 0)
    return outcome(
      'fail',
      `deployments affecting data security without a published notice: ${listNames(silent)}`,
      evidenceOf(affecting),
      {
        remediation:
          'Publish a data-impact notice for each change and add it to its data protection assessment.',
      },
    );
  return outcome(
    'pass',
    `${affecting.length} deployment(s) affecting data security, each announced`,
    evidenceOf(affecting),
  );
};

const assetRegister: Rule = (control, context) => {
  const entries = [...latestBySubject(of(context, 'asset')).values()];
  if (entries.length === 0) return undefined;
  const cadence = control.assessment.cadenceDays ?? kindOf('asset').defaultCadenceDays ?? 365;
  const problems: string[] = [];
  for (const record of entries) {
    const entry = data<{ asset: string; owner: string }>(record);
    const owner = context.people.get(entry.owner);
    if (!owner || !isActiveOn(owner, context.today))
      problems.push(`${entry.asset}: owner ${entry.owner} is not an active person on the roster`);
    const due = addDays(record.document.effective, cadence);
    if (due < context.today) problems.push(`${entry.asset}: review overdue since ${due}`);
  }
  if (problems.length > 0)
    return outcome('fail', `asset register: ${problems.join('; ')}`, evidenceOf(entries), {
      remediation: 'Give each asset a current owner and review its entry.',
    });
  return outcome(
    'pass',
    `asset register: ${entries.length} entries, each owned and reviewed`,
    evidenceOf(entries),
  );
};

function accessReviewRule(pattern: RegExp | undefined, what: string): Rule {
  return (control, context) => {
    const reviews = [...latestBySubject(of(context, 'access-review')).values()].filter(
      (record) => pattern === undefined || pattern.test(data<{ system: string }>(record).system),
    );
    if (reviews.length === 0) return undefined;
    const cadence = control.assessment.cadenceDays ?? kindOf('access-review').defaultCadenceDays ?? 182;
    const overdue = reviews
      .filter((record) => addDays(record.document.effective, cadence) < context.today)
      .map(
        (record) =>
          `${data<{ system: string }>(record).system} (overdue since ${addDays(record.document.effective, cadence)})`,
      );
    if (overdue.length > 0)
      return outcome('fail', `access reviews of ${what}: ${listNames(overdue)}`, evidenceOf(reviews), {
        remediation: 'Re-validate access to each system named and record the review.',
      });
    return outcome(
      'pass',
      `access to ${what} re-validated: ${listNames(reviews.map((record) => `${data<{ system: string }>(record).system} on ${record.document.effective}`))}`,
      evidenceOf(reviews),
    );
  };
}

interface SupplierData {
  supplier: string;
  supplierKind: string;
  outcome: string;
  dataAgreement: boolean;
  policyVersionIssued?: string;
  nextReview: string;
}

function supplierRule(
  supplierKind: 'development' | 'cloud',
  aspect: 'requirements' | 'diligence' | 'monitoring',
): Rule {
  return (_control, context) => {
    const reviews = [...latestBySubject(of(context, 'supplier-review')).values()].filter(
      (record) => data<SupplierData>(record).supplierKind === supplierKind,
    );
    const organisations =
      supplierKind === 'development'
        ? [
            ...new Set(
              [...context.people.values()]
                .filter(
                  (person) =>
                    person.engagement === 'third-party' &&
                    isActiveOn(person, context.today) &&
                    person.organisation,
                )
                .map((person) => person.organisation as string),
            ),
          ]
        : [];
    if (reviews.length === 0 && organisations.length === 0) return undefined;
    const reviewed = new Set(reviews.map((record) => data<SupplierData>(record).supplier.toLowerCase()));
    const problems = organisations
      .filter((organisation) => !reviewed.has(organisation.toLowerCase()))
      .map((organisation) => `${organisation}: no due diligence recorded`);
    const current = currentPolicyVersion(context, mainPolicy);
    const currentLabel = current ? data<{ version: string }>(current).version : undefined;
    for (const record of reviews) {
      const review = data<SupplierData>(record);
      if (aspect === 'diligence' && review.outcome === 'rejected')
        problems.push(`${review.supplier}: due diligence rejected them`);
      if (aspect === 'requirements') {
        if (!review.dataAgreement) problems.push(`${review.supplier}: no data agreement`);
        if (currentLabel !== undefined && review.policyVersionIssued !== currentLabel)
          problems.push(
            `${review.supplier}: holds policy ${review.policyVersionIssued ?? '(none)'}, current is ${currentLabel}`,
          );
      }
      if (aspect === 'monitoring' && review.nextReview < context.today)
        problems.push(`${review.supplier}: re-assessment overdue since ${review.nextReview}`);
    }
    const label = supplierKind === 'cloud' ? 'cloud services' : 'development suppliers';
    if (problems.length > 0)
      return outcome('fail', `${label}: ${problems.join('; ')}`, evidenceOf(reviews), {
        remediation:
          'Carry out (or repeat) supplier due diligence for each supplier named and record it (shipguard records add supplier-review).',
      });
    return outcome(
      'pass',
      `${label}: ${listNames(reviews.map((record) => data<SupplierData>(record).supplier))} assessed, next reviews in date`,
      evidenceOf(reviews),
    );
  };
}

const externalCertificates: Rule = (_control, context) => {
  const external = of(context, 'training').filter(
    (record) => data<{ trainingKind: string }>(record).trainingKind === 'external',
  );
  if (external.length === 0) return undefined;
  const bare = external
    .filter((record) => record.document.evidence.length === 0)
    .map(
      (record) =>
        `${nameOf(context, data<{ person: string }>(record).person)}: ${data<{ course: string }>(record).course}`,
    );
  if (bare.length > 0)
    return outcome(
      'fail',
      `external training without a certificate: ${listNames(bare)}`,
      evidenceOf(external),
      { remediation: 'Attach each certificate (records add training --evidence certificate.pdf).' },
    );
  return outcome(
    'pass',
    `${external.length} external training record(s), each with its certificate`,
    evidenceOf(external),
  );
};

const backupTests: Rule = (control, context) => {
  const tests = of(context, 'backup-restore-test');
  const latest = tests.at(-1);
  if (!latest) return undefined;
  if (!data<{ succeeded: boolean }>(latest).succeeded)
    return outcome(
      'fail',
      `the last restore test (${latest.document.effective}) failed`,
      [recordEvidence(latest)],
      { remediation: 'Fix the backup and test the restore again.' },
    );
  return freshnessRule('backup-restore-test', 'backup restore test')(control, context);
};

/** Controls with their own rule; every other control a signed security review or attestation may name. */
const rules: Readonly<Record<string, Rule>> = {
  'GOV-01': policyApproval,
  'GOV-04': acknowledgementRule(
    mainPolicy,
    (person) => isDeveloper(person) && person.engagement === 'employee',
    'employees in a development role',
  ),
  'GOV-05': acknowledgementRule(
    mainPolicy,
    (person) => person.engagement !== 'employee',
    'contractors and third parties',
  ),
  'GOV-07': freshnessRule(
    'management-review',
    'management review',
    () => true,
    (record) => data<{ nextDue: string }>(record).nextDue,
  ),
  'AWR-01': trainingRule('annual-awareness', 'annual security awareness training'),
  'AWR-02': trainingRule('secure-coding', 'secure coding training'),
  'AWR-03': externalCertificates,
  'AWR-05': freshnessRule('alert-triage', 'security alert triage'),
  'AWR-06': acknowledgementRule(dataHandlingPolicy, isDeveloper, 'developers'),
  'REQ-02': anyOf('data-protection-assessment', 'data protection assessment(s)'),
  'REQ-03': assetRegister,
  'REQ-05': anyOf(
    'risk-assessment',
    'risk assessment(s) of changes',
    (record) => !data<{ change: string }>(record).change.startsWith('library:'),
  ),
  'REQ-06': personalDataAssessed,
  'DES-02': threatModels,
  'DES-04': anyOf(
    'data-protection-assessment',
    'data protection assessment(s) covering minimisation',
    (record) => data<{ minimised: boolean }>(record).minimised,
  ),
  'DES-07': accessReviewRule(undefined, 'systems'),
  'DES-16': anyOf('data-protection-assessment', 'data protection assessment(s) covering retention'),
  'DEV-06': backupTests,
  'DEV-07': freshnessRule('escrow', 'source code escrow deposit'),
  'SCM-02': accessReviewRule(/source|repo|code/i, 'source code'),
  'SUP-09': anyOf('risk-assessment', 'library risk assessment(s)', (record) =>
    data<{ change: string }>(record).change.startsWith('library:'),
  ),
  'TST-04': penTestCadence,
  'TST-05': remediationOversight,
  'DEP-03': accessReviewRule(/deploy|production/i, 'deployment and production'),
  'DEP-05': deploymentNotices,
  'OUT-01': supplierRule('development', 'requirements'),
  'OUT-03': supplierRule('development', 'diligence'),
  'OUT-04': supplierRule('development', 'monitoring'),
  'OUT-05': supplierRule('cloud', 'monitoring'),
};

/** The controls that have a rule of their own (for docs and tests). */
export const controlsWithRecordRules: readonly string[] = Object.keys(rules);

interface NamedControlsData {
  controls: string[];
  outcome?: string;
}

/** A signed security review or attestation that names the control, within its cadence. */
function namedByReview(control: Control, context: Context): RecordControlOutcome | undefined {
  const naming = [...of(context, 'security-review'), ...of(context, 'attestation')].filter((record) =>
    data<NamedControlsData>(record).controls.includes(control.id),
  );
  const latest = naming.at(-1);
  if (!latest) return undefined;
  const cadence = control.assessment.cadenceDays ?? kindOf(latest.document.kind).defaultCadenceDays ?? 365;
  const due = addDays(latest.document.effective, cadence);
  const what = latest.document.kind === 'attestation' ? 'signed attestation' : 'security review';
  if (due < context.today)
    return outcome(
      'fail',
      `${what} ${latest.document.id} of ${latest.document.effective} is overdue since ${due}`,
      [recordEvidence(latest)],
      { remediation: `Review ${control.id} again and record it.` },
    );
  if (data<NamedControlsData>(latest).outcome === 'not-met')
    return outcome(
      'fail',
      `${what} ${latest.document.id} found ${control.id} not met`,
      [recordEvidence(latest)],
      { remediation: 'Carry out the review actions and review again.' },
    );
  return outcome(
    'pass',
    `${what} ${latest.document.id} by ${nameOf(context, latest.signer)} on ${latest.document.effective} (performed by ${latest.document.performedBy}); next due ${due}`,
    [recordEvidence(latest)],
  );
}

/**
 * One outcome per control that the records speak to. Controls with no relevant record are left
 * out, so the caller falls back to `attestations:` (declared) or unknown.
 */
export function evaluateRecordControls(
  catalog: Catalog,
  set: RecordSet,
  now: Date,
): Map<string, RecordControlOutcome> {
  const context = buildContext(set, now);
  const outcomes = new Map<string, RecordControlOutcome>();
  for (const control of catalog.controls) {
    const rule = rules[control.id];
    const result = (rule ? rule(control, context) : undefined) ?? namedByReview(control, context);
    if (result) outcomes.set(control.id, result);
  }
  return outcomes;
}

/** Records that were verified but do not count, with why (shown as assessment problems). */
export function refusedRecords(set: RecordSet, now: Date): { source: string; reason: string }[] {
  return buildContext(set, now).refused.map(({ record, reason }) => ({
    source: record.source,
    reason: `${record.document.kind} ${record.document.id}: ${reason}`,
  }));
}

export type { RecordDocument };
