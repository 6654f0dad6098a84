import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { containsCredential } from '../kernel/index.js';
import { type FakeCredential, fakeCredentials } from '../testing/fake-credentials.js';
import type { TestRepository } from '../testing/git-repository.js';
import { describeOnEveryStore, storePerTest } from '../testing/store-backends.js';
import { temporaryRepositories } from '../testing/temporary-repositories.js';
import { type CleanBlobCache, memoryCleanBlobCache, storeCleanBlobCache } from './clean-blobs.js';
import { scanHistory } from './history.js';
import type { SecretScanReport } from './report.js';
import { defaultRuleSet } from './rules/default-rules.js';
import { parseSettledHistory, type SettledHistories, type SettledHistory } from './settled-history.js';

/**
 * Decision 0017: a scan of a history whose refs, HEAD and rules have not moved starts from what
 * the last scan left to read; the report must be the one a walk gives.
 */
const newRepository = temporaryRepositories();
const [kept, edited, later] = fakeCredentials(3) as [FakeCredential, FakeCredential, FakeCredential];

/**
 * A history with each case attribution handles: a secret still at HEAD, one edited in several
 * versions and then removed, a key store found by its name alone, a clean file, and a branch.
 */
function repositoryWithSecrets(): TestRepository {
  const repo = newRepository();
  repo.write({ 'README.md': '# demo\n', [kept.path]: kept.content });
  repo.commit('initial');
  for (let edit = 0; edit < 4; edit++) {
    repo.write({ 'config/app.txt': `# revision ${edit}\n${edited.content}` });
    repo.commit(`edit ${edit}`);
  }
  repo.write({ 'certs/client.p12': 'not really a key store\n' });
  repo.commit('add a key store');
  repo.git('checkout', '--quiet', '-b', 'feature');
  repo.write({ 'feature.txt': 'a feature\n' });
  repo.commit('on a branch');
  repo.git('checkout', '--quiet', 'main');
  repo.write({ 'config/app.txt': '# no secret here any more\n' });
  repo.commit('remove');
  return repo;
}

/** A scan of `repo` with the default rules and `cleanBlobs`. */
function defaults(repo: TestRepository, cleanBlobs: CleanBlobCache) {
  return { root: repo.path, rules: defaultRuleSet(), cleanBlobs };
}

/** What a report says, without its timings. */
function verdict(report: SecretScanReport) {
  return {
    partial: report.partial,
    commits: report.stats.commits,
    findings: report.findings.map(({ id, ruleId, commit, author, date, path, line, column, presence }) => ({
      id,
      ruleId,
      commit,
      author,
      date,
      path,
      line,
      column,
      presence,
    })),
  };
}

/** The cache, with every settled history it is asked to remember kept for the test to look at. */
function watched(cache: CleanBlobCache) {
  const kept = cache.settledHistories;
  if (!kept) throw new Error('this cache keeps no settled history');
  const remembered: Array<{ scope: string; key: string; settled: SettledHistory }> = [];
  let hits = 0;
  const histories: SettledHistories = {
    async find(key) {
      const settled = await kept.find(key);
      if (settled) hits++;
      return settled;
    },
    async remember(scope, key, settled) {
      remembered.push({ scope, key, settled });
      await kept.remember(scope, key, settled);
    },
  };
  return { cache: { ...cache, settledHistories: histories }, histories, remembered, hits: () => hits };
}

