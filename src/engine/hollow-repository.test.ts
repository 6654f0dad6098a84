import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/index.js';
import { collectors } from '../collectors/index.js';
import { type Assessment, RepositorySnapshot } from '../kernel/index.js';
import { parsePolicy } from '../policy/index.js';
import { fakeCredentials } from '../testing/fake-credentials.js';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { assess } from './engine.js';

/**
 * A repository built to look compliant without being so: CI that never runs or runs nothing,
 * echo'd tests and scans, failures swallowed, "pins" to made-up SHAs, a placeholder security
 * contact, a placeholder code owner and yearly Dependabot. None of the controls these props
 * imitate may pass.
 */
const zeroSha = '0'.repeat(40);
const hollowFiles: Record<string, string> = {
  // Looks like CI with real tests, but only a person can start it, and the job is switched off.
  '.github/workflows/ci.yml': [
    'name: ci',
    'on: workflow_dispatch',
    'jobs:',
    '  test:',
    `    if: ${'${{'} false }}`,
    '    runs-on: ubuntu-latest',
    '    steps:',
    `      - uses: actions/checkout@${zeroSha}`,
    '      - run: npm test',
    '      - run: npx vitest run',
    '      - run: gitleaks detect',
    '      - run: semgrep ci',
    '      - run: syft . -o cyclonedx-json',
    '',
  ].join('\n'),
  // Runs on push, but every step is a prop.
  '.github/workflows/checks.yml': [
    'name: checks',
    'on: [push, pull_request]',
    'permissions:',
    '  contents: read',
    'jobs:',
    '  checks:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    `      - uses: actions/checkout@${zeroSha}`,
    `      - uses: actions/setup-node@${'f'.repeat(40)}`,
    '      - run: echo "npm test"',
    '      - run: npm test || true',
    '      - name: SAST',
    '        run: semgrep ci',
    '        continue-on-error: true',
    '      - name: secrets',
    '        if: false',
    '        run: gitleaks detect',
    '      - run: echo trivy fs .',
    '      - run: npx shipguard assess .',
    '      - run: syft . -o cyclonedx-json || true',
    '',
  ].join('\n'),
  'SECURITY.md': '# Security\n\nPlease report vulnerabilities to security@example.com.\n',
  '.github/CODEOWNERS': '* @nobody\n',
  '.github/dependabot.yml': [
    'version: 2',
    'updates:',
    '  - package-ecosystem: npm',
    '    directory: /',
    '    schedule:',
    '      interval: yearly',
    '',
  ].join('\n'),
  'package.json': '{"name":"hollow","version":"1.0.0","scripts":{"test":"echo ok"}}\n',
  'src/index.js': 'export const answer = 42;\n',
  // Infrastructure as code in name only.
  'infra/main.tf': '# TODO: describe the infrastructure\n',
};

/** The controls whose evidence the props above imitate. */
const imitated = [
  'PIP-01', // CI runs the tests
  'PIP-03', // security scans in CI
  'PIP-06', // actions pinned
  'GOV-11', // security policy with a reporting route
  'SCM-03', // code owners
  'SUP-03', // SBOM for every release
  'SUP-04', // dependency updates automated (promptly)
  'DEV-02', // development through the pipeline
  'TST-01', // tests run
  'TST-03', // security testing
  'TST-06', // acceptance testing
  'DES-03', // input validation
  'REQ-07', // standard changes reviewed and accepted
  'PIP-02', // infrastructure as code
];

let repository: TestRepository;
let assessment: Assessment;

beforeAll(async () => {
  repository = createTestRepository();
  repository.write(hollowFiles);
  repository.commit('hollow but compliant-looking (#1)\n\nReviewed-by: Bob <bob@example.com>');
  assessment = await assess({
    repository: await RepositorySnapshot.open(repository.path),
    catalog: loadCatalog(),
    collectors,
    loadedPolicy: parsePolicy('', 'shipguard.yaml'),
    now: () => new Date('2026-07-01T12:00:00Z'),
  });
}, 60_000);

afterAll(() => repository.remove());

function control(id: string) {
  const found = assessment.controls.find((item) => item.controlId === id);
  if (!found) throw new Error(`no control ${id}`);
  return found;
}

