import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../testing/fake-credentials.js';
import { createTestRepository, fixedEnvironment, type TestRepository } from '../../testing/git-repository.js';
import { installHook } from './hook.js';

// The hook runs shipguard as a user has it installed: the built executable, on Node 24.
const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const builtMain = join(projectRoot, 'dist/cli/main.js');
const pinnedNode = join(projectRoot, 'node_modules/.bin/node');
// The system's own folders only: no shipguard, and (on these machines) an older Node.
const systemPath = '/usr/local/bin:/usr/bin:/bin';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function repository(): TestRepository {
  if (!existsSync(builtMain)) throw new Error(`${builtMain} is missing: run npm run build first`);
  const repo = createTestRepository();
  cleanups.push(() => repo.remove());
  repo.write({ 'README.md': '# demo\n' });
  repo.commit('initial');
  return repo;
}

/** A folder like an npm `bin` folder: `shipguard` and `node` linked as npm links them. */
function binFolder(at: string): string {
  mkdirSync(at, { recursive: true });
  symlinkSync(builtMain, join(at, 'shipguard'));
  symlinkSync(pinnedNode, join(at, 'node'));
  return at;
}

/** `git commit` as a person runs it, so git runs the hook with this PATH. */
function commit(repo: TestRepository, files: Record<string, string>, path: string) {
  repo.write(files);
  spawnSync('git', ['add', '--all'], { cwd: repo.path });
  const result = spawnSync('git', ['commit', '--quiet', '-m', 'change'], {
    cwd: repo.path,
    encoding: 'utf8',
    env: { HOME: process.env['HOME'] ?? tmpdir(), PATH: path, ...fixedEnvironment },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function leak(seed: number): Record<string, string> {
  const [credential] = fakeCredentials(seed);
  if (!credential) throw new Error('no fake credential');
  return { [credential.path]: credential.content };
}

describe('the pre-commit hook, with real commits', () => {
  it('runs the project dev dependency: a clean commit passes, a credential is refused', async () => {
    const repo = repository();
    binFolder(join(repo.path, 'node_modules/.bin'));
    repo.write({ '.gitignore': 'node_modules/\n' });
    await installHook(repo.path, false, undefined);
    const clean = commit(repo, { 'src/a.ts': 'export const a = 1;\n' }, systemPath);
    expect(clean.output).not.toMatch(/npm (error|ERR)/);
    expect(clean.status).toBe(0);
    const refused = commit(repo, leak(41), systemPath);
    expect(refused.status).not.toBe(0);
    expect(refused.output).not.toMatch(/npm (error|ERR)|not installed|not supported/);
  });

  it('runs a global install found on PATH', async () => {
    const repo = repository();
    const global = mkdtempSync(join(tmpdir(), 'shipguard-global-'));
    cleanups.push(() => rmSync(global, { recursive: true, force: true }));
    const bin = binFolder(join(global, 'bin'));
    await installHook(repo.path, false, undefined);
    expect(commit(repo, { 'src/a.ts': 'export const a = 1;\n' }, `${bin}:${systemPath}`).status).toBe(0);
    expect(commit(repo, leak(42), `${bin}:${systemPath}`).status).not.toBe(0);
  });

  it('falls back to the shipguard that installed the hook', async () => {
    const repo = repository();
    await installHook(repo.path, false, { node: pinnedNode, main: builtMain });
    expect(commit(repo, { 'src/a.ts': 'export const a = 1;\n' }, systemPath).status).toBe(0);
    expect(commit(repo, leak(43), systemPath).status).not.toBe(0);
  });

  it('without shipguard anywhere refuses the commit saying what to do, not with a package manager error', async () => {
    const repo = repository();
    await installHook(repo.path, false, { node: '/nonexistent/node', main: '/nonexistent/main.js' });
    const result = commit(repo, { 'src/a.ts': 'export const a = 1;\n' }, systemPath);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('shipguard is not installed here');
    expect(result.output).not.toMatch(/npm (error|ERR)/);
  });
});
