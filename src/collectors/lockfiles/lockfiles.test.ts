import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../../kernel/index.js';
import { defaultPolicy } from '../../policy/index.js';
import { evaluateCollector, testNow } from '../../testing/evaluate-collector.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import type { LockfilesFacts } from './collect.js';
import { lockfilesCollector } from './index.js';

let repository: TestRepository | undefined;

afterEach(() => {
  repository?.remove();
  repository = undefined;
});

async function assess(files: Record<string, string>, options: { git?: boolean } = {}) {
  repository = createTestRepository({ git: options.git !== false });
  repository.write(files);
  if (options.git !== false) repository.commit('initial');
  const { facts, results, snapshot } = await evaluateCollector<LockfilesFacts>(
    lockfilesCollector,
    repository.path,
  );
  return { facts, result: results['lockfiles/present'], snapshot };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

const packageLock = json({
  lockfileVersion: 3,
  packages: {
    '': { name: 'root' },
    'node_modules/a': { version: '1.0.0', resolved: 'https://registry.example/a.tgz', integrity: 'sha512-a' },
    'node_modules/b': { version: '1.0.0', resolved: 'https://registry.example/b.tgz' },
  },
});

describe('lockfiles collector', () => {
  it('passes when every manifest is locked, by its own lockfile, a workspace root or exact pins', async () => {
    const { facts, result } = await assess({
      'package.json': json({ name: 'root', workspaces: ['packages/*'], devDependencies: { a: '1.0.0' } }),
      'package-lock.json': packageLock,
      'packages/app/package.json': json({ name: 'app', dependencies: { b: '^1.0.0' } }),
      'node_modules/a/package.json': json({ name: 'a', dependencies: { z: '*' } }),
      'vendor/lib/composer.json': json({ require: { 'acme/x': '*' } }),
      'test/__fixtures__/app/package.json': json({ dependencies: { z: '*' } }),
      'internal/testdata/go.mod': 'module fixture\n\nrequire example.com/x v1.0.0\n',
      'tools/go.mod': 'module example.com/tools\n\nrequire golang.org/x/text v0.14.0\n',
      'tools/go.sum': 'golang.org/x/text v0.14.0 h1:abc=\n',
      'rust/Cargo.toml': '[workspace]\nmembers = ["crate-a"]\n',
      'rust/Cargo.lock': '# generated\n',
      'rust/crate-a/Cargo.toml': '[package]\nname = "a"\n\n[dependencies]\nserde = "1"\n',
      'py/pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.12"\n',
      'py/poetry.lock': '# generated\n',
      'py/requirements.txt': 'requests==2.32.3\n',
      'java/pom.xml': '<project><dependency><version>1.2.3</version></dependency></project>\n',
      'docs/package.json': json({ name: 'docs', private: true }),
    });
    expect(result?.status).toBe('pass');
    const states = Object.fromEntries(facts.manifests.map((manifest) => [manifest.manifest, manifest]));
    expect(Object.keys(states).sort()).toEqual([
      'docs/package.json',
      'java/pom.xml',
      'package.json',
      'packages/app/package.json',
      'py/pyproject.toml',
      'py/requirements.txt',
      'rust/Cargo.toml',
      'rust/crate-a/Cargo.toml',
      'tools/go.mod',
    ]);
    expect(states['packages/app/package.json']).toMatchObject({
      state: 'locked',
      lockfile: 'package-lock.json',
    });
    expect(states['rust/crate-a/Cargo.toml']).toMatchObject({ state: 'locked', lockfile: 'rust/Cargo.lock' });
    expect(states['docs/package.json']?.state).toBe('not-needed');
    expect(states['java/pom.xml']?.state).toBe('pinned');
    expect(states['py/requirements.txt']?.state).toBe('pinned');
    expect(facts.integrity).toEqual([
      { lockfile: 'package-lock.json', readable: true, entries: 2, withoutIntegrity: 1 },
    ]);
    expect(result?.evidence).toContainEqual({
      kind: 'file',
      path: 'package-lock.json',
      note: 'locks package.json; 2 entries, 1 without integrity',
    });
  });

  it('fails with a finding per manifest without a lockfile, and per unpinned line', async () => {
    const { result } = await assess({
      'package.json': json({ name: 'web', dependencies: { express: '^4' } }),
      'requirements.txt': 'flask\nrequests==2.32.3\nnumpy>=1\n',
      'pom.xml': '<project>\n  <dependency>\n    <version>[1.0,2.0)</version>\n  </dependency>\n</project>\n',
      Gemfile: "source 'https://rubygems.org'\ngem 'rails'\n",
      'app/build.gradle': 'dependencies {\n  implementation "x:y:1"\n}\n',
      'src/App/App.csproj':
        '<Project><ItemGroup><PackageReference Include="X" Version="1.0.0" /></ItemGroup></Project>\n',
      'pyproject.toml': '[project]\nname = "x"\ndependencies = ["requests"]\n',
      'Cargo.toml': '[package]\nname = "lib"\n\n[dependencies]\nserde = "1"\n',
      'composer.json': json({ require: { 'monolog/monolog': '^3' } }),
      Pipfile: '[packages]\nrequests = "*"\n',
    });
    expect(result?.status).toBe('fail');
    const locations = result?.findings.map((finding) => finding.location);
    expect(locations).toEqual([
      { path: 'Cargo.toml' },
      { path: 'Gemfile' },
      { path: 'Pipfile' },
      { path: 'app/build.gradle' },
      { path: 'composer.json' },
      { path: 'package.json' },
      { path: 'pom.xml', line: 3 },
      { path: 'pyproject.toml' },
      { path: 'requirements.txt', line: 1 },
      { path: 'requirements.txt', line: 3 },
      { path: 'src/App/App.csproj' },
    ]);
    expect(result?.findings.every((finding) => finding.severity === 'medium')).toBe(true);
    expect(result?.evidence.length).toBe(10);
  });

  it('does not let a lockfile above cover a package.json when that folder is no workspace root', async () => {
    const { facts, result } = await assess({
      'package.json': json({ name: 'root', dependencies: { a: '1' } }),
      'package-lock.json': packageLock,
      'examples/demo/package.json': json({ name: 'demo', dependencies: { b: '1' } }),
    });
    expect(result?.status).toBe('fail');
    expect(result?.findings.map((finding) => finding.location?.path)).toEqual(['examples/demo/package.json']);
    expect(facts.manifests[0]).toMatchObject({ manifest: 'examples/demo/package.json', state: 'missing' });
  });

  it('accepts a pnpm workspace root lockfile and a uv workspace root', async () => {
    const { result } = await assess({
      'package.json': json({ name: 'root', private: true }),
      'pnpm-workspace.yaml': 'packages:\n  - apps/*\n',
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      'apps/web/package.json': json({ name: 'web', dependencies: { react: '^19' } }),
      'pyproject.toml':
        '[project]\nname = "root"\ndependencies = []\n\n[tool.uv.workspace]\nmembers = ["libs/*"]\n',
      'uv.lock': 'version = 1\n',
      'libs/core/pyproject.toml': '[project]\nname = "core"\ndependencies = ["attrs"]\n',
    });
    expect(result?.status).toBe('pass');
  });

  it('treats an unparseable package.json as needing a lockfile', async () => {
    const { result } = await assess({ 'package.json': '{ "dependencies": ' });
    expect(result?.status).toBe('fail');
    expect(result?.findings[0]?.location?.path).toBe('package.json');
  });

  it('is not applicable without manifests, and says what it looked for', async () => {
    const { result } = await assess({ 'README.md': '# docs only\n' });
    expect(result?.status).toBe('not-applicable');
    expect(result?.evidence[0]).toMatchObject({
      kind: 'absence',
      in: 'working tree, outside node_modules, vendor, __fixtures__, fixtures and testdata',
    });
    expect(result?.evidence[0]?.kind === 'absence' && result.evidence[0].lookedFor).toContain('package.json');
  });

  it('works on a folder that is not a git repository', async () => {
    const { result, snapshot } = await assess(
      { 'go.mod': 'module example.com/x\n\nrequire golang.org/x/text v0.14.0\n' },
      { git: false },
    );
    expect(snapshot.isGitRepository).toBe(false);
    expect(result?.status).toBe('fail');
    expect(result?.findings[0]?.message).toContain('no go.sum beside go.mod');
  });

  it('notes when package-lock.json cannot be read whole', async () => {
    const { facts, result } = await assess({
      'package.json': json({ dependencies: { a: '1' } }),
      'package-lock.json': '{ "packages": ',
    });
    expect(result?.status).toBe('pass');
    expect(facts.integrity[0]).toEqual({
      lockfile: 'package-lock.json',
      readable: false,
      entries: 0,
      withoutIntegrity: 0,
    });
    expect(result?.evidence[0]).toMatchObject({ note: expect.stringContaining('integrity not counted') });
  });

  it('judges an unreadable manifest by the files beside it, and the snapshot records the problem', async () => {
    repository = createTestRepository();
    repository.write({ 'api/go.sum': 'x v1.0.0 h1:abc=\n' });
    // Dangling symbolic links: listed by git, unreadable for everyone.
    symlinkSync('missing-target', join(repository.path, 'package.json'));
    mkdirSync(join(repository.path, 'api'), { recursive: true });
    symlinkSync('missing-target', join(repository.path, 'api/go.mod'));
    repository.commit('initial');
    const snapshot = await RepositorySnapshot.open(repository.path);
    const facts = await lockfilesCollector.collect(snapshot, defaultPolicy(), { now: testNow });
    expect(facts.manifests).toEqual([
      { manifest: 'api/go.mod', ecosystem: 'go', state: 'locked', lockfile: 'api/go.sum' },
      {
        manifest: 'package.json',
        ecosystem: 'npm',
        state: 'missing',
        reason: 'manifest could not be read',
        unpinned: [],
      },
    ]);
    expect(snapshot.problems.filter((problem) => problem.code === 'FILE_UNREADABLE')).toHaveLength(2);
  });
});
