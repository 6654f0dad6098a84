import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  approveChange,
  type ChangeRecord,
  createChange,
  implementChange,
  recordChange,
} from '../../changes/index.js';
import { ChangeSettings, defaultPolicy, type Policy } from '../../policy/index.js';
import { createStoreAccess, openStore } from '../../store/index.js';
import { implementedChange } from '../../testing/signed-change.js';
import { changeApprovals, emergencyReviewsOnTime } from './checks.js';
import { collectChanges } from './collect.js';

const settings = ChangeSettings.parse({});
const implementedAt = new Date('2026-06-09T09:00:00Z');
const emergency = implementedChange(
  { id: 'EMG-1', class: 'emergency', title: 'Hotfix', author: 'alice' },
  settings,
  implementedAt,
);
const policy = defaultPolicy();

describe('change/emergency-reviews-on-time', () => {
  it('passes before the deadline and fails after it, naming the change', () => {
    const facts = {
      status: 'present' as const,
      location: 'db',
      unreviewedEmergencies: [emergency],
      changes: [],
    };
    expect(
      emergencyReviewsOnTime.evaluate(facts, policy, { now: new Date('2026-06-11T09:00:00Z') }).status,
    ).toBe('pass');
    const late = emergencyReviewsOnTime.evaluate(facts, policy, { now: new Date('2026-06-13T09:00:00Z') });
    expect(late.status).toBe('fail');
    expect(late.findings[0]?.message).toContain('EMG-1');
  });

  it('is not applicable, not a pass, when no emergency change was ever recorded', () => {
    const normal = implementedChange(
      { id: 'CHG-1', class: 'normal', title: 'Feature', author: 'alice' },
      settings,
      implementedAt,
    );
    const facts = {
      status: 'present' as const,
      location: 'db',
      unreviewedEmergencies: [],
      changes: [normal],
    };
    const result = emergencyReviewsOnTime.evaluate(facts, policy, { now: implementedAt });
    expect(result.status).toBe('not-applicable');
    expect(result.summary).toContain('no emergency change among the 1 change record(s)');
    const reviewed = { ...emergency, status: 'reviewed' as const };
    expect(
      emergencyReviewsOnTime.evaluate({ ...facts, changes: [reviewed] }, policy, { now: implementedAt })
        .status,
    ).toBe('pass');
  });

  it('is unknown without a store', () => {
    const result = emergencyReviewsOnTime.evaluate({ status: 'no-store', location: 'x.db' }, policy, {
      now: implementedAt,
    });
    expect(result.status).toBe('unknown');
  });

  it("reads implemented emergency changes from the command's store, and never creates one", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'shipguard-change-collector-'));
    try {
      const path = join(folder, 'store.db');
      expect(await collectChanges(createStoreAccess({ kind: 'sqlite', path }))).toEqual({
        status: 'no-store',
        location: path,
      });
      expect(existsSync(path)).toBe(false);
      expect((await collectChanges()).status).toBe('no-store');
      const store = await openStore({ kind: 'sqlite', path });
      await recordChange(store, emergency, 'created', 'alice');
      await store.close();
      const access = createStoreAccess({ kind: 'sqlite', path });
      const facts = await collectChanges(access);
      await access.close();
      expect(
        facts.status === 'present' ? facts.unreviewedEmergencies.map((change) => change.id) : facts,
      ).toEqual(['EMG-1']);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('change/approvals', () => {
  const period: Policy = { ...policy, auditPeriod: '2026-06-01..2026-06-30' };
  const at = new Date('2026-06-10T10:00:00Z');
  const normal = createChange(
    { id: 'CHG-1', class: 'normal', title: 'Upgrade', author: 'alice', commits: ['a'.repeat(40)] },
    settings,
    at,
  );
  const approvedAndDone = implementChange(approveChange(normal, 'bob', settings, at), 'erin', settings, at);
  // A record carried out with no approval, or approved by its own author, as an edited store or a
  // deploy past the gate would leave it: the check judges the record, not the tool that wrote it.
  const unapproved = {
    ...createChange({ id: 'CHG-2', class: 'normal', title: 'Hotpatch', author: 'carol' }, settings, at),
    status: 'implemented' as const,
    implementation: { by: 'carol', at: at.toISOString() },
  };
  const selfApproved = {
    ...unapproved,
    id: 'CHG-3',
    approvals: [{ by: 'carol', at: at.toISOString(), roles: [] }],
  };
  const noCode = implementedChange(
    { id: 'CHG-5', class: 'normal', title: 'Config', author: 'alice' },
    settings,
    at,
  );
  const requestedOnly = createChange(
    { id: 'CHG-4', class: 'normal', title: 'Later', author: 'dan' },
    settings,
    at,
  );

  async function judge(changes: ChangeRecord[], judgedPolicy: Policy = period) {
    const folder = mkdtempSync(join(tmpdir(), 'shipguard-change-approvals-'));
    onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
    const path = join(folder, 'store.db');
    const store = await openStore({ kind: 'sqlite', path });
    for (const change of changes) await recordChange(store, change, 'created', change.author);
    await store.close();
    const access = createStoreAccess({ kind: 'sqlite', path });
    const facts = await collectChanges(access);
    await access.close();
    return changeApprovals.evaluate(facts, judgedPolicy, { now: new Date('2026-07-01T00:00:00Z') });
  }

  it('passes changes approved as their class requires, with the records as evidence', async () => {
    const result = await judge([approvedAndDone, requestedOnly]);
    expect(result.status).toBe('pass');
    expect(result.evidence).toHaveLength(1);
    expect(result.evidence[0]).toMatchObject({ kind: 'record' });
  });

  it('fails a change carried out without approval, and one approved only by its author', async () => {
    const result = await judge([approvedAndDone, unapproved, selfApproved, noCode]);
    expect(result.status).toBe('fail');
    expect(result.findings.map((finding) => finding.message).sort()).toEqual([
      expect.stringContaining('Change CHG-2 (normal: Hotpatch) was carried out without approval'),
      expect.stringContaining('Change CHG-3 (normal: Hotpatch) was carried out without approval'),
      'Change CHG-5 (normal: Config) was carried out without naming the commits or artefacts it changes.',
    ]);
  });

  it('is unknown when no change in the period was carried out, or without a store', async () => {
    const outside = await judge([approvedAndDone], { ...policy, auditPeriod: '2026-01-01..2026-03-31' });
    expect(outside.status).toBe('unknown');
    expect(outside.howToProvide).toContain('shipguard change create');
    expect((await judge([requestedOnly])).status).toBe('unknown');
    expect(
      changeApprovals.evaluate({ status: 'no-store', location: 'x.db' }, period, { now: at }).status,
    ).toBe('unknown');
  });
});
