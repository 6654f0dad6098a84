import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/index.js';
import { parseRosterCsv } from '../people/index.js';
import { createCompany, daysAgo, now, rosterCsv } from './__fixtures__/company.js';
import { evaluateRecordControls, refusedRecords, type SourcedRecord } from './evaluate.js';
import { createSignerDirectory, openSignedRecord, type SignedRecord } from './signing.js';

const people = parseRosterCsv(rosterCsv, 'roster.csv');
const company = createCompany();
const directory = createSignerDirectory(
  (['cto', 'hr', 'katherine'] as const).map((person) => ({
    person,
    publicKey: company.keys[person].publicKey,
  })),
);

async function sourced(records: SignedRecord[]): Promise<SourcedRecord[]> {
  return Promise.all(
    records.map(async (record) => ({
      ...(await openSignedRecord(JSON.parse(record.text), directory)),
      source: 'test',
    })),
  );
}

describe('evaluateRecordControls', () => {
  it('does not count a policy version signed by someone without a management role, and says why', async () => {
    const records = await sourced([
      await company.sign('hr', 'policy-version', {
        effective: daysAgo(10),
        performedBy: 'hr',
        data: {
          policy: 'secure-development',
          version: 'v3',
          textSha256: 'a'.repeat(64),
          approved: daysAgo(10),
          acknowledgeBy: daysAgo(-20),
        },
      }),
    ]);
    const set = { people, records };
    expect(evaluateRecordControls(loadCatalog(), set, now).has('GOV-01')).toBe(false);
    expect(refusedRecords(set, now)[0]?.reason).toContain('does not hold the role management or cto');
  });

  it('does not count a threat model its own author signed', async () => {
    const records = await sourced([
      await company.sign('katherine', 'threat-model', {
        effective: daysAgo(10),
        performedBy: 'katherine',
        data: {
          service: 'billing',
          method: 'stride',
          format: 'markdown',
          file: { path: 'docs/billing.md', sha256: 'b'.repeat(64) },
          threats: [{ id: 'T-1', title: 'x', mitigations: ['y'], tests: ['z'] }],
          reviewer: 'katherine',
        },
      }),
    ]);
    const set = { people, records };
    expect(evaluateRecordControls(loadCatalog(), set, now).has('DES-02')).toBe(false);
    expect(refusedRecords(set, now)[0]?.reason).toContain('who also performed it');
  });

  it('fails a pen test that missed a required area or an independent tester, naming both', async () => {
    const records = await sourced([
      await company.sign('katherine', 'pen-test', {
        effective: daysAgo(20),
        performedBy: 'ken',
        data: {
          engagement: 'PT-9',
          tester: 'ken',
          independence: 'internal',
          started: daysAgo(25),
          ended: daysAgo(20),
          scope: ['input-validation'],
          report: 'r.pdf',
          findings: [],
          presentedToCto: daysAgo(19),
        },
      }),
    ]);
    const result = evaluateRecordControls(loadCatalog(), { people, records }, now).get('TST-04');
    expect(result?.status).toBe('fail');
    expect(result?.summary).toBe(
      'penetration tests: PT-9 scope lacks user-enumeration, hardening; PT-9 was not carried out by an independent tester; PT-9 has no report file',
    );
  });

  it('passes a control a signed security review names, and fails it once the review is past its cadence', async () => {
    const review = (effective: string) =>
      company.sign('katherine', 'security-review', {
        effective,
        performedBy: 'alan',
        data: { subject: 'design', controls: ['DES-01'], outcome: 'met', summary: 'reviewed' },
      });
    const fresh = evaluateRecordControls(
      loadCatalog(),
      { people, records: await sourced([await review(daysAgo(30))]) },
      now,
    );
    expect(fresh.get('DES-01')).toMatchObject({ status: 'pass', level: 'signed' });
    const stale = evaluateRecordControls(
      loadCatalog(),
      { people, records: await sourced([await review(daysAgo(400))]) },
      now,
    );
    expect(stale.get('DES-01')?.summary).toContain(`overdue since ${daysAgo(35)}`);
  });
});
