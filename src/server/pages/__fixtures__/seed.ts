/**
 * A realistic dataset for the pages' tests and screenshots, built by the domains' own functions:
 * assessments of several repositories over time (statuses drawn from the real catalog, improving
 * over the period), the records company (roster, signed training, policy versions and
 * acknowledgements, two pen tests, one with the CTO's plan and an overdue item), change requests
 * through their transitions, gate decisions on the ledger, and a signed checkpoint.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { loadCatalog } from '../../../catalog/index.js';
import {
  approveChange,
  type ChangeRecord,
  createChange,
  implementChange,
  recordChange,
  saveDecisionRow,
} from '../../../changes/index.js';
import type { Assessment, ControlResult, ControlStatus, EvidenceLevel } from '../../../kernel/index.js';
import { appendToLedger, createCheckpoint } from '../../../ledger/index.js';
import { ChangeSettings } from '../../../policy/index.js';
import { add, createCompany, daysAgo, enrol, now, signPenTest } from '../../../records/__fixtures__/company.js';
import { describeEvidence, recordsFromCsv, sha256Hex, signRecord } from '../../../records/index.js';
import type { Store } from '../../../store/index.js';

export { now };

export const seedRepositories = [
  { name: 'payments-api', quality: 0.62 },
  { name: 'web-checkout', quality: 0.74 },
  { name: 'identity-service', quality: 0.82 },
  { name: 'mobile-backend', quality: 0.55 },
  { name: 'data-pipeline', quality: 0.68 },
  { name: 'admin-portal', quality: 0.48 },
  { name: 'infra-terraform', quality: 0.78 },
  { name: 'notification-service', quality: 0.7 },
] as const;

export const repositoryRoot = (name: string) => `/srv/git/acme/${name}`;

/** A number in [0, 1) from a label: the same label, the same number (no clock, no Math.random). */
function unit(label: string): number {
  return createHash('sha256').update(label).digest().readUInt32BE(0) / 2 ** 32;
}

const recordAreas = new Set(['people', 'governance', 'assurance']);
const findingPaths = ['src/server/routes.ts', 'package-lock.json', '.github/workflows/deploy.yml', 'config/settings.py', 'Dockerfile'];

function controlResult(
  control: ReturnType<typeof loadCatalog>['controls'][number],
  repository: string,
  day: number,
  progress: number,
  quality: number,
): ControlResult {
  const draw = unit(`${repository}/${control.id}/${Math.floor(day / 9)}`);
  const passShare = Math.min(0.95, quality + 0.18 * progress);
  const status: ControlStatus =
    unit(`${control.id}/applies/${repository}`) < 0.06
      ? 'not-applicable'
      : draw < passShare
        ? 'pass'
        : draw < passShare + 0.07
          ? 'partial'
          : draw < passShare + 0.13
            ? 'unknown'
            : 'fail';
  const level: EvidenceLevel = recordAreas.has(control.area) ? 'signed' : draw < 0.15 ? 'declared' : 'verified';
  const path = findingPaths[Math.floor(unit(`${repository}/${control.id}/path`) * findingPaths.length)] as string;
  const line = 1 + Math.floor(unit(`${repository}/${control.id}/line`) * 240);
  const findings =
    status === 'fail' || status === 'partial'
      ? [
          {
            checkId: `${control.id.toLowerCase()}/check`,
            severity: control.severity,
            message: `${control.title}: not met in ${path}`,
            location: { path, line },
            remediation: `Bring ${path} in line with ${control.id}.`,
            fingerprint: sha256Hex(`${repository}/${control.id}`).slice(0, 32),
          },
        ]
      : [];
  const evidence =
    status === 'not-applicable'
      ? []
      : status === 'unknown'
        ? []
        : [{ kind: 'file' as const, path, ...(status === 'pass' ? {} : { line }), level }];
  return {
    controlId: control.id,
    title: control.title,
    area: control.area,
    severity: control.severity,
    status,
    summary:
      status === 'pass'
        ? `${control.title}: evidence found.`
        : status === 'unknown'
          ? 'No evidence could be read.'
          : status === 'not-applicable'
            ? 'Does not apply to this repository.'
            : `${control.title}: gaps found.`,
    evidence,
    findings,
    checks: [],
    ...(status === 'unknown' ? { howToProvide: `Record a ${control.area} record or add the file the check reads.` } : {}),
    ...(status === 'fail' || status === 'partial' ? { remediation: `Fix ${control.id} in ${path}.` } : {}),
    ...(status === 'unknown' || status === 'not-applicable' ? {} : { evidenceLevel: level }),
    requiredLevel: recordAreas.has(control.area) ? 'signed' : 'verified',
  };
}

