import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lodashAdvisory } from '../../advisories/__fixtures__/records.js';
import { importAdvisories } from '../../advisories/index.js';
import { RepositorySnapshot } from '../../kernel/index.js';
import { defaultPolicy } from '../../policy/index.js';
import { createStoreAccess, openStore, type StoreAccess } from '../../store/index.js';
import { testNow } from '../../testing/evaluate-collector.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { vulnsDatabaseFresh, vulnsNoOverdue } from './checks.js';
import { vulnsCollector } from './index.js';

let repository: TestRepository;
let folder: string;
let dbPath: string;
const accesses: StoreAccess[] = [];

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
  dbPath = join(folder, 'missing.db');
});

afterEach(async () => {
  for (const access of accesses.splice(0)) await access.close();
  repository.remove();
  rmSync(folder, { recursive: true, force: true });
});

async function facts(now: Date) {
  // The store the command hands down (as `--db dbPath` would), one per assessment.
  const store = createStoreAccess({ kind: 'sqlite', path: dbPath });
  accesses.push(store);
  return vulnsCollector.collect(await RepositorySnapshot.open(repository.path), defaultPolicy(), {
    now,
    store,
  });
}

/**
 * Imports the lodash advisory into a store the collector then reads, a day after the record's
 * `modified` (the data's age counts from its newest record); returns when it was imported.
 */
async function importLodashAdvisory(): Promise<Date> {
  dbPath = join(folder, 'store.db');
  writeFileSync(join(folder, 'lodash.json'), JSON.stringify(lodashAdvisory));
  const store = await openStore({ kind: 'sqlite', path: dbPath });
  const importedAt = new Date(Date.parse(String(lodashAdvisory['modified'])) + 86_400_000);
  await importAdvisories(store, join(folder, 'lodash.json'), { now: importedAt });
  await store.close();
  return importedAt;
}

describe('vulns collector', () => {
  it('is unknown, saying how to provide the data, when no advisory database exists', async () => {
    const context = { now: testNow };
    const collected = await facts(testNow);
    for (const check of [vulnsDatabaseFresh, vulnsNoOverdue]) {
      const result = check.evaluate(collected, defaultPolicy(), context);
      expect(result.status, check.id).toBe('unknown');
      expect(result.howToProvide).toContain('shipguard advisories sync');
    }
  });

  it('fails on an overdue vulnerability, and on stale data fails freshness and is unknown for overdue', async () => {
    const importedAt = await importLodashAdvisory();
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
    // The same database read 30 days later (31 days after its newest record): the collector
    // measures its age on the given clock.
    const later = { now: new Date(importedAt.getTime() + 30 * 86_400_000) };
    const stale = await facts(later.now);
    expect(stale.database.ageDays).toBe(31);
    expect(vulnsDatabaseFresh.evaluate(stale, defaultPolicy(), later).status).toBe('fail');
    expect(vulnsNoOverdue.evaluate(stale, defaultPolicy(), later).status).toBe('unknown');
  });
});

describe('vulns collector and VEX kept in the repository', () => {
  it('applies a matching statement, and says which statements matched nothing and which files could not be read', async () => {
    const importedAt = await importLodashAdvisory();
    const statement = (name: string, product: string) => ({
      vulnerability: { name },
      products: [{ '@id': 'pkg:github/example/app', subcomponents: [{ '@id': product }] }],
      status: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
    });
    repository.write({
      'app.openvex.json': JSON.stringify({
        '@context': 'https://openvex.dev/ns/v0.2.0',
        statements: [
          statement('GHSA-lodash-0001', 'pkg:npm/lodash@4.17.20'),
          statement('GHSA-nope-0000', 'pkg:npm/lodash@4.17.20'),
        ],
      }),
      'broken.vex.json': '{"bomFormat": ',
    });
    repository.commit('vex');
    const snapshot = await RepositorySnapshot.open(repository.path);
    const access = createStoreAccess({ kind: 'sqlite', path: dbPath });
    accesses.push(access);
    const collected = await vulnsCollector.collect(snapshot, defaultPolicy(), {
      now: importedAt,
      store: access,
    });
    expect(collected.findings.map((finding) => [finding.id, finding.vex?.status])).toEqual([
      ['GHSA-lodash-0001', 'not_affected'],
    ]);
    expect(collected.vexUnmatched.map((item) => item.vulnerabilities)).toEqual([['GHSA-nope-0000']]);
    expect(snapshot.problems.map((problem) => [problem.code, problem.location?.path])).toEqual(
      expect.arrayContaining([
        ['VEX_UNREADABLE', 'broken.vex.json'],
        ['VEX_STATEMENT_UNMATCHED', 'app.openvex.json'],
      ]),
    );
  });
});
