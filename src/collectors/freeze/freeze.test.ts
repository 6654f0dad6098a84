import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ChangeRecord, recordChange, saveDecisionRow } from '../../changes/index.js';
import { RepositorySnapshot } from '../../kernel/index.js';
import { ChangeSettings, defaultPolicy, type Policy, parsePolicy } from '../../policy/index.js';
import { createStoreAccess, openStore } from '../../store/index.js';
import { temporaryRepository, testNow } from '../../testing/evaluate-collector.js';
import type { TestRepository } from '../../testing/git-repository.js';
import { implementedChange } from '../../testing/signed-change.js';
import { freezeRespected } from './checks.js';
import { collectFreeze } from './collect.js';

const period = '2026-01-01..2026-05-31';
const now = testNow;

function policyOf(text = ''): Policy {
  return { ...parsePolicy(text, 'shipguard.yaml').policy, auditPeriod: period };
}

/** Commits at `date` (author and committer), then tags it: a lightweight tag takes the commit's date. */
function tagAt(repository: TestRepository, tag: string, date: string): string {
  const commit = repository.commit(tag, { date, committed: date });
  repository.git('tag', tag);
  return commit;
}

interface StoreContent {
  changes?: ChangeRecord[];
  decisions?: Array<{ id: string; at: string; override?: string; environment?: string }>;
}

async function judge(repository: TestRepository, policy: Policy, store?: StoreContent) {
  const path = join(repository.path, '.shipguard', 'shipguard.db');
  if (store) {
    const opened = await openStore({ kind: 'sqlite', path });
    for (const change of store.changes ?? []) await recordChange(opened, change, 'created', change.author);
    for (const decision of store.decisions ?? []) {
      await saveDecisionRow(opened, {
        id: decision.id,
        environment: decision.environment ?? 'production',
        artifact: `sha256:${'1'.repeat(64)}`,
        result: 'allow',
        decidedAt: decision.at,
        ledgerIndex: 0,
        document: {
          result: 'allow',
          environment: decision.environment ?? 'production',
          at: decision.at,
          deployer: 'ada',
          rules: [],
          overrides: decision.override
            ? [{ rule: 'freeze', change: decision.override, reason: 'emergency' }]
            : [],
        },
      });
    }
    await opened.close();
  }
  const access = createStoreAccess({ kind: 'sqlite', path });
  try {
    const facts = await collectFreeze(await RepositorySnapshot.open(repository.path), policy, {
      now,
      store: access,
    });
    return freezeRespected.evaluate(facts, policy, { now });
  } finally {
    await access.close();
  }
}

