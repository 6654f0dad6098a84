import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../testing/fake-credentials.js';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { readSecretsConfigAt, scanCommit } from './commit-scan.js';
import { defaultRuleSet } from './rules/default-rules.js';

let repository: TestRepository;
afterEach(() => repository?.remove());

describe('scanCommit', () => {
  it("scans the commit's tree, not the working tree, and follows no symbolic link", async () => {
    const [credential, other] = fakeCredentials(11);
    if (!credential || !other) throw new Error('no fake credentials');
    repository = createTestRepository();
    repository.write({ [credential.path]: credential.content, 'README.md': '# app\n' });
    symlinkSync('/etc/passwd', join(repository.path, 'link'));
    const commit = repository.commit('initial');
    // Deleted from the working tree, and another secret only in the working tree: neither changes it.
    rmSync(join(repository.path, credential.path));
    repository.write({ [`untracked/${other.path}`]: other.content });
    const report = await scanCommit({
      root: repository.path,
      commit,
      rules: defaultRuleSet(),
      ignore: new Set(),
    });
    expect(report.mode).toBe('commit');
    expect(report.partial).toBe(false);
    expect(report.findings.map((finding) => [finding.ruleId, finding.path])).toEqual([
      [credential.ruleId, credential.path],
    ]);
    const ignored = await scanCommit({
      root: repository.path,
      commit,
      rules: defaultRuleSet(),
      ignore: new Set(report.findings.map((finding) => finding.id)),
    });
    expect(ignored.findings).toEqual([]);
    expect(ignored.ignored).toBe(1);
  });

  it('reads .gitleaks.toml and .gitleaksignore from the given revision, not the working tree', async () => {
    repository = createTestRepository();
    repository.write({ '.gitleaksignore': '# none\nabc:rule:1\n' });
    const commit = repository.commit('initial');
    repository.write({ '.gitleaksignore': 'changed-in-the-working-tree\n' });
    const config = await readSecretsConfigAt(repository.path, commit);
    expect([...config.ignore]).toEqual(['abc:rule:1']);
    expect(config.rules.rules.length).toBe(defaultRuleSet().rules.length);
  });

  it("reads an [extend] path of the revision's .gitleaks.toml from the revision, not the working tree", async () => {
    repository = createTestRepository();
    repository.write({
      '.gitleaks.toml': '[extend]\npath = "gitleaks/base.toml"\n',
      'gitleaks/base.toml': '[extend]\nuseDefault = true\n',
    });
    const commit = repository.commit('initial');
    // The branch being judged empties the file the protected configuration extends.
    repository.write({ 'gitleaks/base.toml': 'title = "no rules"\n' });
    const config = await readSecretsConfigAt(repository.path, commit);
    expect(config.rules.rules.length).toBe(defaultRuleSet().rules.length);
  });
});
