/**
 * Server-side sessions. The session id is 32 random bytes that live only in the browser's
 * `__Host-` cookie; the store keeps its SHA-256, so a copy of the database signs nobody in. A
 * session ends at its idle expiry (renewed by use) or its absolute expiry (never renewed),
 * whichever is first, and on sign-out its row is deleted: the old cookie never works again.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type Store, viewTables } from '../store/index.js';
import { sha256Hex } from './accounts.js';

type SessionsTable = {
  id_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  idle_expires_at: string;
  absolute_expires_at: string;
  /** 1: the sign-in showed more than one factor (migration 020). */
  multi_factor: number;
};
type SessionTables = { server_sessions: SessionsTable };

export interface SessionTimes {
  idleMs: number;
  absoluteMs: number;
}

export interface Session {
  /** SHA-256 of the id: how logs, the ledger and CSRF tokens refer to the session. */
  idHash: string;
  userId: string;
  createdAt: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
  /** The sign-in showed more than one factor (decision 0010). */
  multiFactor: boolean;
}

/** The cookie's name: `__Host-` makes the browser insist on Secure, Path=/ and no Domain. */
export const sessionCookieName = '__Host-shipguard-session';

const sessionIdPattern = /^[A-Za-z0-9_-]{43}$/;

function sessionsDb(store: Store): Kysely<SessionTables> {
  return viewTables<SessionTables>(store.db);
}

/** A new session for `userId`; returns the id to put in the cookie (never stored). */
export async function createSession(
  store: Store,
  userId: string,
  times: SessionTimes,
  now: Date,
  sign: { multiFactor: boolean } = { multiFactor: false },
): Promise<{ id: string; session: Session }> {
  const id = randomBytes(32).toString('base64url');
  const session: Session = {
    idHash: sha256Hex(id),
    userId,
    createdAt: now,
    idleExpiresAt: new Date(now.getTime() + times.idleMs),
    absoluteExpiresAt: new Date(now.getTime() + times.absoluteMs),
    multiFactor: sign.multiFactor,
  };
  await sessionsDb(store)
    .insertInto('server_sessions')
    .values({
      id_hash: session.idHash,
      user_id: userId,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      idle_expires_at: session.idleExpiresAt.toISOString(),
      absolute_expires_at: session.absoluteExpiresAt.toISOString(),
      multi_factor: session.multiFactor ? 1 : 0,
    })
    .execute();
  return { id, session };
}

export type SessionLookup =
  | { state: 'active'; session: Session }
  | { state: 'expired'; idHash: string; reason: 'idle' | 'absolute' }
  | { state: 'unknown' };

/**
 * The session a cookie value names, renewed (idle expiry moved forward, never past the absolute
 * one) when active. An expired session is deleted as it is found.
 */
export async function resumeSession(
  store: Store,
  id: string | undefined,
  times: SessionTimes,
  now: Date,
): Promise<SessionLookup> {
  if (!id || !sessionIdPattern.test(id)) return { state: 'unknown' };
  const idHash = sha256Hex(id);
  const db = sessionsDb(store);
  const row = await db
    .selectFrom('server_sessions')
    .selectAll()
    .where('id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row) return { state: 'unknown' };
  const absolute = new Date(row.absolute_expires_at);
  const idle = new Date(row.idle_expires_at);
  if (now >= absolute || now >= idle) {
    await db.deleteFrom('server_sessions').where('id_hash', '=', idHash).execute();
    return { state: 'expired', idHash, reason: now >= absolute ? 'absolute' : 'idle' };
  }
  const renewed = new Date(Math.min(now.getTime() + times.idleMs, absolute.getTime()));
  await db
    .updateTable('server_sessions')
    .set({ last_seen_at: now.toISOString(), idle_expires_at: renewed.toISOString() })
    .where('id_hash', '=', idHash)
    .execute();
  return {
    state: 'active',
    session: {
      idHash,
      userId: row.user_id,
      createdAt: new Date(row.created_at),
      idleExpiresAt: renewed,
      absoluteExpiresAt: absolute,
      multiFactor: Number(row.multi_factor) === 1,
    },
  };
}

/** Deletes the session (sign-out, or rotation at sign-in). */
export async function endSession(store: Store, idHash: string): Promise<void> {
  await sessionsDb(store).deleteFrom('server_sessions').where('id_hash', '=', idHash).execute();
}

/** A session as its owner sees it in the list: never its id. */
export interface SessionSummary {
  idHash: string;
  createdAt: Date;
  lastSeenAt: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
}

/** The user's sessions that have not expired, newest first. */
export async function listSessionsOf(store: Store, userId: string, now: Date): Promise<SessionSummary[]> {
  const rows = await sessionsDb(store)
    .selectFrom('server_sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows
    .map((row) => ({
      idHash: row.id_hash,
      createdAt: new Date(row.created_at),
      lastSeenAt: new Date(row.last_seen_at),
      idleExpiresAt: new Date(row.idle_expires_at),
      absoluteExpiresAt: new Date(row.absolute_expires_at),
    }))
    .filter((session) => session.idleExpiresAt > now && session.absoluteExpiresAt > now);
}

/** Ends the user's own sessions whose hash starts with `reference` (never another user's). */
export async function endSessionOf(store: Store, userId: string, reference: string): Promise<number> {
  if (!/^[0-9a-f]{16}$/.test(reference)) return 0;
  const result = await sessionsDb(store)
    .deleteFrom('server_sessions')
    .where('user_id', '=', userId)
    .where('id_hash', 'like', `${reference}%`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Ends every session of a user (a revoked role takes effect at once). */
export async function endSessionsOf(store: Store, userId: string): Promise<number> {
  const result = await sessionsDb(store)
    .deleteFrom('server_sessions')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Removes sessions past either expiry; the server calls it now and then. */
export async function sweepExpiredSessions(store: Store, now: Date): Promise<number> {
  const at = now.toISOString();
  const result = await sessionsDb(store)
    .deleteFrom('server_sessions')
    .where((eb) => eb.or([eb('idle_expires_at', '<=', at), eb('absolute_expires_at', '<=', at)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
