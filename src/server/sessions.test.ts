/** Sessions and grants in the store, on SQLite and PostgreSQL. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/index.js';
import { describeOnEveryStore } from '../testing/store-backends.js';
import { activeGrants, grantRole, revokeRole, upsertUser } from './accounts.js';
import { createSession, endSessionsOf, resumeSession, sweepExpiredSessions } from './sessions.js';

const times = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };
const start = new Date('2026-11-20T09:00:00.000Z');
const later = (minutes: number) => new Date(start.getTime() + minutes * 60_000);

await describeOnEveryStore('server sessions', (label, backend) => {
  describe(`sessions and grants on ${label}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await openStore(await backend.createLocation());
    });

    afterEach(async () => {
      await store.close();
    });

    it('renews the idle expiry by use but never past the absolute one', async () => {
      const user = await upsertUser(store, { issuer: 'https://id.test', subject: 'ada', name: 'Ada' }, start);
      const { id } = await createSession(store, user.id, times, start);
      expect(await resumeSession(store, id, times, later(31))).toMatchObject({
        state: 'expired',
        reason: 'idle',
      });
      const fresh = await createSession(store, user.id, times, start);
      let at = 0;
      for (; at < 12 * 60 - 20; at += 20)
        expect((await resumeSession(store, fresh.id, times, later(at))).state).toBe('active');
      const last = await resumeSession(store, fresh.id, times, later(at));
      expect(last.state === 'active' ? last.session.idleExpiresAt.getTime() : 0).toBeLessThanOrEqual(
        later(12 * 60).getTime(),
      );
      expect(await resumeSession(store, fresh.id, times, later(12 * 60))).toMatchObject({
        state: 'expired',
        reason: 'absolute',
      });
      expect((await resumeSession(store, fresh.id, times, later(12 * 60))).state).toBe('unknown');
    });

    it('refuses a malformed id without a query, and sweeps expired sessions', async () => {
      expect((await resumeSession(store, "x' or 1=1 --", times, start)).state).toBe('unknown');
      const user = await upsertUser(store, { issuer: 'https://id.test', subject: 'ken', name: 'Ken' }, start);
      await createSession(store, user.id, times, start);
      await createSession(store, user.id, times, later(20));
      expect(await sweepExpiredSessions(store, later(31))).toBe(1);
      expect(await endSessionsOf(store, user.id)).toBe(1);
    });

    it('keys users by issuer and subject, and a revoked grant is gone at once', async () => {
      const ada = await upsertUser(store, { issuer: 'https://id.test', subject: 'ada', name: 'Ada' }, start);
      const again = await upsertUser(
        store,
        { issuer: 'https://id.test', subject: 'ada', name: 'Ada L.' },
        later(1),
      );
      const other = await upsertUser(
        store,
        { issuer: 'https://other.test', subject: 'ada', name: 'Ada' },
        start,
      );
      expect(again.id).toBe(ada.id);
      expect(again.name).toBe('Ada L.');
      expect(other.id).not.toBe(ada.id);
      await grantRole(store, { userId: ada.id, role: 'cto', grantedBy: 'test', now: start });
      expect((await activeGrants(store, ada.id, later(1))).map((grant) => grant.role)).toEqual(['cto']);
      expect(await revokeRole(store, { userId: ada.id, role: 'cto', revokedBy: 'test', now: later(2) })).toBe(
        true,
      );
      expect(await activeGrants(store, ada.id, later(3))).toEqual([]);
      expect(await revokeRole(store, { userId: ada.id, role: 'cto', revokedBy: 'test', now: later(4) })).toBe(
        false,
      );
      await expect(
        grantRole(store, { userId: ada.id, role: 'ci', grantedBy: 'test', now: start }),
      ).rejects.toMatchObject({
        code: 'SERVER_GRANT_INVALID',
      });
    });
  });
});
