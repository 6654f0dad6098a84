import { afterEach, describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../../kernel/index.js';
import { defaultPolicy } from '../../policy/index.js';
import { testNow } from '../../testing/evaluate-collector.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { environmentOfPath } from './collect.js';
import { environmentsCollector } from './index.js';

const context = { now: new Date('2026-06-01T00:00:00Z') };
let repository: TestRepository | undefined;

afterEach(() => repository?.remove());

async function runCheck(files: Record<string, string>) {
  const created = createTestRepository();
  repository = created;
  created.write(files);
  created.commit('initial');
  const snapshot = await RepositorySnapshot.open(created.path);
  const facts = await environmentsCollector.collect(snapshot, defaultPolicy(), { now: testNow });
  const [check] = environmentsCollector.checks;
  if (!check) throw new Error('no check');
  return check.evaluate(facts, defaultPolicy(), context);
}

/** A job that deploys to `environment` with the shared DEPLOY_TOKEN secret. */
const deployJob = (environment: string) => `  deploy-${environment}:
    runs-on: ubuntu-latest
    environment: ${environment}
    steps:
      - run: ./deploy.sh
        env:
          TOKEN: \${{ secrets.DEPLOY_TOKEN }}
`;

const deployWorkflow = (testStep: string) => `on: push
permissions: {}
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: ${testStep}
${deployJob('staging')}${deployJob('production')}`;

// Built at run time so that no credential-like literal sits in the source.
const sharedPassword = ['Zq8', 'vK2', '-wX9', 'pL4m'].join('');

describe('environments collector', () => {
  it('classifies environment configuration by its path', () => {
    expect(environmentOfPath('config/production.yml')).toEqual({
      environment: 'production',
      token: 'production',
    });
    expect(environmentOfPath('.env.staging')).toEqual({ environment: 'non-production', token: 'staging' });
    expect(environmentOfPath('k8s/overlays/prod/kustomization.yaml')).toEqual({
      environment: 'production',
      token: 'prod',
    });
    expect(environmentOfPath('charts/api/values-dev.yaml')).toEqual({
      environment: 'non-production',
      token: 'dev',
    });
    expect(environmentOfPath('terraform/prod.tfvars')).toEqual({ environment: 'production', token: 'prod' });
    expect(environmentOfPath('src/production.ts')).toBeUndefined();
  });

  it('passes environment-scoped secrets with separate deploy jobs', async () => {
    const result = await runCheck({ '.github/workflows/deploy.yml': deployWorkflow('npm test') });
    expect(result.status).toBe('pass');
    expect(result.evidence.map((item) => item.kind === 'file' && item.note)).toContain(
      'production job deploy-production (environment production)',
    );
  });

  it('fails when a test job reads a production secret', async () => {
    const result = await runCheck({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
      '.github/workflows/deploy.yml': deployWorkflow('PROD_DB_URL=${{ secrets.PROD_DB_URL }} npm test'),
    });
    expect(result.status).toBe('fail');
    expect(result.findings[0]?.message).toBe(
      'non-production job test reads the production secret PROD_DB_URL.',
    );
    expect(result.findings[0]?.location).toEqual({
      path: '.github/workflows/deploy.yml',
      line: 7,
      column: 30,
    });
  });

  it('fails when staging config shares a database host and a secret value with production, masked', async () => {
    const result = await runCheck({
      'config/production.yml': `database:\n  url: postgres://app@db1.acme-corp.net/app\n  password: ${sharedPassword}\n`,
      'config/staging.yml': `database:\n  url: postgres://app@db1.acme-corp.net/app\n  password: ${sharedPassword}\n`,
    });
    expect(result.status).toBe('fail');
    expect(result.findings.map((finding) => finding.message)).toEqual([
      'config/staging.yml (staging) points at db1.acme-corp.net, a host of production configuration config/production.yml.',
      'config/staging.yml (staging) holds the same secret value (Zq…4m) as config/production.yml.',
    ]);
    expect(JSON.stringify(result)).not.toContain(sharedPassword);
  });

  it('is not applicable without environments', async () => {
    const result = await runCheck({ 'README.md': '# lib\n' });
    expect(result.status).toBe('not-applicable');
  });
});
