import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../kernel/index.js';
import { type FakeCredential, fakeCredentials } from '../testing/fake-credentials.js';
import { temporaryRepositories } from '../testing/temporary-repositories.js';
import { scanHistory } from './history.js';
import { redactSecret } from './redact.js';
import { defaultRuleSet } from './rules/default-rules.js';
import { scanStaged, scanWorkingTree } from './scanner.js';

const repository = temporaryRepositories();

function lineOf(credential: FakeCredential): number {
  return credential.content.slice(0, credential.content.indexOf(credential.secret)).split('\n').length;
}

describe('history scan', () => {
  it('finds every fake credential at the commit that introduced it, and says whether HEAD still has it', async () => {
    const repo = repository();
    repo.write({ 'README.md': '# demo\n' });
    repo.commit('initial', { date: '2024-01-01T00:00:00Z' });
    const credentials = fakeCredentials(11);
    const half = Math.ceil(credentials.length / 2);
    const first = credentials.slice(0, half);
    const second = credentials.slice(half);
    repo.write(Object.fromEntries(first.map((credential) => [credential.path, credential.content])));
    const firstCommit = repo.commit('add config', { author: 'Mallory <m@example.com>' });
    repo.write(Object.fromEntries(second.map((credential) => [credential.path, credential.content])));
    const secondCommit = repo.commit('add more config');
    // Edit a file that keeps its secret: the finding stays with the first commit.
    const kept = first[0] as FakeCredential;
    repo.write({ [kept.path]: `# edited\n${kept.content}` });
    repo.commit('edit');
    // Remove every credential of the second half.
    for (const credential of second) repo.git('rm', '--quiet', credential.path);
    repo.commit('remove secrets');

    const report = await scanHistory({ root: repo.path, rules: defaultRuleSet(), threads: 2 });
    expect(report.partial).toBe(false);
    expect(report.stats.commits).toBe(5);
    for (const credential of credentials) {
      const sha256 = redactSecret(credential.secret).sha256;
      const found = report.findings.filter(
        (finding) => finding.path === credential.path && finding.secret.sha256 === sha256,
      );
      expect(
        found.map((finding) => finding.ruleId),
        credential.path,
      ).toEqual([credential.ruleId]);
      const finding = found[0];
      const introducedIn = first.includes(credential) ? firstCommit : secondCommit;
      expect(finding?.commit, credential.ruleId).toBe(introducedIn);
      expect(finding?.line, credential.ruleId).toBe(lineOf(credential));
      expect(finding?.presence, credential.ruleId).toBe(first.includes(credential) ? 'present' : 'removed');
      expect(finding?.fingerprint).toBe(
        `${introducedIn}:${credential.path}:${credential.ruleId}:${lineOf(credential)}`,
      );
    }
    const firstFinding = report.findings.find((finding) => finding.commit === firstCommit);
    expect(firstFinding?.author).toBe('Mallory <m@example.com>');
  });

  it('scans every ref, not only the current branch, and limits to a range with since', async () => {
    const repo = repository();
    repo.write({ 'README.md': '# demo\n' });
    const base = repo.commit('initial');
    const [stripe, slack] = fakeCredentials(12).filter((credential) =>
      ['stripe-secret-key', 'slack-token'].includes(credential.ruleId),
    ) as [FakeCredential, FakeCredential];
    repo.git('checkout', '--quiet', '-b', 'feature');
    repo.write({ [stripe.path]: stripe.content });
    const onBranch = repo.commit('on a branch');
    repo.git('checkout', '--quiet', 'main');
    repo.write({ [slack.path]: slack.content });
    const onMain = repo.commit('on main');

    const all = await scanHistory({ root: repo.path, rules: defaultRuleSet(), threads: 1 });
    expect(all.findings.map((finding) => [finding.ruleId, finding.commit])).toEqual(
      expect.arrayContaining([
        ['stripe-secret-key', onBranch],
        ['slack-token', onMain],
      ]),
    );
    const since = await scanHistory({ root: repo.path, rules: defaultRuleSet(), since: base, threads: 1 });
    expect(since.findings.map((finding) => [finding.ruleId, finding.commit, finding.presence])).toEqual([
      ['slack-token', onMain, 'present'],
    ]);
    await expect(
      scanHistory({ root: repo.path, rules: defaultRuleSet(), since: 'nope' }),
    ).rejects.toMatchObject({
      code: 'SECRETS_REVISION_UNKNOWN',
    });
  });

  it('reports a shallow clone and a spent time budget as partial', async () => {
    const repo = repository();
    const [credential] = fakeCredentials(13);
    repo.write({ 'a.txt': 'one\n' });
    repo.commit('one');
    repo.write({ [credential?.path ?? 'x']: credential?.content ?? '' });
    repo.commit('two');
    const clone = repository();
    rmSync(clone.path, { recursive: true, force: true });
    repo.git('clone', '--quiet', '--depth', '1', `file://${repo.path}`, clone.path);
    const shallow = await scanHistory({ root: clone.path, rules: defaultRuleSet() });
    expect(shallow.partial).toBe(true);
    expect(shallow.partialReasons.join(' ')).toContain('shallow');

    const budget = await scanHistory({ root: repo.path, rules: defaultRuleSet(), timeBudgetMs: 0 });
    expect(budget.partial).toBe(true);
    expect(budget.partialReasons.join(' ')).toContain('time budget');
  });

  it('rescans only changed lines of a long-edited file and still attributes and numbers each secret', async () => {
    const repo = repository();
    const pick = (ruleId: string) =>
      fakeCredentials(14).find((credential) => credential.ruleId === ruleId) as FakeCredential;
    const stripe = pick('stripe-secret-key');
    const key = pick('private-key');
    const stripeLine = stripe.content.split('\n').find((line) => line.includes(stripe.secret)) ?? '';
    let changelog = Array.from({ length: 200 }, (_, index) => `- change ${index}`);
    const commits: string[] = [];
    for (let version = 0; version < 30; version++) {
      // A changelog grows at the top; the secret goes in at version 10 and out at version 25.
      changelog = [`- release ${version}`, ...changelog];
      if (version === 10) changelog.splice(120, 0, stripeLine);
      if (version === 25) changelog = changelog.filter((line) => line !== stripeLine);
      const notes = `notes ${version}\n${version >= 5 ? key.content : ''}`;
      repo.write({ 'History.md': `${changelog.join('\n')}\n`, 'certs/notes.txt': notes });
      commits.push(repo.commit(`release ${version}`));
    }
    for (const threads of [1, 2]) {
      const report = await scanHistory({ root: repo.path, rules: defaultRuleSet(), threads });
      const summary = report.findings.map((finding) => [
        finding.ruleId,
        finding.path,
        finding.commit,
        finding.line,
        finding.presence,
      ]);
      expect(summary).toEqual(
        expect.arrayContaining([
          ['stripe-secret-key', 'History.md', commits[10], 121, 'removed'],
          ['private-key', 'certs/notes.txt', commits[5], 2, 'present'],
        ]),
      );
      expect(summary).toHaveLength(2);
    }
  });

  it('fails clearly on a corrupted repository and on a folder that is not one', async () => {
    const repo = repository();
    repo.write({ 'a.txt': 'one\n' });
    const commit = repo.commit('one');
    rmSync(join(repo.path, '.git', 'objects', commit.slice(0, 2), commit.slice(2)));
    await expect(scanHistory({ root: repo.path, rules: defaultRuleSet() })).rejects.toMatchObject({
      code: 'SECRETS_REPOSITORY_CORRUPT',
    });
    const plain = repository({ git: false });
    await expect(scanHistory({ root: plain.path, rules: defaultRuleSet() })).rejects.toMatchObject({
      code: 'SECRETS_NOT_A_REPOSITORY',
    });
  });
});

