import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { approveChange, createChange, implementChange, recordChange } from '../../changes/index.js';
import { RepositorySnapshot } from '../../kernel/index.js';
import { ChangeSettings, defaultPolicy } from '../../policy/index.js';
import { openStore } from '../../store/index.js';
import { emergencyReviewsOnTime } from './checks.js';
import { collectChanges } from './collect.js';

const settings = ChangeSettings.parse({});
const implementedAt = new Date('2026-06-09T09:00:00Z');
const emergency = implementChange(
  approveChange(
    createChange(
      { id: 'EMG-1', class: 'emergency', title: 'Hotfix', author: 'alice' },
      settings,
      implementedAt,
    ),
    'bob',
    settings,
    implementedAt,
  ),
  'erin',
  settings,
  implementedAt,
);
const policy = defaultPolicy();

describe('change/emergency-reviews-on-time', () => {
  it('passes before the deadline and fails after it, naming the change', () => {
    const facts = { status: 'present' as const, location: 'db', unreviewedEmergencies: [emergency] };
    expect(
      emergencyReviewsOnTime.evaluate(facts, policy, { now: new Date('2026-06-11T09:00:00Z') }).status,
    ).toBe('pass');
    const late = emergencyReviewsOnTime.evaluate(facts, policy, { now: new Date('2026-06-13T09:00:00Z') });
    expect(late.status).toBe('fail');
    expect(late.findings[0]?.message).toContain('EMG-1');
  });

  it('is unknown without a store', () => {
    const result = emergencyReviewsOnTime.evaluate({ status: 'no-store', location: 'x.db' }, policy, {
      now: implementedAt,
    });
    expect(result.status).toBe('unknown');
  });

  it('reads implemented emergency changes from the store at SHIPGUARD_DB, and never creates one', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'shipguard-change-collector-'));
    try {
      const repository = await RepositorySnapshot.open(folder);
      const path = join(folder, 'store.db');
      expect(await collectChanges(repository, undefined, { SHIPGUARD_DB: path })).toEqual({
        status: 'no-store',
        location: path,
      });
      const store = await openStore({ kind: 'sqlite', path });
      await recordChange(store, emergency, 'created', 'alice');
      await store.close();
      const facts = await collectChanges(repository, undefined, { SHIPGUARD_DB: path });
      expect(
        facts.status === 'present' ? facts.unreviewedEmergencies.map((change) => change.id) : facts,
      ).toEqual(['EMG-1']);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
