import { afterEach, describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../../kernel/index.js';
import { defaultPolicy, Policy } from '../../policy/index.js';
import { testNow } from '../../testing/evaluate-collector.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { pipelinesCollector } from './index.js';

const context = { now: new Date('2026-06-01T00:00:00Z') };
const sha = '11bd71901bbe5b1630ceea73d27597364c9af683';
let repository: TestRepository;

afterEach(() => repository.remove());

async function runChecks(files: Record<string, string>, policy = defaultPolicy()) {
  repository = createTestRepository();
  repository.write(files);
  repository.commit('initial');
  const snapshot = await RepositorySnapshot.open(repository.path);
  const facts = await pipelinesCollector.collect(snapshot, defaultPolicy(), { now: testNow });
  const results = Object.fromEntries(
    pipelinesCollector.checks.map((check) => [check.id, check.evaluate(facts, policy, context)]),
  );
  return { results, problems: snapshot.problems };
}

const safeCi = `name: ci
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@${sha} # v4
      - run: npm ci && npm test
      - run: npx semgrep ci
      - run: npx osv-scanner -r .
      - run: gitleaks detect
  deploy:
    needs: [test]
    if: github.ref == 'refs/heads/main'
    runs-on: ubuntu-24.04
    environment: production
    steps:
      - run: ./deploy.sh
`;

describe('pipelines collector', () => {
  it('passes a pinned, least-privilege workflow; the production gate is unknown offline', async () => {
    const { results } = await runChecks({ '.github/workflows/ci.yml': safeCi });
    expect(results['pipelines/no-dangerous-patterns']?.status).toBe('pass');
    expect(results['pipelines/actions-pinned']?.status).toBe('pass');
    expect(results['pipelines/least-privilege']?.status).toBe('pass');
    expect(results['pipelines/security-scans']?.status).toBe('pass');
    const gated = results['pipelines/deploy-gated'];
    expect(gated?.status).toBe('unknown');
    expect(gated?.howToProvide).toContain('Environments');
    expect(gated?.evidence[0]).toMatchObject({ kind: 'file', path: '.github/workflows/ci.yml', line: 17 });
  });

  it('fails with located findings for an injectable, unpinned, default-permission workflow', async () => {
    const { results } = await runChecks({
      '.github/workflows/triage.yml':
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
        'on: issues\njobs:\n  triage:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: someone/bot@v1\n      - run: echo "${{ github.event.issue.title }}"\n',
    });
    const dangerous = results['pipelines/no-dangerous-patterns'];
    expect(dangerous?.status).toBe('fail');
    expect(dangerous?.findings[0]).toMatchObject({
      severity: 'high',
      location: { path: '.github/workflows/triage.yml', line: 7, column: 20 },
    });
    expect(dangerous?.findings[0]?.message).toContain('[pipelines/untrusted-input-in-script]');
    expect(results['pipelines/actions-pinned']?.findings[0]?.location).toEqual({
      path: '.github/workflows/triage.yml',
      line: 6,
      column: 15,
    });
    expect(results['pipelines/least-privilege']?.status).toBe('fail');
    expect(results['pipelines/security-scans']?.findings.map((finding) => finding.fingerprint)).toHaveLength(
      3,
    );
    expect(results['pipelines/deploy-gated']?.status).toBe('not-applicable');
  });

  it('treats a trusted owner like actions/*: still a finding, at low severity', async () => {
    const policy = Policy.parse({ pipelines: { trustedActionOwners: ['my-org'] } });
    const { results } = await runChecks(
      {
        '.github/workflows/ci.yml':
          'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: my-org/setup@v2\n',
      },
      policy,
    );
    expect(results['pipelines/actions-pinned']?.findings.map((finding) => finding.severity)).toEqual(['low']);
  });

  it('fails a production deploy with no tests, no approval and no branch restriction (GitLab)', async () => {
    const { results } = await runChecks({
      '.gitlab-ci.yml':
        'stages: [deploy]\ndeploy:\n  stage: deploy\n  environment: production\n  script: [kubectl apply -f k8s]\n',
    });
    const gated = results['pipelines/deploy-gated'];
    expect(gated?.status).toBe('fail');
    expect(gated?.findings.map((finding) => finding.message)).toEqual([
      'gitlab-ci job deploy (.gitlab-ci.yml) deploys to production without depending on a job that runs tests.',
      'gitlab-ci job deploy (.gitlab-ci.yml) deploys to production without depending on a security scan job.',
      'gitlab-ci job deploy (.gitlab-ci.yml) deploys to production with no approval gate (environment or manual job).',
      'gitlab-ci job deploy (.gitlab-ci.yml) deploys to production from any branch.',
    ]);
  });

  it('reports a malformed workflow as a located problem, says unknown, and still checks the rest', async () => {
    const { results, problems } = await runChecks({
      '.github/workflows/bad.yml': 'on: push\njobs: [\n',
      '.github/workflows/ci.yml': safeCi,
    });
    expect(problems.map((problem) => [problem.code, problem.location?.path])).toEqual([
      ['PIPELINE_YAML_INVALID', '.github/workflows/bad.yml'],
    ]);
    expect(results['pipelines/no-dangerous-patterns']?.status).toBe('unknown');
    expect(results['pipelines/security-scans']?.status).toBe('pass');
  });

  it('is not applicable without pipelines, but the missing scans still fail', async () => {
    const { results } = await runChecks({ 'README.md': '# x\n' });
    expect(results['pipelines/no-dangerous-patterns']?.status).toBe('not-applicable');
    expect(results['pipelines/security-scans']?.status).toBe('fail');
  });

  it('fails a production deploy without an admission check, and passes it with shipguard gate before it', async () => {
    const without = await runChecks({ '.github/workflows/ci.yml': safeCi });
    const missing = without.results['pipelines/deploy-admission'];
    expect(missing?.status).toBe('fail');
    expect(missing?.findings[0]?.location).toMatchObject({ path: '.github/workflows/ci.yml', line: 17 });
    repository.remove();

    const gatedCi = safeCi.replace(
      '      - run: ./deploy.sh',
      '      - run: npx shipguard gate --artifact dist/app.tgz --env production\n      - run: ./deploy.sh',
    );
    const withGate = await runChecks({ '.github/workflows/ci.yml': gatedCi });
    const admitted = withGate.results['pipelines/deploy-admission'];
    expect(admitted?.status).toBe('pass');
    expect(admitted?.evidence[0]).toMatchObject({ path: '.github/workflows/ci.yml', line: 23 });
  });

  it('does not ask for admission where nothing deploys to production', async () => {
    const { results } = await runChecks({
      '.github/workflows/ci.yml': safeCi.replace('environment: production', 'environment: staging'),
    });
    expect(results['pipelines/deploy-admission']?.status).toBe('not-applicable');
  });
});
