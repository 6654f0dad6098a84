/**
 * The read models over real stores (SQLite and PostgreSQL), filled by the domains' own functions
 * (__fixtures__/seed.ts), and the pages rendered from them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog/index.js';
import { openStore, type Store } from '../../store/index.js';
import { describeOnEveryStore, type StoreBackend } from '../../testing/store-backends.js';
import { assessmentsOf, now, repositoryRoot, seedDataset } from './__fixtures__/seed.js';
import type { PageContext } from './layout.js';
import * as models from './read-models.js';
import * as views from './views.js';

const catalog = loadCatalog();
const auditor: PageContext = {
  user: { name: 'Ida Auditor', roles: ['auditor'] },
  csrfToken: 'token-a',
  can: new Set(),
};

await describeOnEveryStore('pages read models', (name: string, backend: StoreBackend) => {
  describe(`pages read models (${name})`, () => {
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    async function seeded(): Promise<Store> {
      const location = await backend.createLocation();
      store = await openStore(location);
      await seedDataset(store, { repositories: 3, assessments: 5 });
      return store;
    }

    it('shows every repository once with its latest assessment by area, level and trend', async () => {
      const opened = await seeded();
      const records = await models.loadRecordSet(opened);
      const model = await models.portfolioModel(opened, { catalog, now, records });
      expect(model.repositories.map((row) => row.name).sort()).toEqual([
        'identity-service',
        'payments-api',
        'web-checkout',
      ]);
      for (const row of model.repositories) {
        const expected = assessmentsOf(
          row.name,
          { 'payments-api': 0.62, 'web-checkout': 0.74, 'identity-service': 0.82 }[row.name] as number,
          5,
          3,
        ).at(-1);
        expect(row.assessmentId).toBe(expected?.id);
        expect(row.summary).toEqual(expected?.summary);
        const areaTotal = Object.values(row.areas).reduce(
          (sum, counts) =>
            sum + counts.fail + counts.pass + counts.partial + counts.unknown + counts['not-applicable'],
          0,
        );
        expect(areaTotal).toBe(catalog.controls.length);
        expect(
          row.passLevels.verified + row.passLevels.signed + row.passLevels.declared + row.passLevels.none,
        ).toBe(row.summary.pass);
        expect(row.trend).toHaveLength(5);
        const { pass, fail, partial, unknown } = expected?.summary ?? {
          pass: 0,
          fail: 0,
          partial: 0,
          unknown: 0,
        };
        expect(row.trend.at(-1)).toBe(Math.round((pass / (pass + fail + partial + unknown)) * 100));
      }
      expect(model.totals.pass).toBe(model.repositories.reduce((sum, row) => sum + row.summary.pass, 0));
      expect(model.trend.length).toBe(5); // five assessment days, three repositories each
      expect(model.trend[0]?.assessed).toBeGreaterThan(0);
      // Overdue: dennis's expired awareness training, and remediation R-3 of PT-2026-1 (12 days late).
      expect(model.overdue.map((item) => item.what)).toEqual(
        expect.arrayContaining([expect.stringContaining('dennis'), expect.stringContaining('PT-2026-1/R-3')]),
      );
      expect(model.overdue.find((item) => item.what.includes('R-3'))?.daysLate).toBe(12);
      const page = views.portfolioPage(auditor, model);
      expect(page).toContain('identity-service');
      expect(page).toContain(`href="/repositories/${encodeURIComponent(repositoryRoot('payments-api'))}"`);
    });

    it("shows a repository's controls by area with findings and their location, and its exceptions", async () => {
      const opened = await seeded();
      expect(await models.repositoryModel(opened, '/nowhere', now)).toBeUndefined();
      const model = await models.repositoryModel(opened, repositoryRoot('payments-api'), now);
      if (!model) throw new Error('no model');
      expect(model.areas.reduce((sum, area) => sum + area.controls.length, 0)).toBe(catalog.controls.length);
      expect(model.trend).toHaveLength(5);
      const failing = model.areas
        .flatMap((area) => area.controls)
        .find((control) => control.status === 'fail');
      const location = failing?.findings[0]?.location;
      expect(location).toBeDefined();
      expect(model.exceptions).toHaveLength(1);
      expect(model.exceptions[0]).toMatchObject({ owner: 'Margaret Hamilton', daysLeft: 9 });
      const page = views.repositoryPage(auditor, model);
      expect(page).toContain(`${location?.path}:${location?.line}`);
      expect(page).toContain('exception until');
      const all = await models.exceptionsModel(opened, now);
      expect(all.map((row) => row.repository)).toEqual([repositoryRoot('payments-api')]);
    });

    it("puts records on a due board and shows pen tests with the CTO's plan", async () => {
      const opened = await seeded();
      const set = await models.loadRecordSet(opened);
      const records = models.recordsModel(catalog, set, now);
      expect(records.kinds['pen-test']).toBe(2);
      expect(records.kinds['remediation-plan']).toBe(1);
      expect(records.board.overdue.every((item) => item.daysLate > 0)).toBe(true);
      expect(records.board.dueSoon.every((item) => item.daysLeft >= 0 && item.daysLeft <= 30)).toBe(true);
      // Guido and Tim have not acknowledged v2 (due 30 days ago): overdue.
      expect(records.board.overdue.map((item) => item.what).join('\n')).toMatch(
        /Guido van Rossum .*acknowledge/,
      );
      const penTests = models.penTestsModel(set, now);
      expect(penTests.map((row) => row.engagement)).toEqual(['PT-2026-2', 'PT-2026-1']);
      const [second, first] = penTests;
      expect(second?.plan).toBeUndefined();
      expect(second?.unplanned).toEqual(['F-1', 'F-2']);
      expect(second?.report?.name).toBe('PT-2026-2-report.pdf');
      expect(first?.plan?.approvedBy).toBe('cto');
      expect(first?.plan?.items.filter((item) => item.overdue).map((item) => item.id)).toEqual(['R-3']);
      const cto: PageContext = {
        user: { name: 'Grace Hopper', roles: ['cto'] },
        csrfToken: 'token-c',
        can: new Set(['remediation.approve']),
      };
      const page = views.penTestsPage(cto, penTests);
      expect(page.match(/Approve remediation plan/g)).toHaveLength(1); // only the engagement without a plan
      expect(page).toContain('action="/pen-tests/PT-2026-2/plan"');
      expect(views.penTestsPage(auditor, penTests)).not.toContain('<form method="post" action="/pen-tests/');
      expect(views.recordsPage(auditor, records)).toContain('PT-2026-2-report.pdf');
    });

    it('names who may not approve a change (its author), and lists gate decisions and the ledger', async () => {
      const opened = await seeded();
      const rows = await models.changesModel(opened, 'Barbara Liskov', now);
      expect(rows.map((row) => row.change.id)).toContain('CHG-2043');
      expect(rows.find((row) => row.change.id === 'CHG-2043')?.viewerCannotApprove).toContain('author');
      expect(rows.find((row) => row.change.id === 'CHG-2045')?.viewerCannotApprove).toBeUndefined();
      const approver: PageContext = {
        user: { name: 'Barbara Liskov', roles: ['development-team-lead'] },
        csrfToken: 't',
        can: new Set(['changes.approve']),
      };
      const page = views.changesPage(approver, rows);
      expect(page).toContain('action="/changes/CHG-2045/approve"');
      expect(page).not.toContain('action="/changes/CHG-2043/approve"');
      expect(page).toContain('you cannot approve');

      const gate = await models.gateDecisionsModel(opened);
      expect(gate).toHaveLength(6);
      expect(
        gate
          .filter((row) => row.result === 'deny')
          .map((row) => row.rules.find((rule) => rule.outcome === 'fail')?.id)
          .sort(),
      ).toEqual(['change', 'vulnerabilities']);

      const ledger = await models.ledgerModel(opened, 10);
      expect(ledger.size).toBeGreaterThan(10);
      expect(ledger.recent[0]?.index).toBe(ledger.size - 1);
      expect(ledger.recent[0]?.type).toBe('ledger.checkpointed');
      expect(ledger.checkpoints).toHaveLength(1);
      const gateEntry = gate[0]?.ledgerIndex as number;
      const proof = await models.inclusionModel(opened, gateEntry);
      expect(proof).toMatchObject({
        index: gateEntry,
        treeSize: ledger.size,
        verified: true,
        root: ledger.root,
      });
      expect(proof.entry).toContain('gate.decided');
      expect(views.ledgerPage(auditor, ledger, proof)).toContain('verified');
    });

    it('counts people coverage from the signed training and acknowledgements', async () => {
      const opened = await seeded();
      const model = models.peopleModel(await models.loadRecordSet(opened), now);
      const byName = Object.fromEntries(model.requirements.map((item) => [item.name, item]));
      // 12 developers in the roster (tim is a tester: a developer role); zoe has no training, dennis's expired.
      const awareness = byName['Annual awareness training'];
      expect(awareness && awareness.inScope - awareness.covered).toBe(2);
      const acknowledgement = byName['Policy acknowledgement'];
      expect(acknowledgement && acknowledgement.inScope - acknowledgement.covered).toBe(2); // guido, tim
      expect(model.people.find((person) => person.id === 'zoe')?.lacking).toContain(
        'annual awareness training',
      );
      expect(views.peoplePage(auditor, model)).toContain('Zoe');
    });
  });
});
