/**
 * `shipguard assess --upload` against a real Fastify server on loopback with the API, on a real
 * git repository: with an API token from SHIPGUARD_TOKEN, with a CI workload ID token, and every
 * way it fails (no credential, a repository the token is not for, a server that is not there,
 * plain http to a non-loopback host), each a non-zero exit naming why.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTestServer, startApiServer } from '../server/api/__fixtures__/api-server.js';
import { api } from '../server/index.js';
import { openStore, type Store } from '../store/index.js';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { startTestIssuer, type TestIssuer } from '../testing/oidc-issuer.js';
import { runCli } from '../testing/run-cli.js';
import { UsageError } from './errors.js';
import { checkUploadUrl } from './upload.js';

describe('checkUploadUrl', () => {
  it('takes https, and plain http only on loopback', () => {
    expect(checkUploadUrl('https://shipguard.example').origin).toBe('https://shipguard.example');
    expect(checkUploadUrl('http://127.0.0.1:8080').port).toBe('8080');
    expect(checkUploadUrl('http://[::1]:8080').hostname).toBe('[::1]');
    for (const refused of [
      'http://shipguard.example',
      'http://127.0.0.1.example',
      'ftp://127.0.0.1',
      'https://user:pw@shipguard.example',
      'https://shipguard.example/?token=x',
      'not a url',
    ]) {
      expect(() => checkUploadUrl(refused), refused).toThrow(UsageError);
    }
  });
});

describe('shipguard assess --upload', () => {
  let issuer: TestIssuer;
  let store: Store;
  let server: ApiTestServer;
  let folder: string;
  let repository: TestRepository;
  const key = 'github.com/acme/service';

  beforeAll(async () => {
    issuer = await startTestIssuer();
    folder = mkdtempSync(join(tmpdir(), 'shipguard-upload-cli-'));
    store = await openStore({ kind: 'sqlite', path: join(folder, 'server.db') });
    server = await startApiServer(store, {
      workloadIssuers: [{ issuer: issuer.url, audience: 'shipguard', host: 'github.com' }],
    });
    repository = createTestRepository();
    repository.write({ 'README.md': '# service\n' });
    repository.commit('initial');
    repository.git('remote', 'add', 'origin', `https://github.com/acme/service.git`);
  });
  afterAll(async () => {
    await server.close();
    await store.close();
    await issuer.close();
    repository.remove();
    rmSync(folder, { recursive: true, force: true });
  });
  afterEach(() => {
    delete process.env['SHIPGUARD_TOKEN'];
  });

  async function token(repositories: string[]): Promise<string> {
    const made = await api.createApiToken(store, {
      name: 'CI',
      roles: ['ci'],
      repositories,
      createdBy: 'test',
      expiresAt: new Date(Date.now() + 7 * 86_400_000),
      now: new Date(),
    });
    return made.token;
  }

  function assess(...extra: string[]) {
    return runCli(
      'assess',
      repository.path,
      '--format',
      'json',
      '--fail-on',
      'none',
      '--db',
      join(folder, 'local.db'),
      ...extra,
    );
  }

  async function uploadedIds(): Promise<string[]> {
    const rows = await store.db.selectFrom('assessments').select(['id', 'repository']).execute();
    return rows.filter((row) => row.repository === key).map((row) => row.id);
  }

  it('uploads the JSON report with the API token in SHIPGUARD_TOKEN, under the repository key', async () => {
    process.env['SHIPGUARD_TOKEN'] = await token([key]);
    const run = await assess('--upload', server.url);
    expect(run.stderr).toContain(`uploaded the assessment to ${server.url} for ${key}`);
    expect(run.code).toBe(0);
    const id = (JSON.parse(run.stdout) as { id: string }).id;
    expect(await uploadedIds()).toContain(id);
    expect(run.stderr).not.toContain(process.env['SHIPGUARD_TOKEN']);
  });

  it('uploads an SBOM with sbom --upload', async () => {
    process.env['SHIPGUARD_TOKEN'] = await token([key]);
    const run = await runCli('sbom', repository.path, '--upload', server.url);
    expect(run.stderr).toContain(`uploaded the SBOM to ${server.url} for ${key}`);
    expect(run.code).toBe(0);
    const kept = await store.db
      .selectFrom('api_uploads' as never)
      .selectAll()
      .execute();
    expect(JSON.stringify(kept)).toContain('application/vnd.cyclonedx+json');
  });

  it('uploads with a CI workload ID token instead', async () => {
    const file = join(folder, 'id-token');
    writeFileSync(file, await issuer.token());
    const run = await assess('--upload', server.url, '--id-token', file);
    expect(run.stderr).toContain('uploaded the assessment');
    expect(run.code).toBe(0);
    expect(await uploadedIds()).toContain((JSON.parse(run.stdout) as { id: string }).id);
  });

  it('fails, naming why, without a credential, for another repository, to no server, or over plain http', async () => {
    const none = await assess('--upload', server.url);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('SHIPGUARD_TOKEN');

    process.env['SHIPGUARD_TOKEN'] = await token(['github.com/acme/other']);
    const elsewhere = await assess('--upload', server.url);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toMatch(/refused the upload \(403\).*API_REPOSITORY_FORBIDDEN/);

    process.env['SHIPGUARD_TOKEN'] = `sgp_${'Q'.repeat(43)}`;
    const unknown = await assess('--upload', server.url);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('(401)');

    const closed = await startApiServer(store);
    const closedUrl = closed.url;
    await closed.close();
    const away = await assess('--upload', closedUrl);
    expect(away.code).toBe(3);
    expect(away.stderr).toContain('cannot upload to');

    const clear = await assess('--upload', 'http://shipguard.example');
    expect(clear.code).toBe(2);
    expect(clear.stderr).toContain('not https');
  });
});