/** `count` assessments of one repository, every `everyDays` days up to `now`. */
export function assessmentsOf(name: string, quality: number, count: number, everyDays: number): Assessment[] {
  const catalog = loadCatalog();
  const repository = repositoryRoot(name);
  const assessments: Assessment[] = [];
  for (let step = 0; step < count; step += 1) {
    const day = (count - 1 - step) * everyDays;
    const started = new Date(now.getTime() - day * 86_400_000 - 3_600_000);
    const controls = catalog.controls.map((control) =>
      controlResult(control, repository, step * everyDays, count <= 1 ? 1 : step / (count - 1), quality),
    );
    if (name === 'payments-api' && step === count - 1) {
      const target = controls.find((control) => control.status === 'fail');
      if (target)
        target.exception = {
          reason: 'Legacy card tokeniser is replaced in Q1; compensating WAF rule in place.',
          owner: 'Margaret Hamilton',
          approver: 'Grace Hopper',
          expires: daysAgo(-9),
        };
    }
    if (name === 'admin-portal' && step === count - 1) {
      const target = controls.find((control) => control.status === 'partial');
      if (target)
        target.exception = {
          reason: 'Internal-only tool behind the VPN; review at the next quarter.',
          owner: 'Ken Thompson',
          approver: 'Grace Hopper',
          expires: daysAgo(-64),
        };
    }
    const summary = { fail: 0, partial: 0, unknown: 0, pass: 0, 'not-applicable': 0 };
    for (const control of controls) summary[control.status] += 1;
    const commit = sha256Hex(`${name}/${step}`).slice(0, 40);
    assessments.push({
      schemaVersion: 1,
      tool: { name: 'shipguard', version: '0.1.0' },
      id: `${name}-${String(step).padStart(4, '0')}`,
      startedAt: started.toISOString(),
      finishedAt: new Date(started.getTime() + 4200).toISOString(),
      subject: { path: repository, isGitRepository: true, commit, branch: 'main', shallow: false, dirty: false },
      catalogVersion: catalog.version,
      period: { from: daysAgo(365 + day), to: daysAgo(day), source: 'default' },
      summary,
      controls,
      problems:
        name === 'mobile-backend'
          ? [{ severity: 'warning', code: 'DATA_STALE', message: 'the advisory database is 9 days old (limit 7)' }]
          : [],
    });
  }
  return assessments;
}

export interface SeedOptions {
  /** Repositories (from `seedRepositories`), default all. */
  repositories?: number;
  /** Assessments per repository, default 30 (every 3 days). */
  assessments?: number;
}

export interface Seeded {
  company: ReturnType<typeof createCompany>;
  changes: ChangeRecord[];
  settings: ChangeSettings;
}

const lmsRows = (people: readonly string[]) =>
  [
    'person,course,course_version,kind,completed,expires',
    ...people.flatMap((person, index) => {
      if (person === 'zoe') return [];
      if (person === 'dennis') return [`dennis,Security Awareness,2025,Annual awareness,${daysAgo(400)},${daysAgo(35)}`];
      const rows = [`${person},Security Awareness,2026,Annual awareness,${daysAgo(100 + index)},${daysAgo(-265 + index * 20)}`];
      if (index % 3 !== 2) rows.push(`${person},Secure Coding for Web,3,Secure coding,${daysAgo(80 + index)},`);
      return rows;
    }),
  ].join('\r\n');

export const developers = ['ada', 'alan', 'barbara', 'ken', 'dennis', 'margaret', 'radia', 'katherine', 'edsger', 'zoe', 'linus', 'guido', 'tim'];

