import { truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../../kernel/index.js';
import { defaultPolicy } from '../../policy/index.js';
import { loadRuleSet, maxFileBytes, rulesDigest, storeCleanBlobCache } from '../../secrets/index.js';
import { createStoreAccess } from '../../store/index.js';
import { testNow } from '../../testing/evaluate-collector.js';
import { fakeCredentials } from '../../testing/fake-credentials.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { historyClean } from './checks.js';
import { secretsCollector } from './index.js';

const context = { now: new Date('2026-06-01T00:00:00Z') };
let repository: TestRepository;
afterEach(() => repository.remove());

async function runChecks(path: string) {
  const snapshot = await RepositorySnapshot.open(path);
  const facts = await secretsCollector.collect(snapshot, defaultPolicy(), { now: testNow });
  return Object.fromEntries(
    secretsCollector.checks.map((check) => [check.id, check.evaluate(facts, defaultPolicy(), context)]),
  );
}

describe('secrets collector', () => {
  it('passes a clean repository', async () => {
    repository = createTestRepository();
    repository.write({ 'README.md': '# demo\npassword = "changeme"\n' });
    repository.commit('initial');
    const results = await runChecks(repository.path);
    expect(results['secrets/working-tree-clean']?.status).toBe('pass');
    expect(results['secrets/history-clean']?.status).toBe('pass');
  });

  it('is unknown, not clean, when a working-tree file could not be scanned', async () => {
    repository = createTestRepository();
    repository.write({ 'README.md': '# demo\n' });
    repository.commit('initial');
    // Sparse: over the scanner's size limit without taking the disk space.
    repository.write({ 'dump.sql': '' });
    truncateSync(join(repository.path, 'dump.sql'), maxFileBytes + 1);
    const results = await runChecks(repository.path);
    expect(results['secrets/working-tree-clean']?.status).toBe('unknown');
    expect(results['secrets/history-clean']?.status).toBe('pass');
    // A leak found beside the file not read still fails.
    const [leak] = fakeCredentials(31);
    repository.write({ [leak?.path ?? 'a']: leak?.content ?? '' });
    expect((await runChecks(repository.path))['secrets/working-tree-clean']?.status).toBe('fail');
  });

  it('passes a tree whose only credentials are test credentials to local services, naming them', async () => {
    repository = createTestRepository();
    // Built at run time, so this file holds no credential-shaped literal.
    const local = ['postgres://postgres', 'postgres@localhost:5432/app'].join(':');
    repository.write({
      'docker-compose.yml': `services:\n  app:\n    environment:\n      DATABASE_URL: ${local}\n`,
    });
    repository.commit('compose');
    const results = await runChecks(repository.path);
    expect(results['secrets/working-tree-clean']?.status).toBe('pass');
    expect(results['secrets/working-tree-clean']?.summary).toContain(
      '1 test credential(s) to local services (low)',
    );
    // The same holds for history: a test credential is not a leak there either.
    expect(results['secrets/history-clean']?.status).toBe('pass');
    expect(results['secrets/history-clean']?.summary).toContain(
      '1 test credential(s) to local services (low)',
    );
  });

  it('scans the whole history within assess, remembering clean blobs in the store for the next run', async () => {
    repository = createTestRepository();
    for (let index = 0; index < 30; index++) {
      repository.write({ [`src/file-${index}.ts`]: `export const value${index} = ${index};\n` });
      repository.commit(`commit ${index}`);
    }
    const [credential] = fakeCredentials(33);
    repository.write({ [credential?.path ?? 'a']: credential?.content ?? '' });
    repository.commit('leak');
    const store = createStoreAccess({ kind: 'sqlite', path: ':memory:' });
    await store.open();
    try {
      const snapshot = await RepositorySnapshot.open(repository.path);
      const first = await secretsCollector.collect(snapshot, defaultPolicy(), { now: testNow, store });
      const again = await secretsCollector.collect(snapshot, defaultPolicy(), { now: testNow, store });
      for (const facts of [first, again]) {
        const history = historyClean.evaluate(facts, defaultPolicy(), context);
        expect(history.status).toBe('fail');
        expect(history.findings.map((finding) => finding.location?.path)).toEqual([credential?.path]);
        // The working tree is judged whole: the 30 clean files from the history's verdict, the
        // credential's file read again because it is not clean.
        const workingTree = secretsCollector.checks
          .find((check) => check.id === 'secrets/working-tree-clean')
          ?.evaluate(facts, defaultPolicy(), context);
        expect(workingTree?.status).toBe('fail');
        expect(workingTree?.findings.map((finding) => finding.location?.path)).toEqual([credential?.path]);
        expect(facts.workingTree).toMatchObject({ status: 'scanned', scanned: 31 });
      }
      // Every blob of HEAD is remembered clean, but the credential's.
      const blobs = new Map(
        repository
          .git('ls-tree', '-r', 'HEAD')
          .trim()
          .split('\n')
          .map((line) => {
            const [meta = '', path = ''] = line.split('\t');
            return [path, meta.split(' ')[2] ?? ''] as const;
          }),
      );
      const digest = rulesDigest(await loadRuleSet(repository.path));
      const clean = await storeCleanBlobCache(await store.open()).clean(digest, [...blobs.values()]);
      expect(clean.size).toBe(30);
      expect(clean.has(blobs.get(credential?.path ?? 'a') ?? '')).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('fails history for a removed secret and the working tree for a present one, without printing them', async () => {
    repository = createTestRepository();
    const [removed, present] = fakeCredentials(31);
    repository.write({ [removed?.path ?? 'a']: removed?.content ?? '' });
    const leak = repository.commit('leak');
    repository.git('rm', '--quiet', removed?.path ?? 'a');
    repository.write({ [present?.path ?? 'b']: present?.content ?? '' });
    repository.commit('another');
    const results = await runChecks(repository.path);
    const tree = results['secrets/working-tree-clean'];
    expect(tree?.status).toBe('fail');
    expect(tree?.findings.map((finding) => [finding.location?.path, finding.severity])).toEqual([
      [present?.path, 'critical'],
    ]);
    const history = results['secrets/history-clean'];
    expect(history?.status).toBe('fail');
    expect(history?.evidence).toContainEqual(
      expect.objectContaining({ kind: 'commit', commit: leak, path: removed?.path }),
    );
    const text = JSON.stringify(results);
    expect(text.includes(removed?.secret ?? '?')).toBe(false);
    expect(text.includes(present?.secret ?? '?')).toBe(false);
  });

  it('scans a folder outside git and says history is unknown', async () => {
    repository = createTestRepository({ git: false });
    const [credential] = fakeCredentials(32);
    repository.write({ [credential?.path ?? 'a']: credential?.content ?? '' });
    const results = await runChecks(repository.path);
    expect(results['secrets/working-tree-clean']?.status).toBe('fail');
    expect(results['secrets/history-clean']?.status).toBe('unknown');
    expect(results['secrets/history-clean']?.howToProvide).toContain('shipguard secrets --history');
  });
});
