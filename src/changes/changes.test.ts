import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readEntries } from '../ledger/index.js';
import { ChangeSettings } from '../policy/index.js';
import { openStore, type Store } from '../store/index.js';
import { getChange, listChanges, listUnreviewedEmergencies, recordChange } from './change-store.js';
import {
  approvalState,
  approveChange,
  createChange,
  implementChange,
  isReviewOverdue,
  rejectChange,
  reviewChange,
} from './changes.js';

const settings = ChangeSettings.parse({
  roles: { carol: ['change-manager'] },
  standardTemplates: [{ id: 'dependency-patch', description: 'Patch-level dependency update' }],
});
const now = new Date('2026-06-09T09:00:00Z');
const base = {
  id: 'CHG-1',
  title: 'Release 1.2',
  author: 'alice',
  commits: ['c'.repeat(40)],
  commitAuthors: ['Dan Developer <dan@example.com>'],
};

describe('change classes', () => {
  it('standard: approved on creation from a pre-approved template, refused without one', () => {
    const change = createChange({ ...base, class: 'standard', template: 'dependency-patch' }, settings, now);
    expect(change.status).toBe('approved');
    expect(approvalState(change, settings).approved).toBe(true);
    expect(() => createChange({ ...base, class: 'standard', template: 'anything' }, settings, now)).toThrow(
      expect.objectContaining({ code: 'CHANGE_INVALID' }),
    );
  });

  it('normal: needs N independent approvals (default 1)', () => {
    const change = createChange({ ...base, class: 'normal' }, settings, now);
    expect(approvalState(change, settings).approved).toBe(false);
    const approved = approveChange(change, 'bob', settings, now);
    expect(approved.status).toBe('approved');
    const two = ChangeSettings.parse({ normalApprovals: 2 });
    const once = approveChange(createChange({ ...base, class: 'normal' }, two, now), 'bob', two, now);
    expect(once.status).toBe('requested');
    expect(approveChange(once, 'erin', two, now).status).toBe('approved');
  });

  it('major: needs both assessments, two approvals and one by the designated role', () => {
    expect(() => createChange({ ...base, class: 'major', riskAssessment: 'low' }, settings, now)).toThrow(
      expect.objectContaining({ code: 'CHANGE_INVALID' }),
    );
    const change = createChange(
      { ...base, class: 'major', riskAssessment: 'RA-7', dataProtectionAssessment: 'DPIA-3' },
      settings,
      now,
    );
    const one = approveChange(change, 'bob', settings, now);
    expect(approvalState(one, settings).reason).toContain('1 of 2');
    const twoWithoutRole = approveChange(one, 'erin', settings, now);
    expect(twoWithoutRole.status).toBe('requested');
    expect(approvalState(twoWithoutRole, settings).reason).toContain('change-manager');
    const withRole = approveChange(one, 'carol', settings, now);
    expect(withRole.status).toBe('approved');
    expect(withRole.approvals[1]?.roles).toEqual(['change-manager']);
  });

  it('emergency: one approval suffices; the review is due within the deadline and can be overdue', () => {
    const change = approveChange(
      createChange({ ...base, class: 'emergency' }, settings, now),
      'bob',
      settings,
      now,
    );
    expect(change.status).toBe('approved');
    const implemented = implementChange(change, 'erin', settings, now);
    expect(implemented.reviewDueAt).toBe('2026-06-12T09:00:00.000Z');
    expect(isReviewOverdue(implemented, new Date('2026-06-12T08:59:00Z'))).toBe(false);
    expect(isReviewOverdue(implemented, new Date('2026-06-12T09:01:00Z'))).toBe(true);
    const reviewed = reviewChange(implemented, 'carol', 'root cause fixed', new Date('2026-06-10T00:00:00Z'));
    expect(isReviewOverdue(reviewed, new Date('2026-07-01T00:00:00Z'))).toBe(false);
  });

  it('follows the transitions: no implementing before approval, no approving after rejection', () => {
    const change = createChange({ ...base, class: 'normal' }, settings, now);
    expect(() => implementChange(change, 'erin', settings, now)).toThrow(
      expect.objectContaining({ code: 'CHANGE_INVALID_TRANSITION' }),
    );
    const rejected = rejectChange(change, 'bob', 'no rollback plan', now);
    expect(() => approveChange(rejected, 'erin', settings, now)).toThrow(
      expect.objectContaining({ code: 'CHANGE_INVALID_TRANSITION' }),
    );
    expect(approvalState(rejected, settings).approved).toBe(false);
  });
});

