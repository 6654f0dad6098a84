/**
 * The scenario: a company of 15 (contractors and a third party among them), an LMS export
 * with one expired and one missing training, two pen tests (one with an overdue remediation item),
 * a policy v2 one contractor has not acknowledged, a threat model, a supplier review past due.
 * The controls must come out exactly as the records say, naming people and items.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/index.js';
import { type AnyCollector, collectors } from '../collectors/index.js';
import { assess } from '../engine/index.js';
import type { ControlResult } from '../kernel/index.js';
import { RepositorySnapshot } from '../kernel/index.js';
import { verifyLedger } from '../ledger/index.js';
import { verifyPeople } from '../people/index.js';
import { defaultLoadedPolicy } from '../policy/index.js';
import { openStore, type Store } from '../store/index.js';
import { describeOnEveryStore, type StoreBackend } from '../testing/store-backends.js';
import {
  add,
  type Company,
  createCompany,
  daysAgo,
  enrol,
  now,
  type PenTest,
  signPenTest,
} from './__fixtures__/company.js';
import { sha256Hex } from './document.js';
import { gatherRecords } from './gather.js';
import { recordsFromCsv } from './import-csv.js';
import { signRecord } from './signing.js';
import { describeEvidence, verifyRecords } from './store.js';

const developers = [
  'ada',
  'alan',
  'barbara',
  'ken',
  'dennis',
  'margaret',
  'radia',
  'katherine',
  'edsger',
  'zoe',
  'linus',
  'guido',
  'tim',
];

function lmsExport(): string {
  const rows = ['person,course,course_version,kind,completed,expires'];
  for (const person of developers) {
    if (person === 'zoe') continue; // missing
    if (person === 'dennis')
      rows.push(`dennis,Security Awareness,2025,Annual awareness,${daysAgo(400)},${daysAgo(35)}`);
    else rows.push(`${person},Security Awareness,2026,Annual awareness,${daysAgo(100)},${daysAgo(-265)}`);
  }
  return rows.join('\r\n');
}

/** The two items of PT-2026-1's first remediation plan, both closed. */
const closedR1 = {
  id: 'R-1',
  findings: ['F-1'],
  action: 'Parameterise queries',
  owner: 'alan',
  due: daysAgo(160),
  status: 'closed',
  closed: daysAgo(170),
};
const closedR2 = {
  id: 'R-2',
  findings: ['F-2'],
  action: 'Generic error pages',
  owner: 'barbara',
  due: daysAgo(150),
  status: 'closed',
  closed: daysAgo(155),
};

const threatModelFile = Buffer.from('threat_model:\n  title: Payments API\n  risks: [spoofing, tampering]\n');

