import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FakeCredential, fakeCredentials } from '../testing/fake-credentials.js';
import { temporaryRepositories } from '../testing/temporary-repositories.js';
import type { CleanBlobCache } from './clean-blobs.js';
import { defaultRuleSet } from './rules/default-rules.js';
import { scanWorkingTree } from './scanner.js';
import { listUnchangedFiles } from './unchanged-files.js';

const repository = temporaryRepositories();

/** A cache that holds every blob clean: what the scan then still reads is what git does not vouch for. */
const everythingClean: CleanBlobCache = {
  clean: async (_digest, blobIds) => new Set(blobIds),
  remember: async () => {},
  inheriting: async () => new Set(),
  rememberInheriting: async () => {},
};

const [credential, other] = fakeCredentials(2) as [FakeCredential, FakeCredential];

describe('files git vouches for', () => {
  it('lists committed files unchanged since, and leaves out modified, staged, untracked and assume-unchanged ones', async () => {
    const repo = repository();
    repo.write({ 'same.txt': 'same\n', 'edited.txt': 'one\n', 'staged.txt': 'one\n', 'hidden.txt': 'one\n' });
    repo.commit('initial');
    repo.write({ 'edited.txt': 'two\n', 'staged.txt': 'two\n', 'hidden.txt': 'two\n', 'new.txt': 'new\n' });
    repo.git('add', 'staged.txt');
    repo.git('update-index', '--assume-unchanged', 'hidden.txt');
    const unchanged = await listUnchangedFiles(repo.path);
    expect([...unchanged.keys()]).toEqual(['same.txt']);
    expect(unchanged.get('same.txt')).toEqual({ oid: repo.git('rev-parse', 'HEAD:same.txt'), size: 5 });
  });

  it('cannot answer before the first commit (no HEAD), so the scan reads every file', async () => {
    const repo = repository();
    repo.write({ 'a.txt': 'a\n' });
    repo.git('add', 'a.txt');
    await expect(listUnchangedFiles(repo.path)).rejects.toThrow();
    const report = await scanWorkingTree({
      root: repo.path,
      rules: defaultRuleSet(),
      cleanBlobs: everythingClean,
    });
    expect(report.stats.scanned).toBe(1);
  });
});

describe('a working-tree scan with a clean-blob cache', () => {
  it('does not read a file git vouches is a blob the cache holds clean', async () => {
    const repo = repository();
    repo.write({ [credential.path]: credential.content });
    repo.commit('add');
    const report = await scanWorkingTree({
      root: repo.path,
      rules: defaultRuleSet(),
      cleanBlobs: everythingClean,
    });
    expect(report.findings).toEqual([]);
    expect(report.stats.cached).toBe(1);
    expect(report.stats.scanned).toBe(0);
  });

  it('reads a file rewritten since, even with the same size', async () => {
    const repo = repository();
    const padded = (secret: string) => `value = "${secret}"\n`;
    const a = credential.secret;
    const b = a.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'));
    repo.write({ 'config.txt': padded(a) });
    repo.commit('add');
    repo.write({ 'config.txt': padded(b) });
    const report = await scanWorkingTree({
      root: repo.path,
      rules: defaultRuleSet(),
      cleanBlobs: everythingClean,
    });
    expect(report.stats.scanned).toBe(1);
    expect(report.stats.cached ?? 0).toBe(0);
  });

  it('reads a file whose bytes on disk are not the blob (line endings converted at checkout)', async () => {
    const repo = repository();
    repo.write({ '.gitattributes': '*.conf text eol=crlf\n', 'app.conf': `# settings\n${other.content}` });
    repo.commit('add');
    // Checked out again, the file gets CRLF line endings: the blob holds LF.
    rmSync(join(repo.path, 'app.conf'));
    repo.git('checkout', '--', 'app.conf');
    expect(readFileSync(join(repo.path, 'app.conf'), 'utf8')).toContain('\r\n');
    const unchanged = await listUnchangedFiles(repo.path);
    expect(unchanged.has('app.conf')).toBe(true);
    const report = await scanWorkingTree({
      root: repo.path,
      rules: defaultRuleSet(),
      cleanBlobs: everythingClean,
    });
    expect(report.findings.map((finding) => finding.path)).toContain('app.conf');
  });

  it('reads untracked and assume-unchanged files', async () => {
    const repo = repository();
    repo.write({ 'kept.txt': 'placeholder line that is long enough to hold the secret later on\n' });
    repo.commit('add');
    repo.git('update-index', '--assume-unchanged', 'kept.txt');
    repo.write({ [credential.path]: credential.content, 'kept.txt': other.content });
    const report = await scanWorkingTree({
      root: repo.path,
      rules: defaultRuleSet(),
      cleanBlobs: everythingClean,
    });
    const paths = report.findings.map((finding) => finding.path);
    expect(paths).toContain(credential.path);
    expect(paths).toContain('kept.txt');
  });
});