describe('a clean repository full of near misses', () => {
  it('gives no finding in the working tree or in history', async () => {
    const repo = repository();
    const dollar = '$';
    repo.write({
      '.env.example': `API_KEY=<your-api-key>\nDB_PASSWORD=changeme\nSECRET_TOKEN=${dollar}{SECRET_TOKEN}\n`,
      'config/settings.py': [
        'SECRET_KEY = os.environ["SECRET_KEY"]',
        'API_TOKEN = settings.api_token',
        'password = get_password_from_vault()',
        'AUTH_TOKEN_HEADER = "X-Auth-Token"',
        'token_url = "https://example.com/oauth/token"',
      ].join('\n'),
      'docs/setup.md': [
        '```sh',
        'export GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
        'export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
        'postgres://user:password@localhost:5432/app',
        'mongodb://localhost:27017/test',
        '-----BEGIN PRIVATE KEY-----',
        '<paste your key here>',
        '-----END PRIVATE KEY-----',
        '```',
      ].join('\n'),
      'data/ids.json': JSON.stringify({
        requestId: '3f2b8c1e-9a4d-4c7e-8f01-2b3c4d5e6f70',
        commit: 'd2b760c1e0f4a9b8c7d6e5f4a3b2c1d0e9f8a7b6',
        sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
        integrity: `sha512-${'A'.repeat(86)}==`,
        blob: Buffer.from('hello world '.repeat(20)).toString('base64'),
      }),
      'src/keys.ts': [
        'const keyboardLayout = "qwerty";',
        'export const monkeyPatch = true;',
        'const tokenizer = new Tokenizer({ maxTokens: 4096 });',
        'if (password.length < 12) throw new Error("weak");',
        `const secretName = \`${dollar}{prefix}-db-password\`;`,
      ].join('\n'),
      'ci.yml': `env:\n  NPM_TOKEN: ${dollar}{{ secrets.NPM_TOKEN }}\n  password: ${dollar}{{ secrets.DB_PASSWORD }}\n`,
    });
    repo.commit('near misses');
    repo.write({ 'config/settings.py': 'SECRET_KEY = env("SECRET_KEY", default="dev-only-changeme")\n' });
    repo.commit('edit');
    const tree = await scanWorkingTree({ root: repo.path, rules: defaultRuleSet() });
    expect(tree.findings.map((finding) => `${finding.ruleId} ${finding.path}:${finding.line}`)).toEqual([]);
    const history = await scanHistory({ root: repo.path, rules: defaultRuleSet() });
    expect(history.findings.map((finding) => `${finding.ruleId} ${finding.path}:${finding.line}`)).toEqual(
      [],
    );
    expect(history.stats.scanned).toBeGreaterThanOrEqual(7);
  });
});