async function buildCompany(store: Store, company: Company): Promise<void> {
  await enrol(store, company);
  const training = recordsFromCsv('training', lmsExport(), 'lms.csv', { now });
  await add(
    store,
    await Promise.all(training.map((document) => signRecord(document, company.keys.hr.signer))),
  );

  const policy = (version: string, approved: string, acknowledgeBy: string) =>
    company.sign('cto', 'policy-version', {
      effective: approved,
      performedBy: 'cto',
      data: {
        policy: 'secure-development',
        version,
        textSha256: sha256Hex(version),
        approved,
        acknowledgeBy,
      },
    });
  const acks = await Promise.all(
    developers
      .filter((person) => person !== 'guido')
      .map((person) =>
        company.sign('hr', 'policy-acknowledgement', {
          effective: daysAgo(45),
          performedBy: person,
          data: { person, policy: 'secure-development', version: 'v2', acknowledged: daysAgo(45) },
        }),
      ),
  );
  await add(store, [
    await policy('v1', daysAgo(400), daysAgo(370)),
    await policy('v2', daysAgo(60), daysAgo(30)),
    ...acks,
  ]);

  const report = describeEvidence('report.pdf', Buffer.from('%PDF-1.7 pen test report'), 'application/pdf');
  const penTest = (engagement: string, ended: string, findings: PenTest['findings']) =>
    signPenTest(company, { engagement, started: ended, ended, report, findings });
  await add(
    store,
    [
      await penTest('PT-2026-1', daysAgo(200), [
        { id: 'F-1', title: 'SQL injection in search', severity: 'high' },
        { id: 'F-2', title: 'Verbose errors', severity: 'medium' },
      ]),
      await penTest('PT-2026-2', daysAgo(40), [
        { id: 'F-1', title: 'User enumeration on login', severity: 'critical' },
        { id: 'F-2', title: 'Missing HSTS', severity: 'low' },
      ]),
    ],
    [report],
  );
  await add(store, [
    await company.sign('cto', 'remediation-plan', {
      id: 'plan-PT-2026-1-a',
      effective: daysAgo(190),
      performedBy: 'cto',
      data: {
        engagement: 'PT-2026-1',
        items: [closedR1, closedR2],
      },
    }),
    await company.sign('cto', 'remediation-plan', {
      id: 'plan-PT-2026-2-a',
      effective: daysAgo(35),
      performedBy: 'cto',
      data: {
        engagement: 'PT-2026-2',
        items: [
          {
            id: 'R-1',
            findings: ['F-1'],
            action: 'Uniform login responses',
            owner: 'ken',
            due: daysAgo(10),
            status: 'in-progress',
          },
          {
            id: 'R-2',
            findings: ['F-2'],
            action: 'Enable HSTS',
            owner: 'radia',
            due: daysAgo(-30),
            status: 'open',
          },
        ],
      },
    }),
  ]);
  await add(store, [
    await company.sign('cto', 'remediation-oversight', {
      effective: daysAgo(150),
      performedBy: 'cto',
      data: { engagement: 'PT-2026-1', plan: 'plan-PT-2026-1-a', conclusion: 'complete' },
    }),
    await company.sign('cto', 'remediation-oversight', {
      effective: daysAgo(20),
      performedBy: 'cto',
      data: { engagement: 'PT-2026-2', plan: 'plan-PT-2026-2-a', conclusion: 'on-track' },
    }),
  ]);

  const model = describeEvidence('threat-model.yaml', threatModelFile, 'application/yaml');
  await add(
    store,
    [
      await company.sign(
        'katherine',
        'threat-model',
        {
          effective: daysAgo(90),
          performedBy: 'alan',
          data: {
            service: 'payments-api',
            method: 'stride',
            format: 'threagile',
            file: { path: 'threat-model.yaml', sha256: model.sha256 },
            threats: [
              {
                id: 'T-1',
                title: 'Spoofed API client',
                mitigations: ['mutual TLS'],
                tests: ['test/mtls.test.ts'],
              },
              {
                id: 'T-2',
                title: 'Tampered amounts',
                mitigations: ['signed requests'],
                tests: ['test/signing.test.ts'],
              },
            ],
            reviewer: 'katherine',
          },
        },
        [
          {
            name: model.name,
            sha256: model.sha256,
            size: model.size,
            mediaType: model.mediaType,
            path: 'threat-model.yaml',
          },
        ],
      ),
    ],
    [model],
  );

  const supplier = (name: string, nextReview: string) =>
    company.sign('cto', 'supplier-review', {
      effective: daysAgo(370),
      performedBy: 'katherine',
      data: {
        supplier: name,
        service: 'outsourced development',
        supplierKind: 'development',
        outcome: 'approved',
        dataAgreement: true,
        securityControls: 'ISO 27001 certified',
        policyVersionIssued: 'v2',
        nextReview,
      },
    });
  await add(store, [await supplier('Devshop', daysAgo(5)), await supplier('TestCo', daysAgo(-100))]);
}