export async function seedDataset(store: Store, options: SeedOptions = {}): Promise<Seeded> {
  for (const repository of seedRepositories.slice(0, options.repositories ?? seedRepositories.length)) {
    for (const assessment of assessmentsOf(repository.name, repository.quality, options.assessments ?? 30, 3))
      await store.saveAssessment(assessment, { repository: repositoryRoot(repository.name) });
  }

  const company = createCompany();
  await enrol(store, company);
  const training = recordsFromCsv('training', lmsRows(developers), 'lms.csv', { now });
  await add(store, await Promise.all(training.map((document) => signRecord(document, company.keys.hr.signer))));
  const policy = (version: string, approved: string, acknowledgeBy: string) =>
    company.sign('cto', 'policy-version', {
      effective: approved,
      performedBy: 'cto',
      data: { policy: 'secure-development', version, textSha256: sha256Hex(version), approved, acknowledgeBy },
    });
  const acks = await Promise.all(
    developers
      .filter((person) => person !== 'guido' && person !== 'tim')
      .map((person) =>
        company.sign('hr', 'policy-acknowledgement', {
          effective: daysAgo(45),
          performedBy: person,
          data: { person, policy: 'secure-development', version: 'v2', acknowledged: daysAgo(45) },
        }),
      ),
  );
  await add(store, [await policy('v1', daysAgo(400), daysAgo(370)), await policy('v2', daysAgo(60), daysAgo(30)), ...acks]);

  const report = describeEvidence('PT-2026-2-report.pdf', Buffer.from('%PDF-1.7 pen test report'), 'application/pdf');
  const firstReport = describeEvidence('PT-2026-1-report.pdf', Buffer.from('%PDF-1.7 first report'), 'application/pdf');
  await add(
    store,
    [
      await signPenTest(company, {
        engagement: 'PT-2026-1',
        started: daysAgo(210),
        ended: daysAgo(200),
        report: firstReport,
        findings: [
          { id: 'F-1', title: 'SQL injection in order search', severity: 'high' },
          { id: 'F-2', title: 'Verbose stack traces on errors', severity: 'medium' },
          { id: 'F-3', title: 'Session cookie without SameSite', severity: 'medium' },
        ],
      }),
      await signPenTest(company, {
        engagement: 'PT-2026-2',
        started: daysAgo(50),
        ended: daysAgo(40),
        report,
        findings: [
          { id: 'F-1', title: 'User enumeration on login', severity: 'critical' },
          { id: 'F-2', title: 'Missing HSTS on the admin host', severity: 'low' },
        ],
      }),
    ],
    [report, firstReport],
  );
  await add(store, [
    await company.sign('cto', 'remediation-plan', {
      effective: daysAgo(190),
      performedBy: 'cto',
      data: {
        engagement: 'PT-2026-1',
        items: [
          { id: 'R-1', findings: ['F-1'], action: 'Parameterise every query of the search service', owner: 'alan', due: daysAgo(160), status: 'closed', closed: daysAgo(170) },
          { id: 'R-2', findings: ['F-2'], action: 'Generic error pages; details to the log only', owner: 'barbara', due: daysAgo(150), status: 'closed', closed: daysAgo(155) },
          { id: 'R-3', findings: ['F-3'], action: 'SameSite=Lax and __Host- prefix on the session cookie', owner: 'ken', due: daysAgo(12), status: 'in-progress' },
        ],
      },
    }),
  ]);

  const settings = ChangeSettings.parse({});
  const changes: ChangeRecord[] = [];
  const at = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const make = async (id: string, title: string, author: string, days: number, className: ChangeRecord['class'] = 'normal') => {
    const change = createChange(
      { id, class: className, title, author, commits: [sha256Hex(id).slice(0, 40)], commitAuthors: [`${author} <${author.split(' ')[0]?.toLowerCase()}@example.com>`], environments: ['production'] },
      settings,
      at(days),
    );
    await recordChange(store, change, 'created', author, at(days));
    return change;
  };
  const approve = async (change: ChangeRecord, by: string, days: number) => {
    const next = approveChange(change, by, settings, at(days));
    await recordChange(store, next, 'approved', by, at(days));
    return next;
  };
  const implement = async (change: ChangeRecord, by: string, days: number) => {
    const next = implementChange(change, by, settings, at(days));
    await recordChange(store, next, 'implemented', by, at(days));
    return next;
  };
  changes.push(await implement(await approve(await make('CHG-2041', 'Rotate the payment provider API keys', 'Ada Lovelace', 9), 'Grace Hopper', 8), 'Ken Thompson', 7));
  changes.push(await approve(await make('CHG-2042', 'Enable WAF rule set v4 on the checkout', 'Radia Perlman', 4), 'Alan Turing', 3));
  changes.push(await make('CHG-2043', 'Upgrade the identity service to Node 24', 'Barbara Liskov', 2));
  changes.push(await make('CHG-2044', 'Hotfix: block user enumeration on login', 'Ken Thompson', 1, 'emergency'));
  changes.push(await make('CHG-2045', 'Move audit logs to the new retention bucket', 'Margaret Hamilton', 0));

  const decisions: Array<{ environment: string; result: 'allow' | 'deny'; days: number; failing?: string }> = [
    { environment: 'production', result: 'allow', days: 7 },
    { environment: 'staging', result: 'allow', days: 5 },
    { environment: 'production', result: 'deny', days: 3, failing: 'change' },
    { environment: 'production', result: 'deny', days: 2, failing: 'vulnerabilities' },
    { environment: 'staging', result: 'allow', days: 1 },
    { environment: 'production', result: 'allow', days: 0 },
  ];
  for (const [index, decision] of decisions.entries()) {
    const artifact = `sha256:${sha256Hex(`artifact-${index}`)}`;
    const id = `GD-${String(index + 1).padStart(4, '0')}`;
    const document = {
      result: decision.result,
      environment: decision.environment,
      at: at(decision.days).toISOString(),
      deployer: 'ci@github.com/acme/payments-api',
      policy: 'refs/heads/main',
      rules: ['provenance', 'secrets', 'vulnerabilities', 'change', 'freeze'].map((rule) => ({
        id: rule,
        outcome: rule === decision.failing ? 'fail' : 'pass',
        reason: rule === decision.failing ? (rule === 'change' ? 'no approved change names this artefact' : 'CVE-2026-1234 (critical) has a fix') : 'ok',
      })),
      overrides: [],
    };
    const appended = await appendToLedger(store, { type: 'gate.decided', data: { id, artifact, document } });
    await saveDecisionRow(store, { id, environment: decision.environment, artifact, result: decision.result, decidedAt: document.at, ledgerIndex: appended.firstIndex, document });
  }
  const ledgerKey = generateKeyPairSync('ed25519');
  await createCheckpoint(store, 'shipguard.acme.example/ledger', { name: 'shipguard.acme.example/ledger', privateKey: ledgerKey.privateKey });
  return { company, changes, settings };
}
