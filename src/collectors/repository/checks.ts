import { failed, findingOf, passed, unknown } from '../results.js';
import type { Check } from '../types.js';
import type { RepositoryFacts } from './collect.js';

export const repositoryVersionControlled: Check<RepositoryFacts> = {
  id: 'repository/version-controlled',
  title: 'The code is under version control',
  severity: 'high',
  remediation:
    'Put the code under git (git init, commit) and keep it on a hosted repository with access control, so every change has an author and a history.',
  evaluate(facts) {
    if (facts.enclosingRepository) {
      const { head, topLevel } = facts.enclosingRepository;
      if (head) {
        return passed(this.id, 'the folder is part of a larger git repository', [
          { kind: 'commit', commit: head, note: `HEAD of the enclosing repository at ${topLevel}` },
        ]);
      }
      return unknown(
        this.id,
        'the folder is inside a git repository that has no commits yet',
        'Commit the work, then assess again.',
      );
    }
    if (!facts.isGitRepository) {
      return failed(
        this.id,
        'the folder is not under version control',
        [{ kind: 'absence', lookedFor: ['.git'], in: 'the assessed folder and its parents' }],
        [findingOf(this, 'The code is not in a git repository.', { key: 'not-version-controlled' })],
      );
    }
    if (!facts.head) {
      return unknown(
        this.id,
        'a git repository with no commits yet',
        'Commit the work, then assess again; history-based evidence needs at least one commit.',
      );
    }
    const count = facts.commitCount ?? 0;
    const span =
      facts.firstCommitDate && facts.lastCommitDate
        ? ` from ${facts.firstCommitDate.slice(0, 10)} to ${facts.lastCommitDate.slice(0, 10)}`
        : '';
    const shallow = facts.shallow ? ' (a shallow clone: only the fetched history is counted)' : '';
    const commits = `${count} commit${count === 1 ? '' : 's'}`;
    return passed(this.id, `git repository with ${commits}${span}${shallow}`, [
      {
        kind: 'commit',
        commit: facts.head,
        note: facts.branch ? `HEAD of ${facts.branch}, ${commits}` : `HEAD (detached), ${commits}`,
      },
    ]);
  },
};