async function assessWith(store: Store): Promise<Map<string, ControlResult>> {
  const folder = mkdtempSync(join(tmpdir(), 'shipguard-scenario-'));
  try {
    // The company keeps its threat model in the repository too (DES-02 also checks for it there).
    mkdirSync(join(folder, 'docs'));
    writeFileSync(
      join(folder, 'docs', 'threat-model.md'),
      [
        '# Payments API threat model',
        '',
        'Components: the API, its PostgreSQL database and the card processor. Data flows from the',
        'browser over TLS to the API, and from the API to the processor.',
        '',
        '| threat | rating | mitigation | test |',
        '|---|---|---|---|',
        '| spoofing: an attacker replays a session | high | sessions bound and rotated at login | session.test |',
        '| tampering: an attacker edits an amount in transit | high | signed requests, server-side totals | totals.test |',
      ].join('\n'),
    );
    const catalog = loadCatalog();
    const records = await gatherRecords({ catalog, repositoryRoot: folder, store, now });
    const assessment = await assess({
      repository: await RepositorySnapshot.open(folder),
      catalog,
      // The threat-model collector reads the repository's side of DES-02; records give the rest.
      collectors: { 'threat-model': collectors['threat-model'] as AnyCollector },
      loadedPolicy: defaultLoadedPolicy(),
      now: () => now,
      records,
    });
    return new Map(assessment.controls.map((control) => [control.controlId, control]));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function scenarioSuite(name: string, backend: StoreBackend): void {
  describe(`the company scenario on ${name}`, () => {
    const opened: Store[] = [];
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });
    async function open(): Promise<Store> {
      const store = await openStore(await backend.createLocation());
      opened.push(store);
      return store;
    }

    it('judges every control exactly as the records say, naming people and items', async () => {
      const store = await open();
      await buildCompany(store, createCompany());
      const controls = await assessWith(store);
      const control = (id: string) => {
        const found = controls.get(id);
        if (!found) throw new Error(`no ${id}`);
        return found;
      };

      expect(control('AWR-01').status).toBe('fail');
      expect(control('AWR-01').summary).toBe(
        `annual security awareness training: 11 of 13 developers; missing: Zoe Quinn (zoe); expired: Dennis Ritchie (dennis) (expired ${daysAgo(35)})`,
      );
      expect(control('GOV-01')).toMatchObject({
        status: 'pass',
        summary: `secure-development policy v2 approved ${daysAgo(60)} by Grace Hopper (cto)`,
      });
      expect(control('GOV-04')).toMatchObject({
        status: 'pass',
        summary: 'secure-development policy v2: acknowledged by 10 of 10 employees in a development role',
      });
      expect(control('GOV-05')).toMatchObject({
        status: 'fail',
        summary: `secure-development policy v2: acknowledged by 2 of 3 contractors and third parties; missing: Guido van Rossum (guido) (overdue since ${daysAgo(30)})`,
      });
      expect(control('TST-04').status).toBe('pass');
      expect(control('TST-04').summary).toContain('last PT-2026-2 by Pentest Partners Ltd');
      expect(control('TST-05')).toMatchObject({
        status: 'fail',
        summary: `remediation: PT-2026-2 item R-1 (owner Ken Thompson (ken)) overdue since ${daysAgo(10)}`,
      });
      expect(control('DES-02')).toMatchObject({ status: 'pass' });
      expect(control('DES-02').summary).toContain('payments-api');
      expect(control('OUT-04')).toMatchObject({
        status: 'fail',
        summary: `development suppliers: Devshop: re-assessment overdue since ${daysAgo(5)}`,
      });
      expect(control('OUT-03').status).toBe('pass');
      expect(control('OUT-01').status).toBe('pass');
      // Records are signed evidence pointing at the store, never a shipguard.yaml line.
      expect(
        control('GOV-05').evidence.every(
          (evidence) => evidence.kind === 'record' && evidence.source.includes('#'),
        ),
      ).toBe(true);
      // Nothing was recorded for these: they stay unknown with how to provide them.
      expect(control('GOV-07').status).toBe('unknown');
      expect(control('GOV-07').howToProvide).toContain('shipguard records add');
    });

    it('catches a record row edited in the database (records verify) and an edited ledger entry (ledger verify)', async () => {
      const store = await open();
      await buildCompany(store, createCompany());
      expect((await verifyRecords(store)).problems).toEqual([]);
      expect(await verifyPeople(store)).toEqual([]);

      await sql`update records set effective = ${daysAgo(1)} where id = ${'plan-PT-2026-2-a'}`.execute(
        store.db,
      );
      expect((await verifyRecords(store)).problems).toEqual([
        'record plan-PT-2026-2-a: column effective differs from the signed record',
      ]);

      const row = await sql<{
        envelope: string;
      }>`select envelope from records where id = ${'plan-PT-2026-1-a'}`.execute(store.db);
      const forged = (row.rows[0]?.envelope ?? '').replace('"sig":"', '"sig":"AAAA');
      await sql`update records set envelope = ${forged} where id = ${'plan-PT-2026-1-a'}`.execute(store.db);
      await sql`delete from people where id = ${'guido'}`.execute(store.db);
      const problems = (await verifyRecords(store)).problems;
      expect(problems).toContain(
        'record plan-PT-2026-1-a differs from its ledger entry ' +
          String(await ledgerIndexOf(store, 'plan-PT-2026-1-a')),
      );
      expect(await verifyPeople(store)).toEqual([
        'person guido is in the ledger but missing from the roster table',
      ]);

      // Rewriting the ledger entry to match the edited row is what `ledger verify` catches.
      expect((await verifyLedger(store)).problem).toBeUndefined();
      const index = await ledgerIndexOf(store, 'plan-PT-2026-2-a');
      await sql`update ledger_entries set entry = replace(entry, ${'"kind":"remediation-plan"'}, ${'"kind":"remediation-plam"'}) where idx = ${index}`.execute(
        store.db,
      );
      expect((await verifyLedger(store)).problem?.code).toBe('LEDGER_TAMPERED');
    });

    it('refuses a plan that reopens a closed item, and accepts its recurrence as a new linked item', async () => {
      const store = await open();
      const company = createCompany();
      await buildCompany(store, company);
      const plan = (id: string, items: unknown[]) =>
        company.sign('cto', 'remediation-plan', {
          id,
          effective: daysAgo(5),
          performedBy: 'cto',
          data: { engagement: 'PT-2026-1', items },
        });
      const { closed: _closed, ...openR1 } = closedR1;
      const reopened = await plan('plan-PT-2026-1-b', [
        { ...openR1, due: daysAgo(-10), status: 'open' },
        closedR2,
      ]);
      await expect(add(store, [reopened])).rejects.toMatchObject({ code: 'RECORD_RULE_BROKEN' });
      const recurrence = await plan('plan-PT-2026-1-c', [
        closedR1,
        closedR2,
        {
          id: 'R-3',
          findings: ['F-1'],
          action: 'Injection came back in export',
          owner: 'alan',
          due: daysAgo(-20),
          status: 'open',
          recurrenceOf: 'R-1',
        },
      ]);
      await add(store, [recurrence]);
      const controls = await assessWith(store);
      // The new plan is newer than the last oversight sign-off of PT-2026-1: the CTO must sign again.
      expect(controls.get('TST-05')?.summary).toContain(
        'PT-2026-1: no CTO oversight sign-off since the plan of',
      );
    });
  });
}

async function ledgerIndexOf(store: Store, id: string): Promise<number> {
  const row = await sql<{
    ledger_index: number | string;
  }>`select ledger_index from records where id = ${id}`.execute(store.db);
  return Number(row.rows[0]?.ledger_index);
}

await describeOnEveryStore('records scenario', scenarioSuite);
