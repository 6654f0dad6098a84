/**
 * API tokens and CI workload identities on real stores and a real OpenID issuer on loopback:
 * a token is shown once and stored only hashed; expired, revoked, unknown and malformed bearers
 * are refused; a workload token is accepted only from an allowed issuer, for its audience.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readEntries } from '../../ledger/index.js';
import { openStore, type Store } from '../../store/index.js';
import { startTestIssuer, type TestIssuer } from '../../testing/oidc-issuer.js';
import { describeOnEveryStore, type StoreBackend } from '../../testing/store-backends.js';
import { authenticateBearer, bearerCredential, type WorkloadIssuer } from './authenticate.js';
import { ApiError } from './errors.js';
import { apiTokenPattern, createApiToken, listApiTokens, revokeApiToken } from './tokens.js';

const now = new Date('2026-12-01T12:00:00.000Z');
const inDays = (days: number) => new Date(now.getTime() + days * 86_400_000);
const repository = 'github.com/acme/service';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(async () => {
  await issuer.close();
});

function trusted(overrides: Partial<WorkloadIssuer> = {}): WorkloadIssuer[] {
  return [{ issuer: issuer.url, audience: 'shipguard', host: 'github.com', ...overrides }];
}

await describeOnEveryStore('API tokens', (name: string, backend: StoreBackend) => {
  describe(`API tokens (${name})`, () => {
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });
    async function open(): Promise<Store> {
      store = await openStore(await backend.createLocation());
      return store;
    }
    const request = {
      name: 'CI of service',
      roles: ['ci'],
      repositories: [repository],
      createdBy: 'admin',
      expiresAt: inDays(90),
      now,
    };

    it('shows a token once, keeps only its hash, and ledgers making and revoking it', async () => {
      const opened = await open();
      const { token, info } = await createApiToken(opened, request);
      expect(token).toMatch(apiTokenPattern);
      const rows = await opened.db
        .selectFrom('api_tokens' as never)
        .selectAll()
        .execute();
      expect(JSON.stringify(rows)).not.toContain(token.slice(4));
      expect(await listApiTokens(opened)).toEqual([info]);
      const principal = await authenticateBearer(opened, `Bearer ${token}`, { now, workloadIssuers: [] });
      expect(principal).toEqual({
        kind: 'token',
        tokenId: info.id,
        name: 'CI of service',
        roles: ['ci'],
        repositories: [repository],
      });
      await revokeApiToken(opened, { id: info.id, revokedBy: 'admin', now: inDays(1) });
      expect(
        await authenticateBearer(opened, `Bearer ${token}`, { now: inDays(2), workloadIssuers: [] }),
      ).toBe(undefined);
      const events = (await readEntries(opened, 0, 10)).map(
        (stored) => (JSON.parse(stored.entry) as { type: string }).type,
      );
      expect(events).toEqual(['api-token.created', 'api-token.revoked']);
      expect(JSON.stringify(await readEntries(opened, 0, 10))).not.toContain(token.slice(4));
    });

    it('refuses expired, unknown and malformed bearers (fail closed)', async () => {
      const opened = await open();
      const { token } = await createApiToken(opened, request);
      const options = { workloadIssuers: trusted() };
      expect(await authenticateBearer(opened, `Bearer ${token}`, { ...options, now: inDays(90) })).toBe(
        undefined,
      );
      expect(
        await authenticateBearer(opened, `Bearer ${token}`, { ...options, now: inDays(89) }),
      ).toBeDefined();
      const other = `sgp_${'A'.repeat(43)}`;
      for (const header of [
        undefined,
        '',
        token,
        `Basic ${token}`,
        `Bearer ${other}`,
        `Bearer ${token.slice(0, -1)}`,
        `Bearer ${token}x`,
        'Bearer not.a.jwt',
        `Bearer ${'a'.repeat(20_000)}`,
      ]) {
        expect(
          await authenticateBearer(opened, header, { ...options, now }),
          String(header).slice(0, 40),
        ).toBe(undefined);
      }
    });

    it('refuses token requests outside the rules', async () => {
      const opened = await open();
      const refused = async (changes: Partial<typeof request>) => {
        const error = await createApiToken(opened, { ...request, ...changes }).catch(
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(ApiError);
        return (error as ApiError).code;
      };
      expect(await refused({ roles: ['administrator'] })).toBe('API_TOKEN_REQUEST_INVALID');
      expect(await refused({ roles: ['root'] })).toBe('API_TOKEN_REQUEST_INVALID');
      expect(await refused({ roles: [] })).toBe('API_TOKEN_REQUEST_INVALID');
      expect(await refused({ expiresAt: inDays(400) })).toBe('API_TOKEN_REQUEST_INVALID');
      expect(await refused({ expiresAt: inDays(-1) })).toBe('API_TOKEN_REQUEST_INVALID');
      expect(await refused({ name: 'a\nb' })).toBe('API_TOKEN_REQUEST_INVALID');
      expect(await listApiTokens(opened)).toEqual([]);
      const missing = await revokeApiToken(opened, { id: 'nope', revokedBy: 'admin', now }).catch(
        (caught: unknown) => caught,
      );
      expect((missing as ApiError).code).toBe('API_TOKEN_NOT_FOUND');
    });

    it('accepts a CI workload ID token from an allowed issuer, bound to its repository', async () => {
      const opened = await open();
      const at = new Date();
      const token = await issuer.token();
      expect(
        await authenticateBearer(opened, `Bearer ${token}`, { now: at, workloadIssuers: trusted() }),
      ).toEqual({
        kind: 'workload',
        issuer: issuer.url,
        subject: 'repo:acme/service:environment:production',
        repository,
        ref: 'refs/heads/main',
        roles: ['ci'],
      });
      const gitlab = await issuer.token({
        repository: undefined,
        project_path: 'Group/Project',
        ref_path: 'refs/heads/main',
      });
      expect(
        await authenticateBearer(opened, `Bearer ${gitlab}`, {
          now: at,
          workloadIssuers: trusted({ host: 'GitLab.example' }),
        }),
      ).toMatchObject({ kind: 'workload', repository: 'gitlab.example/Group/Project' });
    });

    it('refuses a workload token from another issuer, for another audience, from a ref not allowed, or expired', async () => {
      const opened = await open();
      const at = new Date();
      const reasons: string[] = [];
      const options = {
        now: at,
        workloadIssuers: trusted(),
        onRefused: (reason: string) => reasons.push(reason),
      };
      expect(
        await authenticateBearer(opened, `Bearer ${await issuer.token({}, { audience: 'other' })}`, options),
      ).toBe(undefined);
      expect(
        await authenticateBearer(opened, `Bearer ${await issuer.token()}`, {
          ...options,
          workloadIssuers: trusted({ issuer: 'https://token.example' }),
        }),
      ).toBe(undefined);
      expect(
        await authenticateBearer(opened, `Bearer ${await issuer.token({ ref: 'refs/heads/feature' })}`, {
          ...options,
          workloadIssuers: trusted({ refs: ['refs/heads/main'] }),
        }),
      ).toBe(undefined);
      expect(
        await authenticateBearer(
          opened,
          `Bearer ${await issuer.token({}, { expiresIn: Math.floor(at.getTime() / 1000) - 120 })}`,
          options,
        ),
      ).toBe(undefined);
      const stranger = await startTestIssuer();
      try {
        // Signed by another key but claiming our issuer: the signature does not verify.
        const forged = await stranger.token({}, {});
        const [header, payload, signature] = forged.split('.');
        const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<
          string,
          unknown
        >;
        const relabelled = Buffer.from(JSON.stringify({ ...claims, iss: issuer.url })).toString('base64url');
        expect(await authenticateBearer(opened, `Bearer ${header}.${relabelled}.${signature}`, options)).toBe(
          undefined,
        );
      } finally {
        await stranger.close();
      }
      expect(reasons).toHaveLength(5);
    });
  });
});

describe('bearerCredential', () => {
  it('reads only the Bearer scheme with one credential', () => {
    expect(bearerCredential('Bearer abc.def-ghi')).toBe('abc.def-ghi');
    expect(bearerCredential('bearer abc')).toBe('abc');
    expect(bearerCredential('Bearer a b')).toBe(undefined);
    expect(bearerCredential('Token abc')).toBe(undefined);
  });
});