function check(id: string) {
  const found = assessment.controls.flatMap((item) => item.checks).find((item) => item.checkId === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

describe('a hollow repository', () => {
  it.each(imitated)('does not pass %s', (id) => {
    const result = control(id);
    expect(result.status, `${id}: ${result.summary}`).not.toBe('pass');
  });

  it('gives no test credit to a manual-only workflow, a switched-off job, echo or || true', () => {
    const tests = check('ci/runs-tests');
    expect(tests.status).toBe('fail');
    expect(tests.summary).toContain('runs only on workflow_dispatch');
    expect(check('ci/present').status).toBe('pass');
  });

  it('counts no scan that is echoed, switched off, continue-on-error, or without advisories', () => {
    const scans = check('pipelines/security-scans');
    expect(scans.status).toBe('fail');
    const message = scans.findings.map((finding) => finding.message).join('\n');
    expect(message).toContain('continue-on-error');
    expect(message).toContain('switched off');
    expect(message).toContain('no advisory database');
    expect(message).toContain('only prints it');
    expect(check('pipelines/sbom-produced').status).toBe('fail');
    expect(check('pipelines/sast').status).toBe('fail');
    expect(check('pipelines/vulnerability-scan').status).toBe('fail');
  });

  it('does not take forty zeros for a pin', () => {
    const pins = check('pipelines/actions-pinned');
    expect(pins.status).toBe('fail');
    expect(pins.findings.some((finding) => finding.message.includes('made-up commit id'))).toBe(true);
  });

  it('fails a placeholder security contact, a placeholder owner and yearly updates', () => {
    expect(check('security-policy/contact').status).toBe('fail');
    expect(check('dependency-updates/configured').status).toBe('fail');
    expect(check('codeowners/present').status).toBe('fail');
    expect(check('codeowners/coverage').status).toBe('fail');
  });
});

describe('a hollow repository that declares itself out of what it fails', () => {
  it('is not let off PIP-06 and GOV-11, whose checks fail on what they found', async () => {
    const declared = await assess({
      repository: await RepositorySnapshot.open(repository.path),
      catalog: loadCatalog(),
      collectors,
      loadedPolicy: parsePolicy(
        [
          'controls:',
          '  PIP-06:',
          '    applicable: false',
          '    reason: we do not use third-party actions anywhere.',
          '  GOV-11:',
          '    applicable: false',
          '    reason: nobody will ever report a vulnerability to us.',
          '',
        ].join('\n'),
        'shipguard.yaml',
      ),
      now: () => new Date('2026-07-01T12:00:00Z'),
    });
    for (const [id, status] of [
      ['PIP-06', 'fail'],
      ['GOV-11', 'partial'],
    ]) {
      const result = declared.controls.find((item) => item.controlId === id);
      expect(result?.status, id).toBe(status);
      expect(result?.summary).toContain('which does not count');
    }
  }, 60_000);
});

describe('a committed credential accepted by fingerprint in shipguard.yaml', () => {
  it('does not pass the critical SEC-01 on the acceptance, which is only declared', async () => {
    const leaky = createTestRepository();
    try {
      const [credential] = fakeCredentials(41);
      if (!credential) throw new Error('no fake credential');
      leaky.write({ [credential.path]: credential.content });
      leaky.commit('a credential');
      const run = async (policyText: string) =>
        assess({
          repository: await RepositorySnapshot.open(leaky.path),
          catalog: loadCatalog(),
          collectors: { secrets: collectors['secrets'] as (typeof collectors)[string] },
          loadedPolicy: parsePolicy(policyText, 'shipguard.yaml'),
          now: () => new Date('2026-07-01T12:00:00Z'),
        });
      const sec01 = (found: Assessment) => found.controls.find((item) => item.controlId === 'SEC-01');
      const before = sec01(await run(''));
      expect(before?.status).toBe('fail');
      const fingerprints = before?.findings.map((finding) => finding.fingerprint) ?? [];
      expect(fingerprints).toHaveLength(1);
      const accepted = sec01(
        await run(
          `exceptions:\n  - fingerprint: ${fingerprints[0]}\n    reason: A fixture key, revoked already.\n    owner: alice\n    approver: bob\n    expires: 2026-08-01\n`,
        ),
      );
      expect(accepted?.status).toBe('unknown');
      expect(accepted?.evidenceLevel).toBe('declared');
      expect(accepted?.checks[0]?.summary).toContain('1 finding accepted by exception');
    } finally {
      leaky.remove();
    }
  }, 60_000);
});
