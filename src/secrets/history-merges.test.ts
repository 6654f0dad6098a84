import { describe, expect, it } from 'vitest';
import { type FakeCredential, fakeCredentials } from '../testing/fake-credentials.js';
import { temporaryRepositories } from '../testing/temporary-repositories.js';
import { scanHistory } from './history.js';
import { redactSecret } from './redact.js';
import { defaultRuleSet } from './rules/default-rules.js';

const repository = temporaryRepositories();

// Merges are read against their first parent only (history.ts): a blob a merge's tree holds is
// either its first parent's or new in the merge. These cases hold the scan to that reasoning.
describe('history scan of merges', () => {
  it('attributes a branch secret to the branch commit and a secret written in a merge to the merge', async () => {
    const repo = repository();
    const [onBranch, inCleanMerge, inResolution, onMain] = fakeCredentials(12).slice(0, 4) as [
      FakeCredential,
      FakeCredential,
      FakeCredential,
      FakeCredential,
    ];
    repo.write({ 'README.md': '# demo\n', 'shared.txt': 'base\n' });
    repo.commit('initial');

    repo.git('checkout', '--quiet', '-b', 'feature');
    repo.write({ [onBranch.path]: onBranch.content, 'shared.txt': 'feature side\n' });
    const branchCommit = repo.commit('on the branch');
    repo.git('checkout', '--quiet', 'main');
    repo.write({ [onMain.path]: onMain.content, 'shared.txt': 'main side\n' });
    const mainCommit = repo.commit('on main');

    // A conflicted merge, resolved with a secret in the file both sides changed.
    repo.git(
      '-c',
      'core.hooksPath=/dev/null',
      'merge',
      '--quiet',
      '--no-ff',
      '--no-commit',
      'feature',
      '--strategy-option=ours',
    );
    repo.write({ 'shared.txt': `resolved\n${inResolution.content}` });
    repo.git('add', 'shared.txt');
    const resolution = repo.commit('merge feature, resolved by hand');

    // A merge that adds a file neither parent had (an "evil" merge).
    repo.git('checkout', '--quiet', '-b', 'second', `${resolution}~1`);
    repo.write({ 'notes.txt': 'side work\n' });
    repo.commit('side work');
    repo.git('checkout', '--quiet', 'main');
    repo.git('merge', '--quiet', '--no-ff', '--no-commit', 'second');
    repo.write({ [inCleanMerge.path]: inCleanMerge.content });
    repo.git('add', inCleanMerge.path);
    const evilMerge = repo.commit('merge second');

    const report = await scanHistory({ root: repo.path, rules: defaultRuleSet() });
    const commitOf = (credential: FakeCredential) => {
      const sha256 = redactSecret(credential.secret).sha256;
      return report.findings
        .filter((finding) => finding.secret.sha256 === sha256)
        .map((finding) => [finding.ruleId, finding.path, finding.commit]);
    };
    expect(commitOf(onBranch)).toEqual([[onBranch.ruleId, onBranch.path, branchCommit]]);
    expect(commitOf(onMain)).toEqual([[onMain.ruleId, onMain.path, mainCommit]]);
    expect(commitOf(inResolution)).toEqual([[inResolution.ruleId, 'shared.txt', resolution]]);
    expect(commitOf(inCleanMerge)).toEqual([[inCleanMerge.ruleId, inCleanMerge.path, evilMerge]]);
    expect(report.stats.commits).toBe(6);
  });
});
