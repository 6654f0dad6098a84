import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lodashAdvisory } from '../../advisories/__fixtures__/records.js';
import { importAdvisories } from '../../advisories/index.js';
import { RepositorySnapshot } from '../../kernel/index.js';
import { defaultPolicy } from '../../policy/index.js';
import { openStore } from '../../store/index.js';
import { testNow } from '../../testing/evaluate-collector.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { vulnsDatabaseFresh, vulnsNoOverdue } from './checks.js';
import { vulnsCollector } from './index.js';

let repository: TestRepository;
let folder: string;
const savedDb = process.env['SHIPGUARD_DB'];

beforeEach(() => {
  repository = createTestRepository();
  repository.write({
    'package-lock.json': JSON.stringify(
      { lockfileVersion: 3, packages: { 'node_modules/lodash': { version: '4.17.20' } } },
      null,
      2,
    ),
  });
  repository.commit('deps');
  folder = mkdtempSync(join(tmpdir(), 'shipguard-vulns-collector-'));
});

afterEach(() => {
  repository.remove();
  rmSync(folder, { recursive: true, force: true });
  if (savedDb === undefined) delete process.env['SHIPGUARD_DB'];
  else process.env['SHIPGUARD_DB'] = savedDb;
});

async function facts(now: Date) {
  return vulnsCollector.collect(await RepositorySnapshot.open(repository.path), defaultPolicy(), { now });
}

describe('vulns collector', () => {
  it('is unknown, saying how to provide the data, when no advisory database exists', async () => {
    process.env['SHIPGUARD_DB'] = join(folder, 'missing.db');
    const context = { now: testNow };
    const collected = await facts(testNow);
    for (const check of [vulnsDatabaseFresh, vulnsNoOverdue]) {
      const result = check.evaluate(collected, defaultPolicy(), context);
      expect(result.status, check.id).toBe('unknown');
      expect(result.howToProvide).toContain('shipguard advisories sync');
    }
  });

  it('fails on an overdue vulnerability, and on stale data fails freshness and is unknown for overdue', async () => {
    const db = join(folder, 'store.db');
    process.env['SHIPGUARD_DB'] = db;
    writeFileSync(join(folder, 'lodash.json'), JSON.stringify(lodashAdvisory));
    const store = await openStore({ kind: 'sqlite', path: db });
    const importedAt = new Date();
    await importAdvisories(store, join(folder, 'lodash.json'), { now: importedAt });
    await store.close();
    const now = { now: importedAt };
    const collected = await facts(importedAt);
    expect(vulnsDatabaseFresh.evaluate(collected, defaultPolicy(), now).status).toBe('pass');
    const overdue = vulnsNoOverdue.evaluate(collected, defaultPolicy(), now);
    expect(overdue.status).toBe('fail');
    expect(overdue.findings[0]).toMatchObject({
      severity: 'high',
      location: { path: 'package-lock.json' },
      remediation: 'Upgrade lodash to 4.17.21 (the smallest version that fixes GHSA-lodash-0001).',
    });
    // The same database read 30 days later: the collector measures its age on the given clock.
    const later = { now: new Date(importedAt.getTime() + 30 * 86_400_000) };
    const stale = await facts(later.now);
    expect(stale.database.ageDays).toBe(30);
    expect(vulnsDatabaseFresh.evaluate(stale, defaultPolicy(), later).status).toBe('fail');
    expect(vulnsNoOverdue.evaluate(stale, defaultPolicy(), later).status).toBe('unknown');
  });
});
