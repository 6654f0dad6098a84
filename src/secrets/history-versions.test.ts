import { describe, expect, it } from 'vitest';
import { type FakeCredential, fakeCredentials } from '../testing/fake-credentials.js';
import type { TestRepository } from '../testing/git-repository.js';
import { temporaryRepositories } from '../testing/temporary-repositories.js';
import { memoryCleanBlobCache } from './clean-blobs.js';
import { scanHistory } from './history.js';
import type { SecretScanReport } from './report.js';
import { defaultRuleSet } from './rules/default-rules.js';
import type { RuleSetSpec } from './rules/types.js';

/**
 * Decision 0012: a version holding no match its previous version at the same path does not hold
 * is skipped by later scans, and the report must not change for it.
 */
const newRepository = temporaryRepositories();

const [first, second] = fakeCredentials(5) as [FakeCredential, FakeCredential];

/** A config file holding `first`'s secret, edited in many commits that keep it. */
function repositoryWithEditedSecret(edits = 6): { repo: TestRepository; commits: string[] } {
  const repo = newRepository();
  const commits: string[] = [];
  repo.write({ 'README.md': '# demo\n' });
  commits.push(repo.commit('initial'));
  for (let edit = 0; edit < edits; edit++) {
    repo.write({ 'config/app.txt': `# revision ${edit}\n${first.content}` });
    commits.push(repo.commit(`edit ${edit}`));
  }
  return { repo, commits };
}

/** What a report says, without its timings. */
function verdict(report: SecretScanReport) {
  return report.findings.map(({ id, commit, path, line, presence, severity }) => ({
    id,
    commit,
    path,
    line,
    presence,
    severity,
  }));
}

async function twice(root: string, rules: RuleSetSpec = defaultRuleSet()) {
  const cleanBlobs = memoryCleanBlobCache();
  const cold = await scanHistory({ root, rules, cleanBlobs });
  const warm = await scanHistory({ root, rules, cleanBlobs });
  return { cold, warm };
}

describe('versions with nothing new beyond their previous version', () => {
  it('are not read again, and the findings stay the same (first commit, HEAD presence)', async () => {
    const { repo, commits } = repositoryWithEditedSecret();
    // HEAD removes the secret: presence must still be judged on HEAD's own content.
    repo.write({ 'config/app.txt': '# no secret here any more\n' });
    repo.commit('remove');
    const { cold, warm } = await twice(repo.path);
    expect(verdict(warm)).toEqual(verdict(cold));
    const finding = cold.findings.find((item) => item.ruleId === first.ruleId);
    expect(finding?.commit).toBe(commits[1]);
    expect(finding?.presence).toBe('removed');
    // Of 8 blobs, the README and HEAD's version are clean and versions 2..6 hold nothing the
    // first did not: only the first version with the secret is read again.
    expect(cold.stats.scanned).toBe(8);
    expect(warm.stats.scanned).toBe(1);
  });

  it("are read when HEAD holds them, so presence is HEAD's", async () => {
    const { repo } = repositoryWithEditedSecret(3);
    const { cold, warm } = await twice(repo.path);
    expect(verdict(warm)).toEqual(verdict(cold));
    expect(cold.findings.find((item) => item.ruleId === first.ruleId)?.presence).toBe('present');
  });

  it('still report a secret added by a later version, at the commit that added it', async () => {
    const { repo } = repositoryWithEditedSecret(3);
    repo.write({ 'config/app.txt': `# more\n${first.content}${second.content}` });
    const added = repo.commit('add another');
    repo.write({ 'config/app.txt': `# more, edited\n${first.content}${second.content}` });
    repo.commit('edit again');
    const { cold, warm } = await twice(repo.path);
    expect(verdict(warm)).toEqual(verdict(cold));
    expect(warm.findings.find((item) => item.ruleId === second.ruleId)?.commit).toBe(added);
  });

  it('are read when the same content was also committed at another path', async () => {
    const { repo } = repositoryWithEditedSecret(3);
    // The last version, copied (the same blob at a second path): the copy is a finding of its own.
    repo.write({ 'config/copy.txt': `# revision 2\n${first.content}` });
    repo.commit('copy');
    repo.write({ 'config/app.txt': '# gone\n', 'config/copy.txt': '# gone too\n' });
    repo.commit('clear');
    const { cold, warm } = await twice(repo.path);
    expect(verdict(warm)).toEqual(verdict(cold));
    expect(warm.findings.map((item) => item.path).sort()).toEqual(['config/app.txt', 'config/copy.txt']);
  });

  it('are all read when an allowlist names commits', async () => {
    const { repo, commits } = repositoryWithEditedSecret();
    const defaults = defaultRuleSet();
    const rules: RuleSetSpec = { ...defaults, allowlists: [...defaults.allowlists] };
    rules.allowlists.push({
      condition: 'or',
      regexTarget: 'secret',
      regexes: [],
      paths: [],
      stopwords: [],
      commits: [commits[1] as string],
      targetRules: [],
    });
    const { cold, warm } = await twice(repo.path, rules);
    expect(verdict(warm)).toEqual(verdict(cold));
    // Allowlisted in the commit that introduced it, the secret is reported at the next one.
    expect(cold.findings.find((item) => item.ruleId === first.ruleId)?.commit).toBe(commits[2]);
    // Only the clean README is skipped: the six versions with the secret are all read.
    expect(warm.stats.scanned).toBe(6);
  });
});
