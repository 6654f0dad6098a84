import { afterEach, describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../../kernel/index.js';
import { defaultPolicy, loadPolicy } from '../../policy/index.js';
import { testNow } from '../../testing/evaluate-collector.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { classifyByContent, classifyByName, maxInspectedFiles } from './collect.js';
import { iacCollector } from './index.js';

/** The policy as the engine would load it from the test repository's shipguard.yaml. */
async function policyOf(root: string) {
  return (await loadPolicy(root)).policy;
}

const context = { now: new Date('2026-11-22T00:00:00Z') };
let repository: TestRepository;

afterEach(() => repository.remove());

async function evaluate() {
  const snapshot = await RepositorySnapshot.open(repository.path);
  const facts = await iacCollector.collect(snapshot, await policyOf(repository.path), { now: testNow });
  const [check] = iacCollector.checks;
  if (!check) throw new Error('iac has no check');
  return { facts, result: check.evaluate(facts, defaultPolicy(), context) };
}

const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n';

describe('iac/present', () => {
  it('finds every kind of infrastructure as code in a git repository', async () => {
    repository = createTestRepository();
    repository.write({
      'infra/main.tf': 'resource "null_resource" "x" {}\n',
      'infra/tofu/main.tofu': 'terraform {}\n',
      'Pulumi.yaml': 'name: demo\nruntime: nodejs\n',
      'aws/template.yaml': "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n",
      'aws/sam.yml': 'Transform: AWS::Serverless-2016-10-31\nResources: {}\n',
      'aws/stack.template.json': '{\n  "AWSTemplateFormatVersion": "2010-09-09"\n}\n',
      'k8s/deployment.yaml': `${deployment}---\napiVersion: v1\nkind: Service\n`,
      'k8s/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
      'chart/Chart.yaml': 'apiVersion: v2\nname: web\n',
      'chart/templates/service.yaml': deployment,
      Dockerfile: 'FROM node:24\n',
      'build/api.Dockerfile': 'FROM node:24\n',
      'compose.yaml': 'services: {}\n',
      'ansible/site.yml': '- name: web\n  hosts: webservers\n  tasks:\n    - name: ping\n      ping:\n',
      'ansible/roles/web/tasks/main.yml': '- name: x\n  ping:\n',
      'azure/main.bicep': "param location string = 'uksouth'\n",
      'jobs/web.nomad': 'job "web" {}\n',
      '.github/workflows/ci.yml': 'on: push\njobs: {}\n',
      'config/app.yaml': 'port: 8080\n',
      'package.json': '{"name": "demo"}\n',
    });
    repository.commit('initial');
    const { facts, result } = await evaluate();
    expect(Object.fromEntries(facts.files.map((file) => [file.path, file.kind]))).toEqual({
      Dockerfile: 'dockerfile',
      'Pulumi.yaml': 'pulumi',
      'ansible/roles/web/tasks/main.yml': 'ansible',
      'ansible/site.yml': 'ansible',
      'aws/sam.yml': 'cloudformation',
      'aws/stack.template.json': 'cloudformation',
      'aws/template.yaml': 'cloudformation',
      'azure/main.bicep': 'bicep',
      'build/api.Dockerfile': 'dockerfile',
      'chart/Chart.yaml': 'helm',
      'compose.yaml': 'compose',
      'infra/main.tf': 'terraform',
      'infra/tofu/main.tofu': 'opentofu',
      'jobs/web.nomad': 'nomad',
      'k8s/deployment.yaml': 'kubernetes',
      'k8s/kustomization.yaml': 'kustomize',
    });
    expect(result.status).toBe('pass');
    expect(result.evidence).toHaveLength(5);
    expect(result.evidence[0]).toEqual({ kind: 'file', path: 'Dockerfile', line: 1, note: 'dockerfile' });
    expect(result.summary).toMatch(/^16 infrastructure-as-code files \(/);
  });

  it('fails with low severity and an absence listing what was looked for', async () => {
    repository = createTestRepository();
    repository.write({
      'src/index.ts': 'export {};\n',
      'config.yaml': 'kind: thing\n',
      'package.json': '{}\n',
    });
    repository.commit('initial');
    const { result } = await evaluate();
    expect(result.status).toBe('fail');
    expect(result.evidence[0]).toMatchObject({ kind: 'absence', in: 'working tree' });
    expect(result.findings[0]?.severity).toBe('low');
    expect(result.findings[0]?.remediation).toMatch(/not-applicable in shipguard.yaml/);
  });

  it('gives no credit to empty or comment-only files that only carry the names', async () => {
    repository = createTestRepository();
    repository.write({
      Dockerfile: '',
      'infra/main.tf': '# TODO: infrastructure\n\n',
      'compose.yaml': '   \n',
      'src/index.ts': 'export {};\n',
    });
    repository.commit('initial');
    const { result } = await evaluate();
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('3 infrastructure-as-code file(s) by name, all empty');
    // Nothing was found, so a reasoned declaration of not applicable still stands.
    expect(result.evidence.map((item) => item.kind)).toEqual(['absence']);
  });

  it('works in a folder that is not a git repository', async () => {
    repository = createTestRepository({ git: false });
    repository.write({ 'deploy/Containerfile': 'FROM alpine:3.22\n' });
    const { result } = await evaluate();
    expect(result.status).toBe('pass');
    expect(result.evidence).toEqual([
      { kind: 'file', path: 'deploy/Containerfile', line: 1, note: 'dockerfile' },
    ]);
  });

  it('stops reading YAML at the cap and says so', async () => {
    repository = createTestRepository({ git: false });
    const files: Record<string, string> = {};
    for (let index = 0; index <= maxInspectedFiles + 2; index += 1) {
      files[`data/${String(index).padStart(5, '0')}.yaml`] = 'value: 1\n';
    }
    files['data/zzzzz.yaml'] = deployment;
    repository.write(files);
    const { facts, result } = await evaluate();
    expect(facts.inspectedFiles).toBe(maxInspectedFiles);
    expect(facts.uninspectedFiles).toBe(4);
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('4 candidate files were not read');
  });
});

describe('classification', () => {
  it.each([
    ['docker-compose.prod.yml', 'compose'],
    ['Dockerfile.dev', 'dockerfile'],
    ['deploy/values.yaml', 'inspect'],
    ['tsconfig.json', undefined],
    ['.github/workflows/release.yml', undefined],
    ['network.tf.json', 'terraform'],
  ])('%s by name → %s', (path, kind) => {
    expect(classifyByName(path)).toBe(kind);
  });

  it.each([
    ['  apiVersion: v1\n  kind: Pod\n', undefined],
    ['- hosts: all\n  roles:\n    - common\n', 'ansible'],
    ['spec:\n  rules:\n    - hosts:\n        - example.test\n', undefined],
    ['{\n  "Transform": "AWS::Serverless-2016-10-31"\n}\n', 'cloudformation'],
  ])('content %j → %s', (text, kind) => {
    expect(classifyByContent(text)).toBe(kind);
  });
});
