import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkloadRule } from '../policy/index.js';
import { startTestIssuer, type TestIssuer } from '../testing/oidc-issuer.js';
import { rejectedCode } from '../testing/thrown-code.js';
import { IdentityError } from './errors.js';
import { verifyWorkloadToken } from './oidc.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(async () => {
  await issuer.close();
});

function rule(overrides: Partial<WorkloadRule> = {}): WorkloadRule {
  return {
    name: 'release pipeline',
    issuer: issuer.url,
    audience: 'shipguard',
    repository: 'acme/service',
    refs: ['refs/heads/main'],
    environments: ['production'],
    ...overrides,
  };
}

function githubToken(
  claims: Record<string, unknown> = {},
  options: { key?: KeyObject; expiresIn?: string | number; audience?: string } = {},
): Promise<string> {
  return issuer.token({ jti: 'token-1', ...claims }, options);
}

const codeOf = (run: () => unknown) => rejectedCode(IdentityError, run);

describe('CI workload identity (a real issuer on loopback)', () => {
  it('accepts a GitHub Actions token whose claims the policy allows, as a workload principal', async () => {
    const verified = await verifyWorkloadToken(await githubToken(), [rule()], { environment: 'production' });
    expect(verified.principal).toEqual({
      id: `oidc:${issuer.url}#repo:acme/service:environment:production`,
      kind: 'workload',
      name: 'release pipeline',
      emails: [],
    });
    expect(verified.claims).toMatchObject({
      repository: 'acme/service',
      ref: 'refs/heads/main',
      tokenId: 'token-1',
    });
    expect(issuer.requests).toContain('/.well-known/openid-configuration');
    expect(issuer.requests).toContain('/.well-known/jwks');
  });

  it('reuses an issuer’s discovery answer and keys: another token makes no request to the issuer', async () => {
    await verifyWorkloadToken(await githubToken(), [rule()], { environment: 'production' });
    const before = issuer.requests.length;
    for (const jti of ['token-2', 'token-3']) {
      await verifyWorkloadToken(await githubToken({ jti }), [rule()], { environment: 'production' });
    }
    expect(issuer.requests.slice(before)).toEqual([]);
  });

  it('accepts a GitLab CI token (project_path, ref_type, ref)', async () => {
    const token = await githubToken({
      repository: undefined,
      project_path: 'acme/service',
      ref: 'main',
      ref_type: 'branch',
    });
    const verified = await verifyWorkloadToken(token, [rule()]);
    expect(verified.claims.ref).toBe('refs/heads/main');
  });

  it('refuses a wrong audience', async () => {
    const token = await githubToken({}, { audience: 'someone-else' });
    expect(await codeOf(() => verifyWorkloadToken(token, [rule()]))).toBe('IDENTITY_TOKEN_INVALID');
  });

  it('refuses a token from another repository, another ref or another environment', async () => {
    for (const claims of [
      { repository: 'mallory/fork' },
      { ref: 'refs/heads/unreviewed' },
      { environment: 'staging' },
    ]) {
      const token = await githubToken(claims);
      expect(await codeOf(() => verifyWorkloadToken(token, [rule()], { environment: 'production' }))).toBe(
        'IDENTITY_WORKLOAD_NOT_ALLOWED',
      );
    }
  });

  it('refuses a token minted for another environment than the one being deployed', async () => {
    const token = await githubToken({ environment: 'staging' });
    const any = rule({ environments: [] });
    expect((await verifyWorkloadToken(token, [any])).claims.environment).toBe('staging');
    expect(await codeOf(() => verifyWorkloadToken(token, [any], { environment: 'production' }))).toBe(
      'IDENTITY_WORKLOAD_NOT_ALLOWED',
    );
  });

  it('refuses an expired token, but verifies it as of a time when it was valid', async () => {
    const token = await githubToken({}, { expiresIn: Math.floor(Date.now() / 1000) - 3600 });
    expect(await codeOf(() => verifyWorkloadToken(token, [rule()]))).toBe('IDENTITY_TOKEN_INVALID');
    const then = new Date(Date.now() - 3700 * 1000);
    expect(await codeOf(() => verifyWorkloadToken(token, [rule()], { at: then }))).toBeUndefined();
  });

  it('refuses a token signed by a key the issuer does not publish', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const token = await githubToken({}, { key: privateKey });
    expect(await codeOf(() => verifyWorkloadToken(token, [rule()]))).toBe('IDENTITY_TOKEN_INVALID');
  });

  it('refuses alg none and HMAC tokens', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const valid = await githubToken();
    const payload = valid.split('.')[1] ?? '';
    expect(await codeOf(() => verifyWorkloadToken(`${header}.${payload}.`, [rule()]))).toBe(
      'IDENTITY_TOKEN_INVALID',
    );
    const hmac = await new SignJWT({ repository: 'acme/service', ref: 'refs/heads/main' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(issuer.url)
      .setSubject('x')
      .setAudience('shipguard')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a shared secret anyone could guess'));
    expect(await codeOf(() => verifyWorkloadToken(hmac, [rule()]))).toBe('IDENTITY_TOKEN_INVALID');
  });

  it('refuses a token from an issuer no rule trusts, and garbage', async () => {
    const token = await githubToken();
    expect(await codeOf(() => verifyWorkloadToken(token, [rule({ issuer: 'https://issuer.example' })]))).toBe(
      'IDENTITY_WORKLOAD_NOT_ALLOWED',
    );
    expect(await codeOf(() => verifyWorkloadToken('not a token', [rule()]))).toBe('IDENTITY_TOKEN_INVALID');
  });

  it('refuses a plain-http issuer that is not on loopback', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer('http://issuer.example')
      .setSubject('x')
      .setAudience('shipguard')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(issuer.key);
    expect(await codeOf(() => verifyWorkloadToken(token, [rule({ issuer: 'http://issuer.example' })]))).toBe(
      'IDENTITY_TOKEN_INVALID',
    );
  });
});
