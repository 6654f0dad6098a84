/** `shipguard tokens`: an administrator mints a CI token from a shell, lists and revokes it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api } from '../../server/index.js';
import { openStore } from '../../store/index.js';
import { runCli } from '../../testing/run-cli.js';
import { parseExpiry } from './tokens.js';

const folder = mkdtempSync(join(tmpdir(), 'shipguard-tokens-cli-'));
const db = join(folder, 'server.db');
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('shipguard tokens', () => {
  it('creates a token shown once on stdout, lists it without its secret, and revokes it', async () => {
    const created = await runCli(
      'tokens',
      'create',
      '--name',
      'CI of api',
      '--role',
      'ci',
      '--repository',
      'git@github.com:Acme/api.git',
      '--expires',
      '90d',
      '--db',
      db,
    );
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(api.apiTokenPattern);
    expect(created.stderr).toContain('github.com/Acme/api');

    const listed = await runCli('tokens', 'list', '--format', 'json', '--db', db);
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(token.slice(4));
    const [info] = (JSON.parse(listed.stdout) as { tokens: api.ApiTokenInfo[] }).tokens;
    expect(info).toMatchObject({ name: 'CI of api', roles: ['ci'], repositories: ['github.com/Acme/api'] });

    const store = await openStore({ kind: 'sqlite', path: db });
    try {
      expect(
        await api.authenticateBearer(store, `Bearer ${token}`, { now: new Date(), workloadIssuers: [] }),
      ).toMatchObject({
        kind: 'token',
      });
      const revoked = await runCli('tokens', 'revoke', info?.id ?? '', '--db', db);
      expect(revoked.code).toBe(0);
      expect(
        await api.authenticateBearer(store, `Bearer ${token}`, { now: new Date(), workloadIssuers: [] }),
      ).toBe(undefined);
    } finally {
      await store.close();
    }
    const table = await runCli('tokens', 'list', '--db', db);
    expect(table.stdout).toContain('revoked');
  });

  it('refuses a token without expiry, living over a year, or with an administrator role', async () => {
    const base = ['tokens', 'create', '--name', 'x', '--db', db];
    expect((await runCli(...base, '--role', 'ci')).code).toBe(2);
    expect((await runCli(...base, '--role', 'ci', '--expires', '400d')).code).toBe(2);
    expect((await runCli(...base, '--role', 'administrator', '--expires', '30d')).code).toBe(2);
    expect((await runCli(...base, '--role', 'ci', '--expires', 'soon')).code).toBe(2);
    expect(parseExpiry('2027-01-31', new Date()).toISOString()).toBe('2027-01-31T00:00:00.000Z');
  });
});
