/**
 * The forms' actions on real stores: HR imports training, a pen-test report is uploaded and the
 * CTO (only the CTO) approves the remediation plan, and a change's author cannot approve it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ChangeError } from '../../changes/index.js';
import { ChangeSettings } from '../../policy/index.js';
import { createCompany, enrol, now } from '../../records/__fixtures__/company.js';
import { readEvidence } from '../../records/index.js';
import { openStore, type Store } from '../../store/index.js';
import { describeOnEveryStore, type StoreBackend } from '../../testing/store-backends.js';
import {
  advanceChangeAs,
  approveRemediationPlan,
  FormError,
  importTraining,
  requestChange,
  uploadPenTest,
} from './actions.js';
import { changesModel, loadRecordSet, penTestsModel, peopleModel } from './read-models.js';

const settings = ChangeSettings.parse({});

await describeOnEveryStore('pages actions', (name: string, backend: StoreBackend) => {
  describe(`pages actions (${name})`, () => {
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    async function company() {
      store = await openStore(await backend.createLocation());
      const built = createCompany();
      await enrol(store, built);
      return { store, company: built };
    }

    it('imports an LMS export as signed training records, once', async () => {
      const { store: opened, company: built } = await company();
      const csv = Buffer.from(
        [
          'person,course,course_version,kind,completed,expires',
          'ada,Security Awareness,2026,Annual awareness,2026-10-01,2027-10-01',
          'alan,Secure Coding,3,Secure coding,2026-09-01,',
        ].join('\n'),
      );
      const hrImports = (file: { fileName: string; content: Buffer }) =>
        importTraining(opened, { signer: built.keys.hr.signer, file, now });
      const lms = { fileName: 'lms.csv', content: csv };
      expect(await hrImports(lms)).toEqual({ added: 2, skipped: 0 });
      expect(await hrImports(lms)).toEqual({ added: 0, skipped: 2 });
      const people = peopleModel(await loadRecordSet(opened), now);
      expect(people.people.find((person) => person.id === 'ada')?.lacking).not.toContain(
        'annual awareness training',
      );
      expect(people.people.find((person) => person.id === 'barbara')?.lacking).toContain(
        'annual awareness training',
      );
      // Not UTF-8 text (a PDF chosen by mistake): the form says so, it is not a server failure.
      await expect(
        hrImports({ fileName: 'bad.csv', content: Buffer.from([0xff, 0xfe, 0x00]) }),
      ).rejects.toBeInstanceOf(FormError);
    });

    it('takes a pen-test report, and the remediation plan only from the CTO', async () => {
      const { store: opened, company: built } = await company();
      const content = Buffer.from('%PDF-1.7 report of PT-2026-9');
      const id = await uploadPenTest(opened, {
        signer: built.keys.katherine.signer,
        fields: {
          engagement: 'PT-2026-9',
          tester: 'Pentest Partners Ltd',
          independence: 'external',
          started: '2026-11-01',
          ended: '2026-11-10',
          scope: 'input-validation, user-enumeration, hardening',
          findings: 'F-1; high; Stored XSS in comments\nF-2; low; Server banner',
        },
        report: { fileName: 'report.pdf', mediaType: 'application/pdf', content },
        now,
      });
      expect(id).toMatch(/^pen-test:2026-11-10:/);
      let [row] = penTestsModel(await loadRecordSet(opened), now);
      expect(row).toMatchObject({
        engagement: 'PT-2026-9',
        unplanned: ['F-1', 'F-2'],
        report: { name: 'report.pdf' },
      });
      expect((await readEvidence(opened, row?.report?.sha256 ?? ''))?.content.equals(content)).toBe(true);

      const items =
        'R-1; F-1; alan; 2026-12-15; Encode output in comments\nR-2; F-2; ken; 2027-01-15; Remove the banner';
      await expect(
        approveRemediationPlan(opened, { signer: built.keys.hr.signer, engagement: 'PT-2026-9', items, now }),
      ).rejects.toThrow(new FormError('hr does not hold the role cto on the roster'));
      await expect(
        approveRemediationPlan(opened, {
          signer: built.keys.cto.signer,
          engagement: 'PT-2026-9',
          items: 'R-1; F-1',
          now,
        }),
      ).rejects.toThrow(FormError);
      await approveRemediationPlan(opened, {
        signer: built.keys.cto.signer,
        engagement: 'PT-2026-9',
        items,
        now,
      });
      [row] = penTestsModel(await loadRecordSet(opened), now);
      expect(row?.plan).toMatchObject({
        approvedBy: 'cto',
        items: [{ id: 'R-1', owner: 'alan', overdue: false }, { id: 'R-2' }],
      });
      expect(row?.unplanned).toEqual([]);
    });

    it('refuses the author of a change as its approver, and takes another person', async () => {
      const { store: opened } = await company();
      await requestChange(opened, {
        id: 'CHG-1',
        author: 'Barbara Liskov',
        authorName: 'Barbara Liskov',
        fields: { title: 'Upgrade Node', class: 'normal', environment: 'production', commits: 'abc1234' },
        settings,
        now,
      });
      await expect(
        requestChange(opened, {
          id: 'CHG-2',
          author: 'Barbara Liskov',
          authorName: 'Barbara Liskov',
          fields: { title: 'x', class: 'sideways' },
          settings,
          now,
        }),
      ).rejects.toThrow(FormError);
      const refused = advanceChangeAs(opened, 'approved', {
        id: 'CHG-1',
        actor: 'Barbara Liskov',
        actorName: 'Barbara Liskov',
        settings,
        now,
      });
      await expect(refused).rejects.toThrow(ChangeError);
      await expect(refused).rejects.toThrow(/separation of duties/);
      expect((await changesModel(opened, 'Barbara Liskov', now))[0]?.change.status).toBe('requested');
      await advanceChangeAs(opened, 'approved', {
        id: 'CHG-1',
        actor: 'Grace Hopper',
        actorName: 'Grace Hopper',
        settings,
        now,
      });
      await advanceChangeAs(opened, 'implemented', {
        id: 'CHG-1',
        actor: 'Ken Thompson',
        actorName: 'Ken Thompson',
        settings,
        now,
      });
      const [row] = await changesModel(opened, 'Grace Hopper', now);
      expect(row?.change).toMatchObject({ status: 'implemented', approvals: [{ by: 'Grace Hopper' }] });
    });
  });
});