describe('separation of duties', () => {
  const change = createChange({ ...base, class: 'normal' }, settings, now);
  it('forbids the change author approving', () => {
    expect(() => approveChange(change, 'Alice', settings, now)).toThrow(
      expect.objectContaining({ code: 'CHANGE_SEPARATION_OF_DUTIES' }),
    );
  });
  it('forbids an author of the commits approving, by name or e-mail', () => {
    for (const approver of ['Dan Developer', 'dan@example.com', 'Dan Developer <dan@example.com>']) {
      expect(() => approveChange(change, approver, settings, now)).toThrow(
        expect.objectContaining({ code: 'CHANGE_SEPARATION_OF_DUTIES' }),
      );
    }
  });
  it('ignores a self-approval smuggled into a stored record', () => {
    const forged = {
      ...change,
      status: 'approved' as const,
      approvals: [{ by: 'alice', at: now.toISOString(), roles: [] }],
    };
    expect(approvalState(forged, settings).approved).toBe(false);
  });
  it("forbids the author's second principal (another key registered with the same e-mail) approving, or approving twice", () => {
    // Alice's PEM key, and her SSH key from the allowed-signers file, named by her e-mail there.
    const alice = { id: 'key:a1', kind: 'key' as const, name: 'Alice', emails: ['alice@example.com'] };
    const aliceSsh = {
      id: 'key:a2',
      kind: 'key' as const,
      name: 'alice@example.com',
      emails: ['alice@example.com'],
    };
    const bob = { id: 'key:b1', kind: 'key' as const, name: 'Bob', emails: ['bob@example.com'] };
    const bobSsh = { id: 'key:b2', kind: 'key' as const, name: 'B.O.B.', emails: [' Bob@Example.com '] };
    const own = createChange({ ...base, author: alice, class: 'normal' }, settings, now);
    expect(() => approveChange(own, aliceSsh, settings, now)).toThrow(
      expect.objectContaining({ code: 'CHANGE_SEPARATION_OF_DUTIES' }),
    );
    const two = ChangeSettings.parse({ normalApprovals: 2 });
    const once = approveChange(
      createChange({ ...base, author: alice, class: 'normal' }, two, now),
      bob,
      two,
      now,
    );
    expect(() => approveChange(once, bobSsh, two, now)).toThrow(
      expect.objectContaining({ code: 'CHANGE_INVALID_TRANSITION' }),
    );
    // A record that holds both anyway (edited in the store) counts one approval, and none by Alice.
    const smuggled = {
      ...once,
      approvals: [
        ...once.approvals,
        { by: 'B.O.B.', at: now.toISOString(), roles: [], principal: bobSsh },
        { by: 'alice@example.com', at: now.toISOString(), roles: [], principal: aliceSsh },
      ],
    };
    expect(approvalState(smuggled, two)).toMatchObject({ approved: false, approvers: ['Bob'] });
  });
  it('forbids the author reviewing their own emergency change', () => {
    const implemented = implementChange(
      approveChange(createChange({ ...base, class: 'emergency' }, settings, now), 'bob', settings, now),
      'erin',
      settings,
      now,
    );
    expect(() => reviewChange(implemented, 'alice', 'fine', now)).toThrow(
      expect.objectContaining({ code: 'CHANGE_SEPARATION_OF_DUTIES' }),
    );
  });
});

describe('change store (SQLite)', () => {
  const folders: string[] = [];
  const stores: Store[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('stores every transition and appends each to the ledger', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'shipguard-change-'));
    folders.push(folder);
    const store = await openStore({ kind: 'sqlite', path: join(folder, 'shipguard.db') });
    stores.push(store);
    const created = createChange({ ...base, class: 'emergency' }, settings, now);
    await recordChange(store, created, 'created', 'alice', now);
    await expect(recordChange(store, created, 'created', 'alice', now)).rejects.toMatchObject({
      code: 'CHANGE_INVALID',
    });
    const approved = approveChange(created, 'bob', settings, now);
    await recordChange(store, approved, 'approved', 'bob', now);
    const implemented = implementChange(approved, 'erin', settings, now);
    await recordChange(store, implemented, 'implemented', 'erin', now);
    expect(await getChange(store, 'CHG-1')).toEqual(implemented);
    expect((await listChanges(store)).map((item) => item.status)).toEqual(['implemented']);
    expect((await listUnreviewedEmergencies(store)).map((item) => item.id)).toEqual(['CHG-1']);
    const entries = await readEntries(store, 0, 10);
    expect(entries.map((entry) => JSON.parse(entry.entry).type)).toEqual([
      'change.created',
      'change.approved',
      'change.implemented',
    ]);
  });
});
