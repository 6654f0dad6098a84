// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the fixtures are files that contain `${VAR}` literally.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../../kernel/index.js';
import { defaultPolicy } from '../../policy/index.js';
import { fileEvidence, testNow } from '../../testing/evaluate-collector.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { findingFingerprint } from '../results.js';
import { findCredentialInText, ignoreProbes, matchSensitiveName } from './collect.js';
import { sensitiveFilesCollector } from './index.js';

const context = { now: new Date('2026-11-22T00:00:00Z') };
let repository: TestRepository;

afterEach(() => repository.remove());

/** A PEM block built at run time, so that no key-shaped text sits in the repository. */
function pemBlock(label: string): string {
  const body = randomBytes(96).toString('base64');
  return `${'-'.repeat(5)}BEGIN ${label}${'-'.repeat(5)}\n${body}\n${'-'.repeat(5)}END ${label}${'-'.repeat(5)}\n`;
}

async function evaluate() {
  const snapshot = await RepositorySnapshot.open(repository.path);
  const facts = await sensitiveFilesCollector.collect(snapshot, defaultPolicy(), { now: testNow });
  const results = Object.fromEntries(
    sensitiveFilesCollector.checks.map((check) => [
      check.id,
      check.evaluate(facts, defaultPolicy(), context),
    ]),
  );
  return {
    facts,
    ignored: results['sensitive-files/ignored'],
    committed: results['sensitive-files/not-committed'],
  };
}

const goodIgnore = [
  'node_modules/',
  '.env*',
  '!.env.example',
  '*.pem',
  '*.key',
  'id_rsa*',
  'id_ed25519*',
  '*.p12',
  '*.pfx',
  '',
];

describe('sensitive-files/ignored', () => {
  it('passes when the root .gitignore covers every probe, citing the rules that matched', async () => {
    repository = createTestRepository();
    repository.write({ '.gitignore': goodIgnore.join('\n'), 'README.md': '# demo\n' });
    repository.commit('initial');
    const { ignored } = await evaluate();
    expect(ignored?.status).toBe('pass');
    expect(ignored?.evidence).toContainEqual(
      fileEvidence('.gitignore', 2, '.env* ignores .env, .env.production'),
    );
    expect(ignored?.evidence).toContainEqual(
      fileEvidence('.gitignore', 4, '*.pem ignores config/server.pem'),
    );
  });

  it('fails listing the probes that are not ignored', async () => {
    repository = createTestRepository();
    repository.write({ '.gitignore': 'node_modules/\n.env\n' });
    repository.commit('initial');
    const { ignored } = await evaluate();
    expect(ignored?.status).toBe('fail');
    const absence = ignored?.evidence.find((item) => item.kind === 'absence');
    expect(absence).toMatchObject({
      kind: 'absence',
      // Every probe but .env, which the .gitignore ignores.
      lookedFor: ignoreProbes.filter((probe) => probe !== '.env'),
    });
    expect(ignored?.evidence).toContainEqual(fileEvidence('.gitignore', 2, '.env ignores .env'));
    expect(ignored?.findings).toHaveLength(1);
    expect(ignored?.findings[0]?.location).toEqual({ path: '.gitignore' });
  });

  it('fails when a negation re-includes a probe', async () => {
    repository = createTestRepository();
    repository.write({ '.gitignore': `${goodIgnore.join('\n')}!.env.production\n` });
    repository.commit('initial');
    const { ignored } = await evaluate();
    expect(ignored?.status).toBe('fail');
    expect(ignored?.summary).toContain('.env.production');
  });

  it('does not count rules that live only in .git/info/exclude', async () => {
    repository = createTestRepository();
    repository.write({ 'README.md': '# demo\n' });
    repository.commit('initial');
    repository.write({ '.git/info/exclude': goodIgnore.join('\n') });
    const { ignored } = await evaluate();
    expect(ignored?.status).toBe('fail');
    const absence = ignored?.evidence.find((item) => item.kind === 'absence');
    expect(absence?.kind === 'absence' && absence.lookedFor).toHaveLength(8);
    expect(absence?.note).toContain('local git settings');
  });
});

