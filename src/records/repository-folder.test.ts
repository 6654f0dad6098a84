import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/index.js';
import { parseRosterCsv } from '../people/index.js';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { createCompany, daysAgo, now, rosterCsv } from './__fixtures__/company.js';
import { buildRecord, sha256Hex } from './document.js';
import { gatherRecords } from './gather.js';
import { signRoster } from './roster-signing.js';

const modelText = 'threat_model:\n  title: Payments API\n';

describe('the records/ folder of a repository', () => {
  let repository: TestRepository | undefined;
  afterEach(() => repository?.remove());

  async function repositoryWithRecords() {
    const company = createCompany();
    const repo = createTestRepository();
    repository = repo;
    const threatModel = await company.sign(
      'katherine',
      'threat-model',
      {
        id: 'tm-payments',
        effective: daysAgo(10),
        performedBy: 'alan',
        data: {
          service: 'payments-api',
          method: 'stride',
          format: 'threagile',
          file: { path: 'docs/threat-model.yaml', sha256: sha256Hex(modelText) },
          threats: [
            { id: 'T-1', title: 'Spoofed client', mitigations: ['mTLS'], tests: ['test/mtls.test.ts'] },
          ],
          reviewer: 'katherine',
        },
      },
      [
        {
          name: 'threat-model.yaml',
          sha256: sha256Hex(modelText),
          size: modelText.length,
          mediaType: 'application/yaml',
          path: 'docs/threat-model.yaml',
        },
      ],
    );
    repo.write({
      'docs/threat-model.yaml': modelText,
      'records/signers/katherine.pub': company.keys.katherine.publicKey,
      'records/signers/hr.pub': company.keys.hr.publicKey,
      'records/roster.json': JSON.stringify(
        await signRoster(parseRosterCsv(rosterCsv, 'roster.csv'), company.keys.hr.signer),
      ),
      'records/threat-model/tm-payments.json': JSON.stringify(threatModel.envelope),
    });
    repo.commit('records');
    return { company, repo };
  }

  it('counts records signed by keys on the protected branch, and checks kept evidence against its hash', async () => {
    const { repo } = await repositoryWithRecords();
    const catalog = loadCatalog();
    const gathered = await gatherRecords({ catalog, repositoryRoot: repo.path, now });
    expect(gathered.problems).toEqual([]);
    expect(gathered.people).toHaveLength(15);
    expect(gathered.outcomes.get('DES-02')).toMatchObject({ status: 'pass', level: 'signed' });

    repo.write({ 'docs/threat-model.yaml': `${modelText}  # edited\n` });
    const changed = await gatherRecords({ catalog, repositoryRoot: repo.path, now });
    expect(changed.outcomes.get('DES-02')).toMatchObject({
      status: 'unknown',
      summary: `threat models: payments-api: docs/threat-model.yaml changed since it was reviewed on ${daysAgo(10)}`,
    });
  });

  it('does not count a record signed with a key that a branch added but the protected branch lacks', async () => {
    const { company, repo } = await repositoryWithRecords();
    repo.git('checkout', '--quiet', '-b', 'feature');
    const forged = await company.sign('cto', 'security-review', {
      id: 'sr-self',
      effective: daysAgo(1),
      performedBy: 'alan',
      data: { subject: 'everything', controls: ['DES-01'], outcome: 'met', summary: 'trust me' },
    });
    repo.write({
      'records/signers/cto.pub': company.keys.cto.publicKey,
      'records/security-review/sr-self.json': JSON.stringify(forged.envelope),
    });
    repo.commit('add my own key and a review');
    const gathered = await gatherRecords({ catalog: loadCatalog(), repositoryRoot: repo.path, now });
    expect(gathered.outcomes.has('DES-01')).toBe(false);
    expect(gathered.problems).toEqual([
      expect.objectContaining({
        code: 'RECORD_NOT_COUNTED',
        location: { path: 'records/security-review/sr-self.json' },
      }),
    ]);
  });

  it('refuses evidence paths that leave the repository before anything is signed', () => {
    for (const path of ['../outside.md', '/etc/passwd', 'docs/../../x', 'docs//x']) {
      expect(() =>
        buildRecord(
          'attestation',
          {
            effective: daysAgo(1),
            performedBy: 'ada',
            data: { controls: ['GOV-06'], statement: 'x', reference: 'y' },
          },
          [{ name: 'x', sha256: 'a'.repeat(64), size: 1, mediaType: 'text/plain', path }],
          now,
        ),
      ).toThrow(expect.objectContaining({ code: 'RECORD_INVALID' }));
    }
  });

  it('says why records are not counted when the protected branch cannot be found', async () => {
    const { repo } = await repositoryWithRecords();
    const gathered = await gatherRecords({
      catalog: loadCatalog(),
      repositoryRoot: repo.path,
      defaultBranch: 'release',
      now,
    });
    expect(gathered.records).toEqual([]);
    expect(gathered.problems[0]?.code).toBe('RECORDS_SIGNERS_UNAVAILABLE');
  });
});
