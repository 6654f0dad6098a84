import { describe, expect, it } from 'vitest';
import { createRandom } from '../testing/fake-credentials.js';
import { temporaryRepositories } from '../testing/temporary-repositories.js';
import { defaultRuleSet } from './rules/default-rules.js';
import { scanWorkingTree } from './scanner.js';
import {
  isDocumentationHost,
  isLocalOrServiceHost,
  isTestContextPath,
  testCredentialReason,
} from './test-credentials.js';

const temporaryRepository = temporaryRepositories();

const random = createRandom(9);
const strong = () =>
  `${random('ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz', 14)}${random('23456789', 3)}`;

describe('test credentials', () => {
  it('knows local and service-container hosts from real ones', () => {
    for (const host of [
      'localhost',
      '127.0.0.1',
      '::1',
      '0.0.0.0',
      'postgres',
      'db',
      'redis-cache',
      'host.docker.internal',
      'db.localtest.me',
      'localtest.me',
      'app.lvh.me',
      '127.0.0.1.nip.io',
      'api.127-0-0-1.sslip.io',
    ])
      expect(isLocalOrServiceHost(host), host).toBe(true);
    for (const host of [
      'db.prod.acme-corp.net',
      '10.0.3.7',
      'acme-corp.net',
      'mydb.us-east-1.rds.amazonaws.com',
      'localtest.me.attacker.net',
      'notlocaltest.me',
      '10.0.0.1.nip.io',
    ])
      expect(isLocalOrServiceHost(host), host).toBe(false);
  });

  it('knows names reserved for documentation, and not names that only look like them', () => {
    for (const host of [
      'example.com',
      'api.example.org',
      'example.net',
      'db.example',
      'svc.test',
      'x.invalid',
      '192.0.2.10',
      '203.0.113.7',
    ])
      expect(isDocumentationHost(host), host).toBe(true);
    for (const host of [
      'example.co',
      'myexample.com',
      'example.com.evil.net',
      'testing.io',
      '192.0.3.1',
      'test',
    ])
      expect(isDocumentationHost(host), host).toBe(false);
    const password = strong();
    // A documentation example (express's `req.auth` comment), anywhere: not a leak.
    expect(
      testCredentialReason(
        'basic-auth-url',
        `http://tobi:${password}@example.com`,
        `tobi:${password}`,
        'lib/request.js',
      ),
    ).toMatch(/reserved for documentation/);
    expect(
      testCredentialReason(
        'basic-auth-url',
        `http://tobi:${password}@myexample.com`,
        `tobi:${password}`,
        'lib/request.js',
      ),
    ).toBeUndefined();
  });

  it('knows test, CI and development files', () => {
    for (const path of [
      '.github/workflows/ci.yml',
      'docker-compose.yml',
      'compose.dev.yaml',
      '.env.example',
      'integration-tests/tests/pg.test.ts',
      'src/db.spec.ts',
      '.gitlab-ci.yml',
    ])
      expect(isTestContextPath(path), path).toBe(true);
    for (const path of ['src/config.ts', '.env', 'deploy/values.yaml', 'latest.md'])
      expect(isTestContextPath(path), path).toBe(false);
  });

  it('demotes default passwords to local hosts anywhere, and any password to local hosts in test files', () => {
    const password = strong();
    expect(
      testCredentialReason(
        'connection-string-password',
        'postgres://postgres:postgres@localhost:5432/db',
        'postgres',
        'src/db.ts',
      ),
    ).toMatch(/well-known default password/);
    expect(
      testCredentialReason(
        'connection-string-password',
        `postgres://app:${password}@postgres:5432/db`,
        password,
        '.github/workflows/ci.yml',
      ),
    ).toMatch(/service container/);
    expect(
      testCredentialReason(
        'connection-string-password',
        `postgres://app:${password}@postgres:5432/db`,
        password,
        'src/db.ts',
      ),
    ).toBeUndefined();
    expect(
      testCredentialReason(
        'connection-string-password',
        // Built at run time: a real host makes this one a leak, and the repository holds no leak.
        ['postgres://postgres', 'postgres@db.prod.acme-corp.net/db'].join(':'),
        'postgres',
        'docker-compose.yml',
      ),
    ).toBeUndefined();
    expect(testCredentialReason('github-pat', 'x@localhost', 'x', 'tests/a.ts')).toBeUndefined();
  });

  it('reports them as low in a real working tree, and the same strings to a real host as high', async () => {
    const repository = temporaryRepository();
    const password = strong();
    repository.write({
      '.github/workflows/ci.yml': `jobs:\n  test:\n    services:\n      postgres:\n        image: postgres:16\n    env:\n      DATABASE_URL: postgres://app:${password}@postgres:5432/app\n`,
      'docker-compose.yml': `services:\n  api:\n    environment:\n      DATABASE_URL: mysql://root:${password}@127.0.0.1:3306/app\n`,
      '.env.example': 'REDIS_URL=redis://default:devpass42@localhost:6379\n',
      'src/db.ts': `export const url = 'postgres://app:${password}@db.prod.acme-corp.net:5432/app';\n`,
    });
    repository.commit('services');
    const report = await scanWorkingTree({ root: repository.path, rules: defaultRuleSet() });
    const summary = report.findings.map((finding) => [
      finding.path,
      finding.severity,
      finding.testCredential !== undefined,
    ]);
    expect(summary).toEqual([
      ['.env.example', 'low', true],
      ['.github/workflows/ci.yml', 'low', true],
      ['docker-compose.yml', 'low', true],
      ['src/db.ts', 'high', false],
    ]);
  });
});
