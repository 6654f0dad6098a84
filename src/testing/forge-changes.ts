import type { Change } from '../source-control/index.js';

/** Carol's commit, squash-merged from GitHub pull request #12 (read from its subject). */
export function squashedChange(overrides: Partial<Change> = {}): Change {
  return {
    commit: 'a'.repeat(40),
    parents: ['b'.repeat(40)],
    author: { name: 'Carol', email: 'carol@example.com' },
    authorTime: 0,
    committer: { name: 'Carol', email: 'carol@example.com' },
    committerTime: 0,
    subject: 'Add e (#12)',
    trailers: [],
    mergeTagCount: 0,
    request: { system: 'github', via: 'squash-subject', number: 12 },
    ...overrides,
  };
}
