import { describe, expect, it } from 'vitest';
import { PipelineError } from './errors.js';
import { describePipeline } from './evidence.js';
import { parseWorkflow } from './github.js';
import { loadPipelines } from './load.js';
import { memorySource } from './memory-source.js';
import { parseYaml, positionWithin } from './yaml.js';

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('parseYaml', () => {
  it('reads a key with no value (`? x`), which fuzzing found crashed the anchor walk', () => {
    expect(() => parseYaml('w.yml', '? x\n')).not.toThrow();
  });

  it('keeps line and column of every value, and locates an expression inside a block script', () => {
    const workflow = parseWorkflow(
      '.github/workflows/a.yml',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
      'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          echo one\n          echo "${{ github.head_ref }}"\n',
    );
    const job = workflow.jobs[0];
    expect(job?.position).toEqual({ path: '.github/workflows/a.yml', line: 3, column: 3 });
    const run = job?.steps[0]?.run;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    expect(run?.text).toBe('echo one\necho "${{ github.head_ref }}"\n');
    if (!run) throw new Error('no run');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    expect(positionWithin(run, '${{ github.head_ref }}')).toEqual({
      path: '.github/workflows/a.yml',
      line: 8,
      column: 17,
    });
  });

  it('turns malformed YAML into a located PIPELINE_YAML_INVALID error', () => {
    const error = caught(() => parseYaml('x.yml', 'a: 1\nb: [1, 2\nc: 3\n'));
    expect(error).toBeInstanceOf(PipelineError);
    expect((error as PipelineError).code).toBe('PIPELINE_YAML_INVALID');
    expect((error as PipelineError).location?.path).toBe('x.yml');
    expect((error as PipelineError).location?.line).toBeGreaterThanOrEqual(2);
  });

  it('turns a line of thousands of implicit keys into PIPELINE_YAML_INVALID, not a stack overflow', () => {
    const text = `jobs:\n  build:\n    steps:\n      - ${'uses: '.repeat(5000)}x\n  again: 1\n`;
    const error = caught(() => parseYaml('deep.yml', text));
    expect((error as PipelineError).code).toBe('PIPELINE_YAML_INVALID');
    expect((error as PipelineError).message).toContain('nests deeper than can be read');
  });

  it('bounds alias expansion (a billion laughs ends in PIPELINE_ALIAS_LIMIT)', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 9; level += 1) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      lines.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const error = caught(() => parseYaml('bomb.yml', `${lines.join('\n')}\n`));
    expect((error as PipelineError).code).toBe('PIPELINE_ALIAS_LIMIT');
  });

  it('refuses files over the size limit', () => {
    const error = caught(() => parseYaml('big.yml', 'a: b\n', { maxBytes: 3, maxNodes: 10, maxDepth: 5 }));
    expect((error as PipelineError).code).toBe('PIPELINE_TOO_LARGE');
  });

  it('expands merge keys, keeping keys written in the map', () => {
    const value = parseYaml('m.yml', 'base: &base {a: 1, b: 2}\nx:\n  <<: *base\n  b: 3\n');
    expect(value?.kind).toBe('map');
    const x = value?.kind === 'map' ? value.entries.find((item) => item.key === 'x')?.value : undefined;
    expect(
      x?.kind === 'map'
        ? x.entries.map((item) => [item.key, item.value.kind === 'scalar' ? item.value.text : ''])
        : [],
    ).toEqual([
      ['b', '3'],
      ['a', '1'],
    ]);
  });
});