await describeOnEveryStore('settled histories', (name, backend) => {
  describe(name, () => {
    const open = storePerTest(backend);

    it('are started from when nothing moved, and give the report a walk gives', async () => {
      const repo = repositoryWithSecrets();
      const rules = defaultRuleSet();
      const walked = await scanHistory({ root: repo.path, rules });
      const { cache, remembered, hits } = watched(storeCleanBlobCache(await open()));

      const cold = await scanHistory({ root: repo.path, rules, cleanBlobs: cache });
      const warm = await scanHistory({ root: repo.path, rules, cleanBlobs: cache });
      expect(verdict(cold)).toEqual(verdict(walked));
      expect(verdict(warm)).toEqual(verdict(walked));
      expect(hits()).toBe(1);
      // Only the first run walked and remembered; what is left is the first version holding the
      // edited secret (later versions add nothing, HEAD's is clean) and the secret HEAD still has.
      expect(remembered).toHaveLength(1);
      expect(warm.stats.scanned).toBe(2);
      expect(remembered[0]?.settled.oids).toHaveLength(2);
      expect(warm.stats.cached).toBe(cold.stats.scanned - 2);
      expect(warm.findings.map((finding) => finding.ruleId)).toContain('pkcs12-file');
      expect(warm.findings.find((finding) => finding.path === 'config/app.txt')?.presence).toBe('removed');
      expect(warm.findings.find((finding) => finding.path === kept.path)?.presence).toBe('present');
    });

    it('are what the next scan reports from, not a walk', async () => {
      const repo = repositoryWithSecrets();
      const rules = defaultRuleSet();
      const { cache, histories, remembered } = watched(storeCleanBlobCache(await open()));
      await scanHistory({ root: repo.path, rules, cleanBlobs: cache });
      const [first] = remembered;
      if (!first) throw new Error('nothing remembered');
      // A walk would count the commits again; the settled history's count is what is reported.
      await histories.remember(first.scope, first.key, { ...first.settled, commits: 999 });
      const next = await scanHistory({ root: repo.path, rules, cleanBlobs: cache });
      expect(next.stats.commits).toBe(999);
    });

    it('are walked again when a ref moves, appears or goes, or the rules change', async () => {
      const repo = repositoryWithSecrets();
      const rules = defaultRuleSet();
      const { cache, histories, remembered, hits } = watched(storeCleanBlobCache(await open()));
      await scanHistory({ root: repo.path, rules, cleanBlobs: cache });

      repo.write({ 'later.txt': later.content });
      const added = repo.commit('add a later secret');
      const moved = await scanHistory({ root: repo.path, rules, cleanBlobs: cache });
      expect(moved.findings.find((finding) => finding.commit === added)?.path).toBe('later.txt');

      repo.git('branch', 'another');
      await scanHistory({ root: repo.path, rules, cleanBlobs: cache });
      repo.git('tag', 'v1', 'feature');
      await scanHistory({ root: repo.path, rules, cleanBlobs: cache });
      repo.git('branch', '--quiet', '-D', 'feature');
      const deleted = await scanHistory({ root: repo.path, rules, cleanBlobs: cache });
      const otherRules = { ...rules, rules: rules.rules.filter((rule) => rule.id !== 'pkcs12-file') };
      const underOther = await scanHistory({ root: repo.path, rules: otherRules, cleanBlobs: cache });
      expect(underOther.findings.map((finding) => finding.ruleId)).not.toContain('pkcs12-file');

      expect(hits()).toBe(0);
      expect(new Set(remembered.map(({ key }) => key)).size).toBe(6);
      // One repository, one row: the last state replaces the earlier ones.
      expect(new Set(remembered.map((entry) => entry.scope)).size).toBe(1);
      expect(await histories.find(remembered[4]?.key as string)).toBeUndefined();
      const last = remembered[5];
      expect(await histories.find(last?.key as string)).toEqual(last?.settled);
      // And the state last walked is started from again.
      const before = hits();
      const again = await scanHistory({ root: repo.path, rules: otherRules, cleanBlobs: cache });
      expect(hits()).toBe(before + 1);
      expect(verdict(again)).toEqual(verdict(underOther));
      expect(verdict(deleted).findings.length).toBeGreaterThan(0);
    });

    it('are started from in another clone of the same history (another fleet worker)', async () => {
      const origin = repositoryWithSecrets();
      const [first, second] = [newRepository(), newRepository()];
      for (const clone of [first, second]) {
        rmSync(clone.path, { recursive: true, force: true });
        origin.git('clone', '--quiet', `file://${origin.path}`, clone.path);
      }
      const rules = defaultRuleSet();
      const walked = await scanHistory({ root: second.path, rules });
      const { cache, remembered, hits } = watched(storeCleanBlobCache(await open()));
      await scanHistory({ root: first.path, rules, cleanBlobs: cache });
      const started = await scanHistory({ root: second.path, rules, cleanBlobs: cache });
      expect(remembered).toHaveLength(1);
      expect(hits()).toBe(1);
      expect(verdict(started)).toEqual(verdict(walked));
      expect(verdict(started).findings.length).toBeGreaterThan(0);
      // A clone whose refs differ (a branch of its own) is walked, not started from the other's row.
      second.git('branch', 'local-only');
      await scanHistory({ root: second.path, rules, cleanBlobs: cache });
      expect(hits()).toBe(1);
      expect(new Set(remembered.map((entry) => entry.scope)).size).toBe(2);
    });

    it('are not kept from a scan that stopped at its time budget, of a shallow clone or of a range', async () => {
      const repo = repositoryWithSecrets();
      const { cache, remembered } = watched(storeCleanBlobCache(await open()));
      const stopped = await scanHistory({ ...defaults(repo, cache), timeBudgetMs: 0 });
      expect(stopped.partial).toBe(true);
      await scanHistory({ ...defaults(repo, cache), since: 'HEAD~2' });
      expect(remembered).toHaveLength(0);

      const clone = newRepository();
      rmSync(clone.path, { recursive: true, force: true });
      repo.git('clone', '--quiet', '--depth', '1', `file://${repo.path}`, clone.path);
      const shallow = await scanHistory(defaults(clone, cache));
      expect(shallow.partial).toBe(true);
      expect(remembered).toHaveLength(0);
    });

    it('are not kept when larger than the store keeps', async () => {
      const repo = repositoryWithSecrets();
      const { cache, remembered, hits } = watched(
        storeCleanBlobCache(await open(), { maxSettledBytes: 100 }),
      );
      await scanHistory(defaults(repo, cache));
      const again = await scanHistory(defaults(repo, cache));
      // Asked to remember twice (each scan walked), kept neither time.
      expect(remembered).toHaveLength(2);
      expect(hits()).toBe(0);
      expect(again.findings.length).toBeGreaterThan(0);
    });

    it('are not kept when a path in them holds a credential (the store holds none)', async () => {
      const repo = repositoryWithSecrets();
      const path = `notes/ghp_${'a1B2c3D4e5'.repeat(4).slice(0, 36)}.txt`;
      expect(containsCredential(path)).toBe(true);
      repo.write({ [path]: edited.content });
      repo.commit('a file named after a token');
      const { cache, remembered, hits } = watched(storeCleanBlobCache(await open()));
      await scanHistory(defaults(repo, cache));
      await scanHistory(defaults(repo, cache));
      expect(remembered).toHaveLength(2);
      expect(hits()).toBe(0);
    });

    it('are deleted for a repository not scanned for 90 days, once another is written', async () => {
      let today = new Date('2026-01-01T00:00:00Z');
      const histories = storeCleanBlobCache(await open(), { now: () => today }).settledHistories;
      if (!histories) throw new Error('the store keeps no settled history');
      const settled: SettledHistory = {
        commits: 1,
        cached: 0,
        authors: {},
        introductions: [],
        oids: [],
        bases: [],
      };
      await histories.remember('/old/.git', 'k1', settled);
      today = new Date('2026-03-01T00:00:00Z');
      await histories.remember('/recent/.git', 'k2', settled);
      expect(await histories.find('k1')).toEqual(settled);
      today = new Date('2026-04-15T00:00:00Z');
      await histories.remember('/new/.git', 'k3', settled);
      expect(await histories.find('k1')).toBeUndefined();
      expect(await histories.find('k2')).toEqual(settled);
      expect(await histories.find('k3')).toEqual(settled);
    });
  });
});

