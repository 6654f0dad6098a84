// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the fixtures are files that contain `${VAR}` literally.
import { afterEach, describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../../kernel/index.js';
import { defaultPolicy, Policy } from '../../policy/index.js';
import { fileEvidence, testNow } from '../../testing/evaluate-collector.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { findingFingerprint } from '../results.js';
import { runtimeVersionsCollector } from './index.js';

const now = new Date('2026-11-22T12:00:00Z');
let repository: TestRepository;

afterEach(() => repository.remove());

async function evaluate(options: { commit?: boolean; policy?: Policy; at?: Date } = {}) {
  if (options.commit !== false) repository.commit('initial');
  const snapshot = await RepositorySnapshot.open(repository.path);
  const facts = await runtimeVersionsCollector.collect(snapshot, defaultPolicy(), { now: testNow });
  const context = { now: options.at ?? now };
  const policy = options.policy ?? defaultPolicy();
  const results = Object.fromEntries(
    runtimeVersionsCollector.checks.map((check) => [check.id, check.evaluate(facts, policy, context)]),
  );
  return {
    snapshot,
    facts,
    declared: results['runtime-versions/declared'],
    supported: results['runtime-versions/supported'],
  };
}

describe('runtime-versions', () => {
  it('passes both checks for supported runtimes, citing each declaration and the dataset date', async () => {
    repository = createTestRepository();
    repository.write({
      '.nvmrc': '24\n',
      'package.json': '{\n  "name": "web",\n  "engines": {\n    "node": ">=22"\n  }\n}\n',
      'api/go.mod': 'module example.test/api\n\ngo 1.26\n',
      'worker/pyproject.toml': '[project]\nname = "worker"\nrequires-python = ">=3.12"\n',
    });
    const { declared, supported, facts } = await evaluate();
    expect(
      facts.runtimes.map((runtime) => `${runtime.path}:${runtime.line} ${runtime.product} ${runtime.cycle}`),
    ).toEqual([
      '.nvmrc:1 nodejs 24',
      'api/go.mod:3 go 1.26',
      'package.json:4 nodejs 22',
      'worker/pyproject.toml:3 python 3.12',
    ]);
    expect(declared?.status).toBe('pass');
    expect(declared?.evidence).toContainEqual(
      fileEvidence('package.json', 4, 'package.json engines.node: >=22'),
    );
    expect(supported?.status).toBe('pass');
    expect(supported?.findings).toEqual([]);
    expect(supported?.evidence).toContainEqual({
      kind: 'record',
      source: 'shipguard end-of-life dataset',
      note: 'as of 2026-08-22',
    });
    expect(supported?.evidence).toContainEqual(
      fileEvidence('api/go.mod', 3, 'Go 1.26: supported until no date set'),
    );
  });

  it('fails with a high finding at file:line for each end-of-life declaration', async () => {
    repository = createTestRepository();
    repository.write({
      '.nvmrc': 'lts/iron\n',
      Dockerfile: 'FROM python:3.9-slim-buster AS build\nFROM node:24-alpine\n',
      '.github/workflows/ci.yml':
        'on: push\njobs:\n  test:\n    strategy:\n      matrix:\n        node: [18, 24]\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-node@v4\n        with:\n          node-version: ${{ matrix.node }}\n',
    });
    const { supported, declared } = await evaluate();
    expect(declared?.status).toBe('pass');
    expect(supported?.status).toBe('fail');
    const messages = supported?.findings.map(
      (finding) =>
        `${finding.severity} ${finding.location?.path}:${finding.location?.line} ${finding.message}`,
    );
    expect(messages).toEqual([
      'high .nvmrc:1 Node.js 20 reached end of life on 2026-04-30 (declared as lts/iron by .nvmrc).',
      'high Dockerfile:1 Python 3.9 reached end of life on 2025-10-31 (declared as 3.9-slim-buster by Dockerfile FROM python).',
      'high Dockerfile:1 Debian 10 reached end of life on 2022-09-10 (declared as buster by Dockerfile FROM python (base image)).',
      // The CI test matrix says what is supported, not what runs in production: information only.
      'info .github/workflows/ci.yml:6 Node.js 18, past end of life on 2025-04-30, is still tested in CI (actions/setup-node node-version); a test matrix says what is supported, not what runs in production.',
    ]);
    expect(supported?.findings[0]?.fingerprint).toBe(
      findingFingerprint('runtime-versions/supported', '.nvmrc', 'nodejs@20'),
    );
    expect(supported?.evidence.at(-1)).toEqual({
      kind: 'record',
      source: 'shipguard end-of-life dataset',
      note: 'as of 2026-08-22',
    });
  });

  it('does not fail a library for the old runtimes its CI matrix still tests, and says what it runs on is not declared', async () => {
    repository = createTestRepository();
    repository.write({
      'package.json': '{"name": "lib", "version": "1.0.0"}\n',
      '.github/workflows/ci.yml':
        'on: push\njobs:\n  test:\n    strategy:\n      matrix:\n        node: [16, 24]\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-node@v4\n        with:\n          node-version: ${{ matrix.node }}\n',
    });
    const { supported, declared } = await evaluate();
    expect(declared?.status).toBe('fail');
    expect(supported?.status).toBe('unknown');
    expect(supported?.summary).toContain(
      'only CI test runtimes are declared; 2 CI test runtime(s) not judged (1 past end of life',
    );
    expect(supported?.findings.map((finding) => finding.severity)).toEqual(['info']);
    // With the deployed runtime declared, that runtime is what is judged.
    repository.write({ '.nvmrc': '24\n' });
    const after = await evaluate();
    expect(after.supported?.status).toBe('pass');
    expect(after.declared?.status).toBe('pass');
  });

  it('names extended support that runs on after the end of life, apart from it', async () => {
    repository = createTestRepository();
    repository.write({ Dockerfile: 'FROM debian:bookworm-slim\n' });
    const { supported } = await evaluate();
    expect(supported?.status).toBe('fail');
    expect(supported?.findings.map((finding) => finding.message)).toEqual([
      'Debian 12 reached end of life on 2026-07-11 (declared as bookworm-slim by Dockerfile FROM debian); extended support (such as LTS or paid) runs until 2028-06-30.',
    ]);
  });

  it('judges the databases of compose files and Kubernetes manifests, without counting them as the runtime', async () => {
    repository = createTestRepository();
    repository.write({
      'package.json': '{"name": "x"}\n',
      'docker-compose.yml': 'services:\n  db:\n    image: postgres:12\n  cache:\n    image: redis:7.4\n',
      'deploy/db.yaml':
        'apiVersion: apps/v1\nkind: StatefulSet\nspec:\n  template:\n    spec:\n      containers:\n        - image: mysql:5.7\n',
      'deploy/values.yaml': 'image: mysql:5.7\n',
    });
    const { supported, declared, facts } = await evaluate();
    expect(
      facts.runtimes.map((runtime) => `${runtime.path}:${runtime.line} ${runtime.product} ${runtime.cycle}`),
    ).toEqual([
      'deploy/db.yaml:7 mysql 5.7',
      'docker-compose.yml:3 postgresql 12',
      'docker-compose.yml:5 redis 7.4',
    ]);
    expect(declared?.status).toBe('fail');
    expect(supported?.status).toBe('fail');
    expect(supported?.findings.map((finding) => finding.message)).toEqual([
      'MySQL 5.7 reached end of life on 2023-10-31 (declared as 5.7 by db.yaml image mysql).',
      'PostgreSQL 12 reached end of life on 2024-11-21 (declared as 12 by docker-compose.yml image postgres).',
    ]);
  });

  it('warns (low) about a runtime ending within the warning days but still passes', async () => {
    repository = createTestRepository();
    repository.write({
      'App/App.csproj':
        '<Project>\n  <PropertyGroup>\n    <TargetFramework>net9.0</TargetFramework>\n  </PropertyGroup>\n</Project>\n',
      'composer.json': '{\n  "require": {\n    "php": "^8.4"\n  }\n}\n',
    });
    const { supported } = await evaluate({ at: new Date('2026-09-01T00:00:00Z') });
    expect(supported?.status).toBe('pass');
    expect(supported?.findings).toHaveLength(1);
    expect(supported?.findings[0]).toMatchObject({
      severity: 'low',
      location: { path: 'App/App.csproj', line: 3 },
      message:
        '.NET 9.0 reaches end of life on 2026-11-10 (declared as net9.0 by App.csproj TargetFramework).',
    });
    expect(supported?.summary).toContain('1 ending within 90 days');
  });

  it('does not fail on versions the dataset does not know; says how to provide them', async () => {
    repository = createTestRepository();
    repository.write({ '.nvmrc': '99\n', 'package.json': '{"name": "x"}\n' });
    const { supported, declared } = await evaluate();
    expect(declared?.status).toBe('pass');
    expect(supported?.status).toBe('unknown');
    expect(supported?.howToProvide).toMatch(/Update shipguard/);
  });

  it('is unknown when the dataset is older than the policy allows, even with end-of-life versions', async () => {
    repository = createTestRepository();
    repository.write({ '.nvmrc': '16\n' });
    const policy = Policy.parse({ thresholds: { endOfLifeDatasetMaxAgeDays: 30 } });
    const { supported } = await evaluate({ policy, at: new Date('2027-01-15T00:00:00Z') });
    expect(supported?.status).toBe('unknown');
    expect(supported?.howToProvide).toBe('Update shipguard to refresh the dataset.');
    expect(supported?.summary).toContain('146 days old');
  });

  it('fails declared when manifests exist but no version is declared, keeping unreadable ones as evidence', async () => {
    repository = createTestRepository();
    repository.write({
      'package.json': '{"name": "x"}\n',
      Dockerfile: 'ARG BASE\nFROM node:${BASE}\n',
    });
    const { declared, supported } = await evaluate();
    expect(declared?.status).toBe('fail');
    expect(declared?.evidence[0]).toMatchObject({ kind: 'absence', in: 'working tree' });
    expect(declared?.evidence[1]).toEqual(
      fileEvidence('Dockerfile', 2, 'Dockerfile FROM node: ${BASE} (no version can be read)'),
    );
    expect(declared?.findings[0]?.location).toEqual({ path: 'package.json' });
    expect(supported?.status).toBe('unknown');
    expect(supported?.howToProvide).toMatch(/Declare runtime versions/);
  });

  it('is not applicable without manifests or Dockerfiles, also outside git', async () => {
    repository = createTestRepository({ git: false });
    repository.write({ 'README.md': '# docs only\n', 'docs/index.md': 'hello\n' });
    const { declared, supported } = await evaluate({ commit: false });
    expect(declared?.status).toBe('not-applicable');
    expect(declared?.evidence[0]?.kind).toBe('absence');
    expect(supported?.status).toBe('not-applicable');
  });

  it('reads a plain folder and reports malformed files as problems instead of stopping', async () => {
    repository = createTestRepository({ git: false });
    repository.write({
      'package.json': '{"engines": {"node": ',
      '.python-version': '3.8.18\n',
      '.github/workflows/ci.yml': 'jobs: [\n',
    });
    const { declared, supported, snapshot } = await evaluate({ commit: false });
    expect(declared?.status).toBe('pass');
    expect(supported?.status).toBe('fail');
    expect(supported?.findings[0]?.message).toContain('Python 3.8 reached end of life on 2024-10-07');
    expect(snapshot.problems.map((problem) => `${problem.code} ${problem.location?.path}`).sort()).toEqual([
      'RUNTIME_FILE_MALFORMED .github/workflows/ci.yml',
      'RUNTIME_FILE_MALFORMED package.json',
    ]);
  });
});
