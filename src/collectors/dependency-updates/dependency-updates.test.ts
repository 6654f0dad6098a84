import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../../kernel/index.js';
import { defaultPolicy } from '../../policy/index.js';
import { evaluateCollectorOnFiles, temporaryRepository, testNow } from '../../testing/evaluate-collector.js';
import type { DependencyUpdatesFacts } from './collect.js';
import { readDependabot, renovateInPackageJson } from './collect.js';
import { dependencyUpdatesCollector } from './index.js';

const context = { now: new Date('2026-06-01T00:00:00Z') };
async function assess(files: Record<string, string>, options: { git?: boolean } = {}) {
  const { facts, results, snapshot } = await evaluateCollectorOnFiles<DependencyUpdatesFacts>(
    dependencyUpdatesCollector,
    files,
    options,
  );
  return { facts, result: results['dependency-updates/configured'], snapshot };
}

const dependabot = [
  'version: 2',
  'updates:',
  '  - package-ecosystem: npm',
  '    directory: /',
  '    schedule:',
  '      interval: weekly',
  '  - package-ecosystem: "github-actions"',
  '    directory: "/"',
  '    schedule: { interval: weekly }',
  '',
].join('\n');

describe('dependency-updates collector', () => {
  it('passes with each Dependabot ecosystem and its line as evidence', async () => {
    const { result } = await assess({
      'package.json': '{"dependencies":{"a":"1"}}\n',
      '.github/dependabot.yml': dependabot,
    });
    expect(result?.status).toBe('pass');
    expect(result?.evidence).toEqual([
      { kind: 'file', path: '.github/dependabot.yml', line: 3, note: 'Dependabot: npm in /' },
      { kind: 'file', path: '.github/dependabot.yml', line: 7, note: 'Dependabot: github-actions in /' },
    ]);
  });

  it('fails updates that run less often than the policy window (default weekly), at the interval line', async () => {
    const { result } = await assess({
      'package.json': '{"dependencies":{"a":"1"}}\n',
      '.github/dependabot.yml': dependabot.replace('interval: weekly\n  -', 'interval: yearly\n  -'),
    });
    expect(result?.status).toBe('fail');
    expect(result?.summary).toContain('npm yearly');
    expect(result?.findings).toHaveLength(1);
    expect(result?.findings[0]?.location).toEqual({ path: '.github/dependabot.yml', line: 6 });
  });

  it('fails Dependabot that leaves an ecosystem the manifests use without updates', async () => {
    const actionsOnly = dependabot.replace('package-ecosystem: npm', 'package-ecosystem: pip');
    const { result } = await assess({
      'package.json': '{"dependencies":{"a":"1"}}\n',
      'go.mod': 'module example.org/m\n',
      'requirements.txt': 'flask==3.0.0\n',
      '.github/dependabot.yml': actionsOnly,
    });
    expect(result?.status).toBe('fail');
    expect(result?.summary).toContain('no Dependabot updates for go, npm');
    expect(result?.findings.map((finding) => finding.message)).toEqual([
      'go manifests (e.g. go.mod) get no Dependabot updates.',
      'npm manifests (e.g. package.json) get no Dependabot updates.',
    ]);
  });

  it('passes daily updates', async () => {
    const { result } = await assess({
      'package.json': '{"dependencies":{"a":"1"}}\n',
      '.github/dependabot.yml': dependabot.replaceAll('weekly', 'daily'),
    });
    expect(result?.status).toBe('pass');
  });

  it('passes with a Renovate file or a renovate key in package.json', async () => {
    const file = await assess({
      'go.mod': 'module x\n',
      '.github/renovate.json5': '{ extends: ["config:recommended"] }\n',
    });
    expect(file.result?.status).toBe('pass');
    expect(file.result?.evidence).toEqual([
      { kind: 'file', path: '.github/renovate.json5', line: 1, note: 'Renovate configuration' },
    ]);
    const key = await assess({
      'package.json':
        '{\n  "name": "x",\n  "devDependencies": { "renovate": "^39" },\n  "renovate": {\n    "extends": ["config:base"]\n  }\n}\n',
    });
    expect(key.result?.status).toBe('pass');
    expect(key.result?.evidence[0]).toMatchObject({ path: 'package.json', line: 4 });
  });

  it('fails when manifests exist and nothing updates them, listing what it looked for', async () => {
    const { result } = await assess({ 'requirements.txt': 'flask==3.0.0\n', 'README.md': '# x\n' });
    expect(result?.status).toBe('fail');
    const absence = result?.evidence.find((evidence) => evidence.kind === 'absence');
    expect(absence).toMatchObject({ note: '1 dependency manifest(s), e.g. requirements.txt' });
    expect(absence?.kind === 'absence' && absence.lookedFor).toContain('.github/dependabot.yml');
    expect(result?.findings).toHaveLength(1);
  });

  it('is not applicable without dependency manifests', async () => {
    const { result } = await assess({ 'README.md': '# docs\n' });
    expect(result?.status).toBe('not-applicable');
    expect(result?.evidence[0]?.kind).toBe('absence');
  });

  it('turns a malformed dependabot.yml into findings with the line, not a crash', async () => {
    const { result } = await assess({
      'package.json': '{"dependencies":{"a":"1"}}\n',
      '.github/dependabot.yaml': 'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: "/\n',
    });
    expect(result?.status).toBe('fail');
    expect(result?.findings[0]?.location?.path).toBe('.github/dependabot.yaml');
    expect(result?.findings[0]?.location?.line).toBe(5);
    expect(result?.findings[0]?.message).toBe('.github/dependabot.yaml: Missing closing "quote');
  });

  it('fails a disabled Renovate configuration at its line', async () => {
    const { result } = await assess({
      'Cargo.toml': '[package]\nname = "x"\n',
      'renovate.json': '{\n  "enabled": false\n}\n',
    });
    expect(result?.status).toBe('fail');
    expect(result?.findings[0]).toMatchObject({ location: { path: 'renovate.json', line: 1 } });
  });

  it('fails a Renovate file that is not a JSON object or an empty JSON5 file: Renovate refuses it', async () => {
    for (const [path, text] of [
      ['renovate.json', '{ "extends": ["config:recommended"], }\n'],
      ['.renovaterc', '["config:recommended"]\n'],
      ['renovate.json5', '\n'],
    ] as const) {
      const { result } = await assess({ 'Cargo.toml': '[package]\nname = "x"\n', [path]: text });
      expect(result?.status, path).toBe('fail');
      expect(result?.findings[0]?.message).toBe(
        `${path}: not a JSON object, so Renovate refuses the configuration.`,
      );
    }
  });

  it('reports unknown when a Renovate file cannot be read and nothing else is configured', async () => {
    const { result } = await assess({ 'go.mod': 'module x\n', 'renovate.json': '{"extends":[]}\0\0\n' });
    expect(result?.status).toBe('unknown');
    expect(result?.howToProvide).toContain('renovate.json');
  });

  it('reports unknown when dependabot.yml cannot be read and nothing else is configured', async () => {
    const repository = temporaryRepository();
    repository.write({ 'go.mod': 'module x\n' });
    mkdirSync(join(repository.path, '.github'), { recursive: true });
    symlinkSync('missing-target', join(repository.path, '.github/dependabot.yml'));
    repository.commit('initial');
    const snapshot = await RepositorySnapshot.open(repository.path);
    const facts = await dependencyUpdatesCollector.collect(snapshot, defaultPolicy(), { now: testNow });
    const result = dependencyUpdatesCollector.checks[0]?.evaluate(facts, defaultPolicy(), context);
    expect(result?.status).toBe('unknown');
    expect(result?.howToProvide).toContain('.github/dependabot.yml');
  });

  it('works on a folder that is not a git repository', async () => {
    const { result, snapshot } = await assess(
      { 'package.json': '{"dependencies":{"a":"1"}}\n', '.github/dependabot.yml': dependabot },
      { git: false },
    );
    expect(snapshot.isGitRepository).toBe(false);
    expect(result?.status).toBe('pass');
  });
});

