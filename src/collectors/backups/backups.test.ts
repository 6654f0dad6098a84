import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../../kernel/index.js';
import { defaultPolicy, loadPolicy } from '../../policy/index.js';
import { testNow } from '../../testing/evaluate-collector.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { backupsCollector } from './index.js';

/** The policy as the engine would load it from the test repository's shipguard.yaml. */
async function policyOf(root: string) {
  return (await loadPolicy(root)).policy;
}

let repository: TestRepository;
afterEach(() => repository.remove());

async function evaluate(now = new Date()) {
  const facts = await backupsCollector.collect(
    await RepositorySnapshot.open(repository.path),
    await policyOf(repository.path),
    { now: testNow },
  );
  return backupsCollector.checks[0]?.evaluate(facts, defaultPolicy(), { now });
}

describe('backups collector', () => {
  it('is unknown, saying how to provide it, when no backup is named', async () => {
    repository = createTestRepository();
    repository.commit('one');
    const result = await evaluate();
    expect(result?.status).toBe('unknown');
    expect(result?.howToProvide).toContain('backups.locations');
  });

  it('passes a current bundle and fails a mirror missing changes older than the limit', async () => {
    repository = createTestRepository();
    repository.commit('one', { date: '2026-01-01T00:00:00Z' });
    repository.git(
      'clone',
      '--quiet',
      '--mirror',
      repository.path,
      join(repository.path, '.git', 'mirror.git'),
    );
    repository.git('bundle', 'create', '--quiet', join(repository.path, '.git', 'backup.bundle'), '--all');
    writeFileSync(
      join(repository.path, 'shipguard.yaml'),
      'backups:\n  locations: [.git/backup.bundle, .git/mirror.git, missing.bundle]\n  maxAgeDays: 7\n',
    );
    const facts = await backupsCollector.collect(
      await RepositorySnapshot.open(repository.path),
      await policyOf(repository.path),
      { now: testNow },
    );
    expect(facts.state === 'read' && facts.locations.map((location) => location.state)).toEqual([
      'current',
      'current',
      'missing',
    ]);

    writeFileSync(
      join(repository.path, 'shipguard.yaml'),
      'backups:\n  locations: [.git/mirror.git]\n  maxAgeDays: 7\n',
    );
    expect((await evaluate())?.status).toBe('pass');
    repository.git('add', '--all');
    repository.git('-c', 'user.name=x', 'commit', '--quiet', '-m', 'later');
    const stale = await evaluate(new Date(Date.now() + 30 * 24 * 60 * 60 * 1000));
    expect(stale?.status).toBe('fail');
    expect(stale?.findings[0]?.message).toContain('behind');
  });

  it('refuses a backup that is neither a file nor a folder (a FIFO, a device) at once, not after git times out', async () => {
    repository = createTestRepository();
    repository.commit('one');
    execFileSync('mkfifo', [join(repository.path, '.git', 'backup.fifo')]);
    writeFileSync(
      join(repository.path, 'shipguard.yaml'),
      'backups:\n  locations: [.git/backup.fifo, /dev/zero]\n  maxAgeDays: 7\n',
    );
    const started = Date.now();
    const facts = await backupsCollector.collect(
      await RepositorySnapshot.open(repository.path),
      await policyOf(repository.path),
      { now: testNow },
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(
      facts.state === 'read' && facts.locations.map((location) => [location.state, location.detail]),
    ).toEqual([
      ['invalid', 'not a regular file or a folder (a FIFO)'],
      ['invalid', 'not a regular file or a folder (a device)'],
    ]);
  }, 150_000);
});
