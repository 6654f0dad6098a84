import { describe, expect, it } from 'vitest';
import { evaluateCollectorOnFiles } from '../../testing/evaluate-collector.js';
import type { CiFacts } from './collect.js';
import { ciCollector } from './index.js';

async function assess(files: Record<string, string>, options: { git?: boolean } = {}) {
  const { facts, results, snapshot } = await evaluateCollectorOnFiles<CiFacts>(ciCollector, files, options);
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
    // A binary file says nothing of when it runs: no pipeline is shown to build changes.
    expect(present?.status).toBe('unknown');
    expect(present?.summary).toContain('.travis.yml');
    expect(runsTests?.status).toBe('unknown');
    expect(runsTests?.howToProvide).toBeDefined();
  });

  it('gives no test credit from the text of a workflow that is not valid YAML (GitHub does not run it)', async () => {
    const { runsTests, facts } = await assess({
      // A second `on:` key: GitHub refuses the file, so its `npm test` never runs.
      '.github/workflows/ci.yml': workflow.replace('on: [push]', 'on: [push]\non: [workflow_dispatch]'),
      '.github/workflows/broken.yml': `${workflow}      - run: [unclosed\n`,
    });
    expect(facts.files.map((file) => [file.path, file.readable, file.testCommand])).toEqual([
      ['.github/workflows/broken.yml', false, undefined],
      ['.github/workflows/ci.yml', false, undefined],
    ]);
    expect(runsTests?.status).toBe('unknown');
  });

  it('works on a folder that is not a git repository', async () => {
    const { runsTests, snapshot } = await assess({ '.github/workflows/ci.yml': workflow }, { git: false });
    expect(snapshot.isGitRepository).toBe(false);
    expect(runsTests?.status).toBe('pass');
  });
});

describe('test credit', () => {
  const base = ['name: ci', 'on: [push]', 'jobs:', '  test:', '    runs-on: ubuntu-latest', '    steps:'];

  it.each([
    ['a switched-off step', ['      - run: npm test', '        if: false'], 'switched off'],
    ['continue-on-error', ['      - run: npm test', '        continue-on-error: true'], 'continue-on-error'],
    ['echo', ['      - run: echo npm test'], ''],
    ['|| true', ['      - run: npm test || true'], ''],
  ])('gives no credit for %s', async (_name, steps, reason) => {
    const { runsTests } = await assess({ '.github/workflows/ci.yml': [...base, ...steps, ''].join('\n') });
    expect(runsTests?.status).toBe('fail');
    if (reason !== '') expect(runsTests?.summary).toContain(reason);
  });

  it('fails ci/present and gives no credit when no workflow runs on changes', async () => {
    const text = [...base, '      - run: npm test', '']
      .join('\n')
      .replace('on: [push]', 'on: workflow_dispatch');
    const { present, runsTests } = await assess({ '.github/workflows/ci.yml': text });
    expect(present?.status).toBe('fail');
    expect(runsTests?.status).toBe('fail');
    expect(runsTests?.summary).toContain('runs only on workflow_dispatch');
  });

  it('credits a real test step at its line', async () => {
    const text = [...base, '      - run: npm ci', '      - run: |', '          npm test', ''].join('\n');
    const { runsTests } = await assess({ '.github/workflows/ci.yml': text });
    expect(runsTests?.status).toBe('pass');
    expect(runsTests?.evidence[0]).toMatchObject({ path: '.github/workflows/ci.yml', line: 9 });
  });
});
