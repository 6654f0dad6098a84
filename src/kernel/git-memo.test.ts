/**
 * The per-assessment git memo over a real repository: inside a scope the same question is asked
 * of git once (a commit made in between is not seen), outside it every call asks again; calls with
 * stdin and failed calls are never remembered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { runGitText, withGitMemo } from './git.js';

describe('withGitMemo', () => {
  let repository: TestRepository;

  beforeAll(() => {
    repository = createTestRepository();
    repository.write({ 'a.txt': 'one\n' });
    repository.commit('first');
  });
  afterAll(() => repository.remove());

  it('answers the same question once inside a scope, and afresh outside it', async () => {
    const before = await runGitText(repository.path, ['rev-parse', 'HEAD']);
    const [inside, insideAgain, outside] = await withGitMemo(async () => {
      const first = await runGitText(repository.path, ['rev-parse', 'HEAD']);
      repository.write({ 'a.txt': 'two\n' });
      repository.commit('second');
      const again = await runGitText(repository.path, ['rev-parse', 'HEAD']);
      return [first, again, await withGitMemo(() => runGitText(repository.path, ['rev-parse', 'HEAD']))];
    });
    expect(inside).toBe(before);
    expect(insideAgain).toBe(before);
    expect(outside).toBe(before); // a nested scope shares the outer one's answers
    expect(await runGitText(repository.path, ['rev-parse', 'HEAD'])).not.toBe(before);
  });

  it('never remembers a call with stdin or a failed call', async () => {
    await withGitMemo(async () => {
      const head = await runGitText(repository.path, ['rev-parse', 'HEAD']);
      const asked = (input: string) =>
        runGitText(repository.path, ['cat-file', '--batch-check'], { input: `${input}\n` });
      expect(await asked(head)).toContain('commit');
      expect(await asked('HEAD:a.txt')).toContain('blob');
      await expect(
        runGitText(repository.path, ['rev-parse', '--verify', 'refs/heads/later']),
      ).rejects.toThrow();
      repository.git('branch', 'later');
      expect(await runGitText(repository.path, ['rev-parse', '--verify', 'refs/heads/later'])).toBe(head);
    });
  });
});