describe('loadPipelines', () => {
  it('goes on past a malformed workflow and reports it with its location', async () => {
    const set = await loadPipelines(
      memorySource({
        '.github/workflows/bad.yml': 'on: push\njobs:\n  x: [\n',
        '.github/workflows/good.yml':
          'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n',
      }),
    );
    expect(set.workflows.map((workflow) => workflow.path)).toEqual(['.github/workflows/good.yml']);
    expect(set.errors.map((error) => [error.code, error.location?.path])).toEqual([
      ['PIPELINE_YAML_INVALID', '.github/workflows/bad.yml'],
    ]);
  });

  it('reads GitLab CI with local includes, extends and anchors', async () => {
    const set = await loadPipelines(
      memorySource({
        '.gitlab-ci.yml': [
          'include:',
          '  - local: /ci/templates.yml',
          'stages: [build, test, deploy]',
          '.defaults: &defaults',
          '  image: node:24',
          'unit:',
          '  <<: *defaults',
          '  stage: test',
          '  script: [npm test]',
          'deploy-prod:',
          '  extends: .deploy',
          '  environment: production',
          '',
        ].join('\n'),
        'ci/templates.yml':
          '.deploy:\n  stage: deploy\n  when: manual\n  script:\n    - kubectl apply -f k8s/\n  only: [main]\n',
      }),
    );
    expect(set.errors).toEqual([]);
    const gitlab = set.pipelines.find((pipeline) => pipeline.system === 'gitlab-ci');
    expect(gitlab?.files).toEqual(['.gitlab-ci.yml', 'ci/templates.yml']);
    const deploy = gitlab?.jobs.find((job) => job.id === 'deploy-prod');
    expect(deploy?.commands[0]?.position).toEqual({ path: 'ci/templates.yml', line: 5, column: 7 });
    expect(deploy?.manualGate?.kind).toBe('manual-job');
    expect(deploy?.refRestriction?.text).toBe('main');
    expect(deploy?.needs).toEqual(['unit']);
    expect(gitlab?.jobs.find((job) => job.id === 'unit')?.images[0]?.text).toBe('node:24');
    if (!gitlab) throw new Error('no gitlab pipeline');
    const evidence = describePipeline(gitlab);
    expect(evidence.deployGates[0]?.tests?.job).toBe('unit');
    expect(evidence.deployGates[0]?.job.production).toBe(true);
  });

  it('reports a missing include and a cyclic extends, and still reads the jobs', async () => {
    const set = await loadPipelines(
      memorySource({
        '.gitlab-ci.yml':
          'include: /nope.yml\n.a:\n  extends: .b\n.b:\n  extends: .a\njob:\n  extends: .a\n  script: make\n',
      }),
    );
    expect(set.errors.map((error) => error.code).sort()).toEqual([
      'PIPELINE_EXTENDS_INVALID',
      'PIPELINE_INCLUDE_MISSING',
    ]);
    expect(set.pipelines[0]?.jobs.map((job) => job.id)).toEqual(['job']);
  });

  it('reports an included file that could not be read (binary, a link out), not only the root', async () => {
    const files: Record<string, string> = {
      '.gitlab-ci.yml': 'include:\n  - local: ci/deploy.yml\njob:\n  script: make\n',
    };
    const set = await loadPipelines({
      files: ['.gitlab-ci.yml', 'ci/deploy.yml'],
      // The snapshot answers undefined for a file it could not read, and records why.
      readText: async (path) => {
        const text = files[path];
        return text === undefined ? undefined : { path, text, truncated: false, size: text.length };
      },
    });
    expect(set.errors.map((error) => [error.code, error.location])).toEqual([
      ['PIPELINE_INCLUDE_UNREADABLE', { path: '.gitlab-ci.yml', line: 2, column: 12 }],
    ]);
    expect(set.pipelines[0]?.jobs.map((job) => job.id)).toEqual(['job']);
  });

  it('reports an included file that is not a mapping of jobs', async () => {
    const set = await loadPipelines(
      memorySource({
        '.gitlab-ci.yml': 'include: ci/jobs.yml\njob:\n  script: make\n',
        'ci/jobs.yml': '- deploy:\n    script: ./deploy.sh\n',
      }),
    );
    expect(set.errors.map((error) => [error.code, error.location?.path])).toEqual([
      ['PIPELINE_NOT_A_MAPPING', 'ci/jobs.yml'],
    ]);
  });

  it('matches a wildcard include in time linear in the paths, whatever the pattern', async () => {
    // As a regular expression, twelve `*a` against a run of 36 `a` backtracks for seconds, of 60 for hours.
    const started = Date.now();
    const set = await loadPipelines(
      memorySource({
        '.gitlab-ci.yml': `include: '${'*a'.repeat(12)}x'\njob:\n  script: make\n`,
        [`${'a'.repeat(36)}.yml`]: 'other: {}\n',
      }),
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(set.errors.map((error) => error.code)).toEqual(['PIPELINE_INCLUDE_MISSING']);
  });

  it('reads the structure of Jenkins, CircleCI, Azure, Bitbucket and Buildkite pipelines', async () => {
    const set = await loadPipelines(
      memorySource({
        Jenkinsfile:
          "pipeline {\n  stages {\n    stage('Build') {\n      steps { sh 'make build' }\n    }\n    stage('Test') {\n      steps { sh 'make test' }\n    }\n  }\n}\n",
        '.circleci/config.yml':
          'version: 2.1\njobs:\n  test:\n    docker:\n      - image: cimg/node:24.0\n    steps:\n      - checkout\n      - run: npm test\nworkflows:\n  main:\n    jobs: [test]\n',
        'azure-pipelines.yml':
          'stages:\n  - stage: Build\n    jobs:\n      - job: build\n        steps:\n          - script: dotnet build\n  - stage: Deploy\n    jobs:\n      - deployment: web\n        environment: production\n        strategy:\n          runOnce:\n            deploy:\n              steps:\n                - script: az webapp deploy --name x\n',
        'bitbucket-pipelines.yml':
          'pipelines:\n  branches:\n    main:\n      - step:\n          name: Test\n          script: [npm test]\n      - step:\n          name: Deploy\n          deployment: production\n          trigger: manual\n          script: [npm publish]\n',
        '.buildkite/pipeline.yml':
          'steps:\n  - label: test\n    key: test\n    command: make test\n  - block: release\n  - label: deploy\n    command: make deploy\n',
      }),
    );
    expect(set.errors).toEqual([]);
    const bySystem = Object.fromEntries(
      set.pipelines.map((pipeline) => [pipeline.system, pipeline.jobs.map((job) => job.name)]),
    );
    expect(bySystem).toEqual({
      jenkins: ['Build', 'Test'],
      circleci: ['test'],
      'azure-pipelines': ['build', 'web'],
      'bitbucket-pipelines': ['Test', 'Deploy'],
      buildkite: ['test', 'deploy'],
    });
    const jenkins = set.pipelines.find((pipeline) => pipeline.system === 'jenkins');
    expect(jenkins?.jobs[1]?.commands[0]?.position).toEqual({ path: 'Jenkinsfile', line: 7, column: 15 });
    const bitbucket = set.pipelines.find((pipeline) => pipeline.system === 'bitbucket-pipelines');
    expect(bitbucket?.jobs[1]?.manualGate?.kind).toBe('manual-job');
    expect(bitbucket?.jobs[1]?.environment?.name).toBe('production');
  });
});
