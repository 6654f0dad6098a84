import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../../kernel/index.js';
import { defaultPolicy } from '../../policy/index.js';
import { testNow } from '../../testing/evaluate-collector.js';
import { fixedEnvironment, type TestRepository } from '../../testing/git-repository.js';
import { temporaryRepositories } from '../../testing/temporary-repositories.js';
import { repositoryCollector } from './index.js';

const context = { now: new Date('2026-11-22T00:00:00Z') };
const temporaryRepository = temporaryRepositories();

function newRepository(options: { git?: boolean } = {}): TestRepository {
  const repository = temporaryRepository(options);
  return repository;
}

/** Commits with both dates set, since the collector reads committer dates. */
function commitAt(repository: TestRepository, message: string, date: string): void {
  repository.git('add', '--all');
  execFileSync('git', ['commit', '--quiet', '--allow-empty', '--no-gpg-sign', '-m', message], {
    cwd: repository.path,
    env: {
      ...process.env,
      ...fixedEnvironment,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    },
  });
}

async function evaluate(path: string) {
  const snapshot = await RepositorySnapshot.open(path);
  const facts = await repositoryCollector.collect(snapshot, defaultPolicy(), { now: testNow });
  const [check] = repositoryCollector.checks;
  if (!check) throw new Error('repository has no check');
  return { facts, result: check.evaluate(facts, defaultPolicy(), context) };
}

describe('repository/version-controlled', () => {
  it('passes for a repository with commits, citing HEAD, the count and the dates', async () => {
    const repository = newRepository();
    repository.write({ 'README.md': '# one\n' });
    commitAt(repository, 'first', '2024-01-15T10:00:00Z');
    repository.write({ 'README.md': '# two\n' });
    commitAt(repository, 'second', '2024-02-15T10:00:00Z');
    repository.write({ 'README.md': '# three\n' });
    commitAt(repository, 'third', '2024-03-15T10:00:00Z');
    const head = repository.git('rev-parse', 'HEAD');
    const { facts, result } = await evaluate(repository.path);
    expect(facts).toMatchObject({
      isGitRepository: true,
      head,
      branch: 'main',
      shallow: false,
      commitCount: 3,
      firstCommitDate: '2024-01-15T10:00:00.000Z',
      lastCommitDate: '2024-03-15T10:00:00.000Z',
    });
    expect(result.status).toBe('pass');
    expect(result.summary).toBe('git repository with 3 commits from 2024-01-15 to 2024-03-15');
    expect(result.evidence).toEqual([{ kind: 'commit', commit: head, note: 'HEAD of main, 3 commits' }]);
  });

  it('notes a shallow clone in the summary', async () => {
    const origin = newRepository();
    for (const month of ['01', '02', '03']) {
      origin.write({ 'CHANGELOG.md': `${month}\n` });
      commitAt(origin, `release ${month}`, `2025-${month}-01T00:00:00Z`);
    }
    const clone = newRepository({ git: false });
    clone.git('clone', '--quiet', '--depth', '1', `file://${origin.path}`, 'copy');
    const { facts, result } = await evaluate(join(clone.path, 'copy'));
    expect(facts.shallow).toBe(true);
    expect(facts.commitCount).toBe(1);
    expect(result.status).toBe('pass');
    expect(result.summary).toContain('shallow clone');
  });

  it('fails for a folder that is not under version control, with the absence of .git as evidence', async () => {
    const folder = newRepository({ git: false });
    folder.write({ 'main.py': 'print(1)\n' });
    const { facts, result } = await evaluate(folder.path);
    expect(facts.isGitRepository).toBe(false);
    expect(result.status).toBe('fail');
    expect(result.evidence).toEqual([
      { kind: 'absence', lookedFor: ['.git'], in: 'the assessed folder and its parents' },
    ]);
    expect(result.findings[0]?.severity).toBe('high');
  });

  it('is unknown for a repository without commits', async () => {
    const repository = newRepository();
    repository.write({ 'README.md': '# new\n' });
    const { result } = await evaluate(repository.path);
    expect(result.status).toBe('unknown');
    expect(result.howToProvide).toMatch(/Commit/);
  });

  it('passes for a package folder inside a larger repository', async () => {
    const repository = newRepository();
    repository.write({ 'packages/api/index.ts': 'export {};\n' });
    commitAt(repository, 'first', '2025-05-01T00:00:00Z');
    const head = repository.git('rev-parse', 'HEAD');
    const { facts, result } = await evaluate(join(repository.path, 'packages/api'));
    expect(facts.isGitRepository).toBe(false);
    expect(result.status).toBe('pass');
    expect(result.evidence[0]).toMatchObject({ kind: 'commit', commit: head });
  });
});
