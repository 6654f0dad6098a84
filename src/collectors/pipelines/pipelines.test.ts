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

  it('does not pass pinning for pipelines that refer to no action, reusable workflow or image', async () => {
    const { results } = await runChecks({
      '.github/workflows/ci.yml':
        'on: push\npermissions:\n  contents: read\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo hi\n',
    });
    const pinned = results['pipelines/actions-pinned'];
    expect(pinned?.status).toBe('not-applicable');
    expect(pinned?.summary).toContain('refer to no action');
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

describe('credit for what really runs', () => {
  it('credits SAST, a vulnerability scan and an SBOM from a workflow that runs on changes', async () => {
    const { results } = await runChecks({
      '.github/workflows/ci.yml': `${safeCi}      - run: npx shipguard sbom . --out bom.cdx.json\n`,
    });
    expect(results['pipelines/sast']?.status).toBe('pass');
    expect(results['pipelines/vulnerability-scan']?.status).toBe('pass');
    expect(results['pipelines/security-scans']?.status).toBe('pass');
    expect(results['pipelines/sbom-produced']?.status).toBe('pass');
  });

  it('credits nothing from a manual-only workflow, and says why', async () => {
    const { results } = await runChecks({
      '.github/workflows/ci.yml': safeCi.replace(
        /on:\n {2}push:\n {4}branches: \[main\]\n {2}pull_request:\n/,
        'on: workflow_dispatch\n',
      ),
    });
    for (const id of ['pipelines/sast', 'pipelines/vulnerability-scan', 'pipelines/security-scans']) {
      expect(results[id]?.status, id).toBe('fail');
      expect(results[id]?.findings[0]?.message, id).toContain('runs only on workflow_dispatch');
    }
  });

  it('does not count a scan whose failure is swallowed or that only prints its name', async () => {
    const { results } = await runChecks({
      '.github/workflows/ci.yml': safeCi
        .replace('npx semgrep ci', 'npx semgrep ci || true')
        .replace('npx osv-scanner -r .', 'echo osv-scanner -r .'),
    });
    expect(results['pipelines/sast']?.findings[0]?.message).toContain('ignores its failure');
    expect(results['pipelines/vulnerability-scan']?.findings[0]?.message).toContain('only prints it');
  });
});

describe('publishing deploys', () => {
  const publish = (step: string) =>
    `name: release\non:\n  push:\n    tags: ['v*']\npermissions:\n  contents: read\njobs:\n  release:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@${sha} # v4\n      - run: npm ci && npm test\n${step}`;

  it.each([
    ['changesets', '      - run: npx changeset publish\n'],
    ['a GitHub release', '      - run: gh release create v1.0.0 dist/*\n'],
    ['npm run publish', '      - run: npm run publish\n'],
  ])('counts %s as publishing: provenance is required, not N/A', async (_name, step) => {
    const { results } = await runChecks({ '.github/workflows/release.yml': publish(step) });
    expect(results['pipelines/provenance-produced']?.status).toBe('fail');
    expect(results['pipelines/deploy-gated']?.status).not.toBe('not-applicable');
  });

  it('passes provenance signed in the releasing workflow', async () => {
    const { results } = await runChecks({
      '.github/workflows/release.yml': publish(
        '      - run: npx shipguard attest dist/app.tgz\n      - run: npm publish\n',
      ),
    });
    expect(results['pipelines/provenance-produced']?.status).toBe('pass');
  });

  it('is not applicable when nothing is deployed or published', async () => {
    const { results } = await runChecks({
      '.github/workflows/ci.yml': safeCi.slice(0, safeCi.indexOf('  deploy:')),
    });
    expect(results['pipelines/provenance-produced']?.status).toBe('not-applicable');
  });

  it('fails a publishable package that no pipeline publishes (published by hand), not "not applicable"', async () => {
    const ci = safeCi.slice(0, safeCi.indexOf('  deploy:'));
    const { results } = await runChecks({
      '.github/workflows/ci.yml': ci,
      'package.json': '{"name": "left-pad", "version": "1.3.0"}\n',
    });
    for (const id of ['pipelines/deploy-gated', 'pipelines/provenance-produced']) {
      expect(results[id]?.status, id).toBe('fail');
      expect(results[id]?.findings[0]?.message).toContain(
        'Releases are published by hand (package.json names a publishable package (left-pad@1.3.0',
      );
    }
    // A private package with release tags may be deployed by a system not visible offline: unknown.
    repository.remove();
    const tagged = await runChecks({
      '.github/workflows/ci.yml': ci,
      'package.json': '{"name": "app", "version": "1.0.0", "private": true}\n',
    });
    expect(tagged.results['pipelines/deploy-gated']?.status).toBe('not-applicable');
    repository.git('tag', 'v1.0.0');
    const snapshot = await RepositorySnapshot.open(repository.path);
    const facts = await pipelinesCollector.collect(snapshot, defaultPolicy(), { now: testNow });
    const gated = pipelinesCollector.checks.find((check) => check.id === 'pipelines/deploy-gated');
    const result = gated?.evaluate(facts, defaultPolicy(), context);
    expect(result?.status).toBe('unknown');
    expect(result?.summary).toContain('1 release tag(s) such as v1.0.0');
  });
});