describe('working tree and staged scans', () => {
  it('scans tracked and untracked files, not ignored ones; skips binaries; tolerates invalid UTF-8', async () => {
    const repo = repository();
    const credentials = fakeCredentials(14);
    const [tracked, untracked, ignored, inBinary] = credentials as [
      FakeCredential,
      FakeCredential,
      FakeCredential,
      FakeCredential,
    ];
    repo.write({ '.gitignore': 'ignored/\n', [tracked.path]: tracked.content });
    repo.commit('initial');
    repo.write({
      'notes/untracked.txt': Buffer.concat([
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from(`\n${untracked.content}`),
      ]),
      'ignored/secret.txt': ignored.content,
      'image.bin': Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(inBinary.content)]),
    });
    const report = await scanWorkingTree({ root: repo.path, rules: defaultRuleSet() });
    expect(report.findings.map((finding) => [finding.ruleId, finding.path])).toEqual([
      [tracked.ruleId, tracked.path],
      [untracked.ruleId, 'notes/untracked.txt'],
    ]);
    expect(report.findings[1]?.line).toBe(lineOf(untracked) + 1);
    expect(report.stats.binarySkipped).toBe(1);
  });

  it('is partial when the listing of a folder outside git stopped at its limit', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'shipguard-walk-'));
    try {
      for (const name of ['a.txt', 'b.txt', 'c.txt']) writeFileSync(join(folder, name), 'nothing\n');
      const snapshot = await RepositorySnapshot.open(folder, { maxWalkedFiles: 2 });
      const report = await scanWorkingTree({ root: folder, snapshot, rules: defaultRuleSet() });
      expect(report.partial).toBe(true);
      expect(report.partialReasons.join('\n')).toContain('not listed');
      const whole = await scanWorkingTree({ root: folder, rules: defaultRuleSet() });
      expect([whole.partial, whole.stats.scanned]).toEqual([false, 3]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('gives the same findings with worker threads as without', async () => {
    const repo = repository();
    const credentials = fakeCredentials(15);
    repo.write(Object.fromEntries(credentials.map((credential) => [credential.path, credential.content])));
    const inline = await scanWorkingTree({ root: repo.path, rules: defaultRuleSet(), threads: 1 });
    const threaded = await scanWorkingTree({ root: repo.path, rules: defaultRuleSet(), threads: 2 });
    expect(threaded.stats.threads).toBe(2);
    expect(threaded.findings).toEqual(inline.findings);
    expect(inline.findings.length).toBeGreaterThanOrEqual(credentials.length);
  });

  it('scans only what is staged, as staged', async () => {
    const repo = repository();
    const [staged, unstaged] = fakeCredentials(16) as [FakeCredential, FakeCredential];
    repo.write({ 'README.md': '# demo\n' });
    repo.commit('initial');
    repo.write({ [staged.path]: staged.content });
    repo.git('add', staged.path);
    // Changed after staging: the staged version is what gets committed.
    repo.write({ [staged.path]: 'clean now\n', [unstaged.path]: unstaged.content });
    const report = await scanStaged({ root: repo.path, rules: defaultRuleSet() });
    expect(report.findings.map((finding) => [finding.ruleId, finding.path])).toEqual([
      [staged.ruleId, staged.path],
    ]);
  });

  it('honours .gitleaksignore fingerprints', async () => {
    const repo = repository();
    const [credential] = fakeCredentials(17) as [FakeCredential];
    repo.write({ [credential.path]: credential.content });
    const first = await scanWorkingTree({ root: repo.path, rules: defaultRuleSet() });
    expect(first.findings).toHaveLength(1);
    repo.write({ '.gitleaksignore': `# accepted\n${first.findings[0]?.fingerprint}\n` });
    const second = await scanWorkingTree({ root: repo.path, rules: defaultRuleSet() });
    expect(second.findings).toEqual([]);
    expect(second.ignored).toBe(1);
  });

  it('decodes files written in UTF-16 (with a byte-order mark) instead of skipping them as binary', async () => {
    const repo = repository();
    const [little, big] = fakeCredentials(21) as [FakeCredential, FakeCredential];
    const utf16 = (text: string, order: 'le' | 'be') => {
      const bytes = Buffer.from(`\uFEFF${text}`, 'utf16le');
      return order === 'le' ? bytes : bytes.swap16();
    };
    repo.write({
      'windows/little.env': utf16(little.content, 'le'),
      'windows/big.env': utf16(big.content, 'be'),
    });
    const commit = repo.commit('settings saved by a Windows editor');
    const expected = [
      ['windows/big.env', lineOf(big), redactSecret(big.secret).sha256],
      ['windows/little.env', lineOf(little), redactSecret(little.secret).sha256],
    ];
    const tree = await scanWorkingTree({ root: repo.path, rules: defaultRuleSet() });
    expect(tree.findings.map((finding) => [finding.path, finding.line, finding.secret.sha256])).toEqual(
      expected,
    );
    expect(tree.stats.binarySkipped).toBe(0);
    const history = await scanHistory({ root: repo.path, rules: defaultRuleSet() });
    expect(history.findings.map((finding) => [finding.path, finding.line, finding.secret.sha256])).toEqual(
      expected,
    );
    expect(history.findings.every((finding) => finding.commit === commit)).toBe(true);

    // Saved again as UTF-8: the UTF-16 version's lines are not compared with the new bytes' lines.
    const [added] = fakeCredentials(22) as [FakeCredential];
    repo.write({ 'windows/little.env': `${little.content}${added.content}` });
    const edit = repo.commit('one more setting');
    const edited = await scanHistory({ root: repo.path, rules: defaultRuleSet() });
    expect(
      edited.findings
        .filter((finding) => finding.commit === edit)
        .map((finding) => [finding.path, finding.line, finding.secret.sha256]),
    ).toEqual([
      [
        'windows/little.env',
        little.content.split('\n').length - 1 + lineOf(added),
        redactSecret(added.secret).sha256,
      ],
    ]);
  });
});