describe('freeze/respected', () => {
  it('fails a release tag made in the default weekend freeze, naming the tag and time; a Tuesday release passes', async () => {
    const repository = temporaryRepository();
    // 2026-05-08 is a Friday: 16:30 UTC is inside the default Friday 15:00 to Monday 08:00.
    tagAt(repository, 'v1.0.0', '2026-05-08T16:30:00Z');
    tagAt(repository, 'v1.1.0', '2026-05-12T10:00:00Z');
    const result = await judge(repository, policyOf());
    expect(result.status).toBe('fail');
    expect(result.findings.map((finding) => finding.message)).toEqual([
      'release tag v1.0.0 was made at 2026-05-08T16:30:00.000Z (friday 16:30 UTC), inside the weekend freeze (Friday 15:00 to Monday 08:00) (UTC), with no approved emergency change.',
    ]);
    // Only the audit period counts: the Friday tag lies before it.
    const later = await judge(repository, { ...policyOf(), auditPeriod: '2026-05-11..2026-05-31' });
    expect(later.status).toBe('pass');
    expect(later.evidence).toHaveLength(1);
  });

  it('fails a policy that lifts every weekly freeze of production instead of passing every release', async () => {
    const repository = temporaryRepository();
    tagAt(repository, 'v1.0.0', '2026-05-08T16:30:00Z');
    const result = await judge(
      repository,
      policyOf('gate:\n  environments:\n    production:\n      freezes: []\n'),
    );
    expect(result.status).toBe('fail');
    expect(result.findings[0]?.message).toContain('lifts every weekly freeze of production');
  });

  it('judges a deployment to an environment the policy names production by the production freeze', async () => {
    const repository = temporaryRepository();
    tagAt(repository, 'v1.0.0', '2026-05-12T10:00:00Z');
    const policy = policyOf('pipelines:\n  productionEnvironments: [customer-facing]\n');
    // Saturday 11:00: inside the default weekend freeze of production.
    const result = await judge(repository, policy, {
      decisions: [{ id: 'dec-9', at: '2026-05-09T11:00:00.000Z', environment: 'customer-facing' }],
    });
    expect(result.status).toBe('fail');
    expect(result.findings[0]?.message).toContain('deployment dec-9 to customer-facing');
  });

  it("judges in the environment's time zone, its own freezes and its holiday calendar", async () => {
    const repository = temporaryRepository();
    repository.write({
      'ops/holidays.ics': [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//test//EN',
        'BEGIN:VEVENT',
        'UID:spring-bank-holiday',
        'DTSTAMP:20260101T000000Z',
        'DTSTART;VALUE=DATE:20260525',
        'DTEND;VALUE=DATE:20260526',
        'SUMMARY:Spring bank holiday',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    });
    // Thursday 17:30 in London (16:30 UTC, summer time): inside a Thursday-evening freeze.
    tagAt(repository, 'v2.0.0', '2026-05-21T16:30:00Z');
    // Monday 25 May, a holiday, 10:00 London.
    tagAt(repository, 'v2.0.1', '2026-05-25T09:00:00Z');
    // Friday 16:30 UTC: not frozen under this policy's own freezes.
    tagAt(repository, 'v2.0.2', '2026-05-29T16:30:00Z');
    const policy = policyOf(
      [
        'gate:',
        '  environments:',
        '    production:',
        '      timeZone: Europe/London',
        '      holidayCalendars: [ops/holidays.ics]',
        '      freezes:',
        '        - { name: thursday-evening, from: "thursday 17:00", to: "thursday 23:00" }',
        '',
      ].join('\n'),
    );
    const result = await judge(repository, policy);
    expect(result.status).toBe('fail');
    expect(result.findings.map((finding) => finding.message)).toEqual([
      'release tag v2.0.0 was made at 2026-05-21T16:30:00.000Z (thursday 17:30 Europe/London), inside the thursday-evening freeze (Europe/London), with no approved emergency change.',
      'release tag v2.0.1 was made at 2026-05-25T09:00:00.000Z (monday 10:00 Europe/London), inside the public holiday Spring bank holiday (Europe/London), with no approved emergency change.',
    ]);
  });

  it('accepts a release in a freeze that an approved emergency change names, and judges gate deployments', async () => {
    const repository = temporaryRepository();
    const friday = tagAt(repository, 'v3.0.0', '2026-05-08T16:30:00Z');
    const settings = ChangeSettings.parse({});
    const at = new Date('2026-05-08T16:00:00Z');
    const emergency = implementedChange(
      { id: 'EMG-7', class: 'emergency', title: 'Outage fix', author: 'alice', commits: [friday] },
      settings,
      at,
    );
    const covered = await judge(repository, policyOf(), {
      changes: [emergency],
      // Saturday, let through the freeze by an emergency change.
      decisions: [{ id: 'dec-1', at: '2026-05-09T11:00:00.000Z', override: 'EMG-7' }],
    });
    expect(covered.status).toBe('pass');
    expect(covered.summary).toContain('2 covered by one');

    // Near miss: an emergency change approved only by its own author covers nothing.
    const selfApproved = {
      ...emergency,
      id: 'EMG-8',
      approvals: [{ by: 'alice', at: at.toISOString(), roles: [] }],
    };
    const repositoryThree = temporaryRepository();
    const fridayThree = tagAt(repositoryThree, 'v3.0.1', '2026-05-08T16:30:00Z');
    const notCovered = await judge(repositoryThree, policyOf(), {
      changes: [{ ...selfApproved, commits: [fridayThree] }],
    });
    expect(notCovered.status).toBe('fail');

    const repositoryTwo = temporaryRepository();
    tagAt(repositoryTwo, 'v0.1.0', '2026-05-12T10:00:00Z');
    const uncovered = await judge(repositoryTwo, policyOf(), {
      decisions: [{ id: 'dec-2', at: '2026-05-09T11:00:00.000Z' }],
    });
    expect(uncovered.status).toBe('fail');
    expect(uncovered.findings[0]?.message).toContain(
      'deployment dec-2 to production was made at 2026-05-09T11:00:00.000Z',
    );
  });

  it('is unknown when the holiday calendar cannot be read or nothing can be read, and with no release in the period', async () => {
    const repository = temporaryRepository();
    tagAt(repository, 'v1.0.0', '2026-05-12T10:00:00Z');
    repository.write({ 'ops/holidays.ics': 'not a calendar' });
    const broken = await judge(
      repository,
      policyOf('gate:\n  environments:\n    production:\n      holidayCalendars: [ops/holidays.ics]\n'),
    );
    expect(broken.status).toBe('unknown');
    expect(broken.howToProvide).toContain('holidayCalendars');

    const plain = temporaryRepository({ git: false });
    plain.write({ 'README.md': 'x\n' });
    expect((await judge(plain, policyOf())).status).toBe('unknown');

    const quiet = temporaryRepository();
    quiet.commit('no tags');
    const nothing = await judge(quiet, policyOf());
    expect(nothing.status).toBe('unknown');
    expect(nothing.howToProvide).toContain('not applicable');
    expect((await judge(quiet, { ...defaultPolicy(), auditPeriod: period })).status).toBe('unknown');
  });
});
