import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A real git repository in a temporary folder, built with the git binary, for tests.
 * `using repo = createTestRepository()` or call `remove()` in afterEach.
 */
export interface TestRepository {
  path: string;
  /** Writes files (path → content) relative to the repository root, creating folders. */
  write(files: Record<string, string | Buffer>): void;
  /** Runs git with arguments and returns trimmed stdout. */
  git(...args: string[]): string;
  /** Stages everything and commits; returns the new commit id. */
  commit(message: string, options?: { author?: string; date?: string; committed?: string }): string;
  /** Merges `branch` into the current branch with a merge commit (`--no-ff`); returns its id. */
  merge(branch: string, message: string): string;
  remove(): void;
  [Symbol.dispose](): void;
}

/** The git identity and configuration every test repository uses (no user or system config). */
export const fixedEnvironment = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Ada Tester',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada Tester',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
};

export function createTestRepository(options: { git?: boolean } = {}): TestRepository {
  const path = mkdtempSync(join(tmpdir(), 'shipguard-test-'));
  const env = { ...process.env, ...fixedEnvironment };
  const gitWith = (extra: Record<string, string>, args: string[]): string =>
    execFileSync('git', args, {
      cwd: path,
      env: { ...env, ...extra },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  const git = (...args: string[]): string => gitWith({}, args);
  if (options.git !== false) git('init', '--quiet', '--initial-branch=main');
  const repository: TestRepository = {
    path,
    write(files) {
      for (const [file, content] of Object.entries(files)) {
        const target = join(path, file);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, content);
      }
    },
    git,
    commit(message, commitOptions = {}) {
      git('add', '--all');
      const args = ['commit', '--quiet', '--allow-empty', '--no-gpg-sign', '-m', message];
      if (commitOptions.author) args.push(`--author=${commitOptions.author}`);
      if (commitOptions.date) args.push(`--date=${commitOptions.date}`);
      // `committed` sets the committer date too: history windows select by it.
      gitWith(commitOptions.committed ? { GIT_COMMITTER_DATE: commitOptions.committed } : {}, args);
      return git('rev-parse', 'HEAD');
    },
    merge(branch, message) {
      git('merge', '--quiet', '--no-ff', branch, '-m', message);
      return git('rev-parse', 'HEAD');
    },
    remove() {
      rmSync(path, { recursive: true, force: true });
    },
    [Symbol.dispose]() {
      repository.remove();
    },
  };
  return repository;
}

/** git options that sign the next commit or merge (`-S`) with an SSH key file. */
export function signingWith(sshKey: string): string[] {
  return ['-c', 'gpg.format=ssh', '-c', `user.signingkey=${sshKey}`];
}