it('have no place in a cache that lives for one run', () => {
  expect(memoryCleanBlobCache().settledHistories).toBeUndefined();
});

describe('a stored settled history', () => {
  const valid: SettledHistory = {
    commits: 3,
    cached: 2,
    authors: { abc: { author: 'A <a@example.com>', date: '2026-01-01T00:00:00Z' } },
    introductions: [['abc', 'config/app.txt', 'b1']],
    oids: ['b0', 'b1'],
    bases: [['b1', 'b0']],
  };

  it('reads back what was written', () => {
    expect(parseSettledHistory(JSON.stringify(valid))).toEqual(valid);
  });

  it.each([
    ['not JSON', '{'],
    ['not an object', '[]'],
    ['a count that is not a number', JSON.stringify({ ...valid, commits: '3' })],
    ['an introduction of two fields', JSON.stringify({ ...valid, introductions: [['abc', 'b1']] })],
    ['a blob id that is not text', JSON.stringify({ ...valid, oids: ['b0', 1] })],
    ['a base pair of three', JSON.stringify({ ...valid, bases: [['b1', 'b0', 'x']] })],
    ['an author without a date', JSON.stringify({ ...valid, authors: { abc: { author: 'A' } } })],
  ])('is a miss when it is %s', (_label, text) => {
    expect(parseSettledHistory(text)).toBeUndefined();
  });
});