describe('sensitive-files/not-committed', () => {
  it('passes when nothing committed holds credentials, clearing certificates and variable references', async () => {
    repository = createTestRepository();
    repository.write({
      '.gitignore': goodIgnore.join('\n'),
      '.env.example': 'DATABASE_URL=\n',
      'certs/ca.pem': pemBlock('CERTIFICATE') + pemBlock('CERTIFICATE'),
      'keys/signing.pub.key': pemBlock('PUBLIC KEY'),
      '.npmrc': '//registry.example.test/:_authToken=${NPM_TOKEN}\n',
      'terraform.tfvars': 'region = "eu-west-2"\ndb_password = ""\n',
    });
    repository.git('add', '--force', 'certs/ca.pem', 'keys/signing.pub.key');
    const head = repository.commit('initial');
    // Present in the folder but not tracked: not committed.
    repository.write({ 'notes/.env': 'TOKEN=abc\n' });
    const { committed } = await evaluate();
    expect(committed?.status).toBe('pass');
    expect(committed?.evidence[0]).toMatchObject({ kind: 'absence', in: '6 tracked files' });
    expect(committed?.evidence[0]?.note).toContain('certs/ca.pem');
    expect(committed?.evidence).toContainEqual({ kind: 'commit', commit: head, note: 'HEAD' });
  });

  it('fails for each committed credential file, with a fingerprint stable by path', async () => {
    repository = createTestRepository();
    const token = ['npm', randomBytes(18).toString('hex')].join('_');
    repository.write({
      '.env': 'API_KEY=abc\n',
      '.env.production.local': 'API_KEY=abc\n',
      'deploy/id_rsa': 'key material\n',
      'tls/server.pem': pemBlock('CERTIFICATE') + pemBlock('RSA PRIVATE KEY'),
      'tls/bundle.p12': Buffer.from([0x30, 0x82, 0x01, 0x00]),
      '.npmrc': `registry=https://registry.example.test/\n//registry.example.test/:_authToken=${token}\n`,
      'infra/terraform.tfstate': '{}\n',
      'infra/terraform.tfvars': `region = "eu-west-2"\nadmin_password = "${randomBytes(6).toString('hex')}"\n`,
      kubeconfig: 'apiVersion: v1\n',
      'README.md': '# demo\n',
    });
    repository.commit('initial');
    const { committed } = await evaluate();
    expect(committed?.status).toBe('fail');
    const locations = committed?.findings.map((finding) => finding.location);
    expect(locations).toEqual([
      { path: '.env' },
      { path: '.env.production.local' },
      { path: '.npmrc', line: 2 },
      { path: 'deploy/id_rsa' },
      { path: 'infra/terraform.tfstate' },
      { path: 'infra/terraform.tfvars', line: 2 },
      { path: 'kubeconfig' },
      { path: 'tls/bundle.p12' },
      { path: 'tls/server.pem', line: 4 },
    ]);
    expect(committed?.findings.every((finding) => finding.severity === 'high')).toBe(true);
    const pem = committed?.findings.find((finding) => finding.location?.path === 'tls/server.pem');
    expect(pem?.fingerprint).toBe(
      findingFingerprint('sensitive-files/not-committed', 'tls/server.pem', 'tls/server.pem'),
    );
    expect(committed?.evidence).toContainEqual(
      fileEvidence('tls/server.pem', 4, 'private key: holds a RSA PRIVATE KEY block'),
    );
    // The secret value itself never reaches a message.
    expect(JSON.stringify(committed)).not.toContain(token);

    // Moving the key down keeps the fingerprint, so a recorded exception still applies.
    repository.write({
      'tls/server.pem': `# server\n\n${pemBlock('CERTIFICATE')}${pemBlock('RSA PRIVATE KEY')}`,
    });
    repository.commit('move key');
    const again = await evaluate();
    const moved = again.committed?.findings.find((finding) => finding.location?.path === 'tls/server.pem');
    expect(moved?.location?.line).toBe(6);
    expect(moved?.fingerprint).toBe(pem?.fingerprint);
  });
});

describe('outside git', () => {
  it('answers unknown for both checks and says how to provide the evidence', async () => {
    repository = createTestRepository({ git: false });
    repository.write({ '.env': 'A=b\n', '.gitignore': '.env\n' });
    const { ignored, committed, facts } = await evaluate();
    expect(facts.isGitRepository).toBe(false);
    expect(ignored?.status).toBe('unknown');
    expect(committed?.status).toBe('unknown');
    expect(committed?.howToProvide).toMatch(/git clone/);
  });
});

describe('matchSensitiveName', () => {
  const cases: [string, string | undefined][] = [
    ['.env', 'environment file'],
    ['app/.env.staging', 'environment file'],
    ['.env.example', undefined],
    ['.env.local.sample', undefined],
    ['.env.template', undefined],
    ['.env.dist', undefined],
    ['.envrc', undefined],
    ['ssh/id_ed25519', 'SSH private key'],
    ['ssh/id_ed25519.pub', undefined],
    ['store.JKS', 'key store'],
    ['release.keystore', 'key store'],
    ['gcp/credentials.json', 'credentials file'],
    ['web/.htpasswd', 'password file'],
    ['state/prod.tfstate.backup', 'Terraform state'],
    ['prod.auto.tfvars', 'Terraform variables with secrets'],
    ['variables.tf', undefined],
    ['ops/.kube/config', 'Kubernetes credentials'],
    ['kubeconfig.yaml', 'Kubernetes credentials'],
    ['src/keyboard.ts', undefined],
  ];
  it.each(cases)('%s → %s', (path, kind) => {
    expect(matchSensitiveName(path)?.kind).toBe(kind);
  });
});

describe('findCredentialInText', () => {
  it('reads registry files and tfvars by value, not by key alone', () => {
    expect(findCredentialInText('pypirc', '[pypi]\nusername = __token__\npassword = abc123\n')?.line).toBe(3);
    expect(findCredentialInText('pypirc', '[pypi]\npassword = ${PYPI_PASSWORD}\n')).toBeUndefined();
    expect(findCredentialInText('npmrc', 'always-auth=true\n')).toBeUndefined();
    expect(findCredentialInText('tfvars', 'api_token = null\n')).toBeUndefined();
    expect(findCredentialInText('tfvars', '# secret = "x"\n')).toBeUndefined();
    expect(findCredentialInText('pem', 'not pem at all\n')?.reason).toBe(
      'holds no certificate or public key block',
    );
  });
});
