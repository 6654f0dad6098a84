import { afterEach, describe, expect, it } from 'vitest';
import { evaluateCollector } from '../../testing/evaluate-collector.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import type { CiFacts } from './collect.js';
import { ciCollector } from './index.js';

let repository: TestRepository | undefined;

afterEach(() => {
  repository?.remove();
  repository = undefined;
});

async function assess(files: Record<string, string>, options: { git?: boolean } = {}) {
  repository = createTestRepository({ git: options.git !== false });
  repository.write(files);
  if (options.git !== false) repository.commit('initial');
  const { facts, results, snapshot } = await evaluateCollector<CiFacts>(ciCollector, repository.path);
  return { facts, present: results['ci/present'], runsTests: results['ci/runs-tests'], snapshot };
}

const workflow = [
  'name: ci',
  'on: [push]',
  'jobs:',
  '  test:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - run: npm ci',
  '      - run: npm test',
  '',
].join('\n');

describe('ci collector', () => {
  it('passes when a workflow runs the tests, citing the line', async () => {
    const { present, runsTests, facts } = await assess({
      '.github/workflows/ci.yml': workflow,
      '.github/workflows/release.yaml': 'on: [push]\njobs:\n  r:\n    steps:\n      - run: npm publish\n',
      '.github/workflows/nested/ignored.yml': workflow,
    });
    expect(facts.files.map((file) => file.path)).toEqual([
      '.github/workflows/ci.yml',
      '.github/workflows/release.yaml',
    ]);
    expect(present?.status).toBe('pass');
    expect(present?.evidence).toEqual([
      { kind: 'file', path: '.github/workflows/ci.yml', note: 'github-actions' },
      { kind: 'file', path: '.github/workflows/release.yaml', note: 'github-actions' },
    ]);
    expect(runsTests?.status).toBe('pass');
    expect(runsTests?.evidence).toEqual([
      { kind: 'file', path: '.github/workflows/ci.yml', line: 8, note: 'runs npm test' },
    ]);
  });

  it('fails both checks without CI, listing the places searched', async () => {
    const { present, runsTests } = await assess({ 'README.md': '# x\n' });
    expect(present?.status).toBe('fail');
    expect(present?.evidence[0]?.kind).toBe('absence');
    expect(present?.findings).toHaveLength(1);
    expect(runsTests?.status).toBe('fail');
    expect(runsTests?.evidence[0]?.kind === 'absence' && runsTests.evidence[0].lookedFor).toContain(
      '.gitlab-ci.yml',
    );
  });

  it('fails runs-tests with a finding at each CI file when none runs tests', async () => {
    const { present, runsTests } = await assess({
      '.gitlab-ci.yml': 'build:\n  script:\n    - make build\n',
      Jenkinsfile: "pipeline { stages { stage('b') { steps { sh 'go build ./...' } } } }\n",
    });
    expect(present?.status).toBe('pass');
    expect(runsTests?.status).toBe('fail');
    expect(runsTests?.findings.map((finding) => finding.location)).toEqual([
      { path: '.gitlab-ci.yml' },
      { path: 'Jenkinsfile' },
    ]);
    expect(runsTests?.evidence).toHaveLength(2);
  });

  it('recognises the other CI systems', async () => {
    const { facts, runsTests } = await assess({
      '.circleci/config.yml': 'jobs:\n  t:\n    steps:\n      - run: pytest\n',
      'azure-pipelines.yml': 'steps:\n- script: dotnet test\n',
      '.azure-pipelines/nightly.yml': 'steps:\n- script: echo\n',
      'bitbucket-pipelines.yml':
        'pipelines:\n  default:\n    - step:\n        script:\n          - mvn -B verify\n',
      '.buildkite/pipeline.yml': 'steps:\n  - command: go test ./...\n',
      '.travis.yml': 'script: bundle exec rake\n',
      '.drone.yml': 'steps:\n- commands:\n  - cargo test\n',
    });
    expect(facts.files.map((file) => [file.system, file.testCommand?.command])).toEqual([
      ['azure-pipelines', undefined],
      ['buildkite', 'go test'],
      ['circleci', 'pytest'],
      ['drone', 'cargo test'],
      ['travis', 'rake'],
      ['azure-pipelines', 'dotnet test'],
      ['bitbucket-pipelines', 'mvn test'],
    ]);
    expect(runsTests?.status).toBe('pass');
    expect(runsTests?.evidence).toHaveLength(6);
  });

  it('searches only the first megabyte of a huge CI file and records the truncation', async () => {
    const padding = `# ${'x'.repeat(100)}\n`.repeat(11_000);
    const { runsTests, snapshot, facts } = await assess({
      '.gitlab-ci.yml': `build:\n  script:\n    - make build\n${padding}test:\n  script:\n    - npm test\n`,
    });
    expect(facts.files[0]?.truncated).toBe(true);
    expect(runsTests?.status).toBe('fail');
    expect(runsTests?.evidence[0]).toMatchObject({ note: expect.stringContaining('first 1 MB') });
    expect(snapshot.problems).toContainEqual(
      expect.objectContaining({ code: 'FILE_TRUNCATED', location: { path: '.gitlab-ci.yml' } }),
    );
  });

  it('reports unknown when no CI file can be read', async () => {
    const { present, runsTests } = await assess({ '.travis.yml': 'script: npm test\0\0\n' });
    expect(present?.status).toBe('pass');
    expect(runsTests?.status).toBe('unknown');
    expect(runsTests?.howToProvide).toBeDefined();
  });

  it('works on a folder that is not a git repository', async () => {
    const { runsTests, snapshot } = await assess({ '.github/workflows/ci.yml': workflow }, { git: false });
    expect(snapshot.isGitRepository).toBe(false);
    expect(runsTests?.status).toBe('pass');
  });
});