describe('readDependabot', () => {
  it('reports entries without an ecosystem and a missing updates list, with lines', () => {
    expect(readDependabot('version: 2\nupdates:\n  - directory: /\n  - package-ecosystem: pip\n')).toEqual({
      updates: [{ ecosystem: 'pip', line: 4 }],
      problems: [{ message: 'an `updates` entry has no package-ecosystem', line: 3 }],
    });
    expect(readDependabot('version: 2\n').problems).toEqual([{ message: 'no `updates` list', line: 1 }]);
    expect(readDependabot('- a\n- b\n').problems).toEqual([
      { message: 'the file is not a YAML mapping', line: 1 },
    ]);
  });

  it('gives YAML errors the line the parser points at', () => {
    const { problems } = readDependabot('version: 2\nupdates:\n  - package-ecosystem: npm\n bad: [\n');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.line).toBeGreaterThanOrEqual(4);
  });
});

describe('renovateInPackageJson', () => {
  it('ignores a renovate dev dependency and malformed JSON', () => {
    expect(renovateInPackageJson('{"devDependencies":{"renovate":"^39"}}')).toBeUndefined();
    expect(renovateInPackageJson('{ nope')).toBeUndefined();
    expect(renovateInPackageJson('{"renovate":{"enabled":false}}')).toEqual({ line: 1, disabled: true });
  });
});
