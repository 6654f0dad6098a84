/**
 * People who sign in and the roles granted to them (tables of migration 012-server). Roles come
 * only from grants in the store: a person the identity provider knows but nobody granted a role
 * holds none. Every grant and revocation is appended to the ledger with the row change, in one
 * transaction.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { appendEvents } from '../ledger/index.js';
import { type Store, type StoreTables, viewTables } from '../store/index.js';
import { ServerError } from './errors.js';
import { personRoles, type ServerRole } from './pages/index.js';

type UsersTable = {
  id: string;
  issuer: string;
  subject: string;
  name: string;
  email: string | null;
  created_at: string;
  last_sign_in_at: string | null;
};
type GrantsTable = {
  user_id: string;
  role: string;
  granted_by: string;
  granted_at: string;
  expires_at: string | null;
};
type BootstrapTable = {
  id: number;
  token_hash: string;
  created_at: string;
  consumed_at: string | null;
  consumed_by: string | null;
};
export type AccountTables = {
  server_users: UsersTable;
  server_role_grants: GrantsTable;
  server_bootstrap: BootstrapTable;
};

export interface ServerUser {
  id: string;
  issuer: string;
  subject: string;
  name: string;
  email?: string;
}

export interface RoleGrant {
  userId: string;
  role: ServerRole;
  grantedBy: string;
  grantedAt: Date;
  expiresAt?: Date;
}

/** The issuer recorded for the local sign-in (no OIDC, loopback only). */
export const localIssuer = 'local:';

function accountsDb(store: Store): Kysely<AccountTables> {
  return viewTables<AccountTables>(store.db);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function toUser(row: UsersTable): ServerUser {
  return {
    id: row.id,
    issuer: row.issuer,
    subject: row.subject,
    name: row.name,
    ...(row.email ? { email: row.email } : {}),
  };
}

/** Creates the user on first sign-in, else refreshes the name and e-mail the provider sent. */
export async function upsertUser(
  store: Store,
  identity: { issuer: string; subject: string; name: string; email?: string },
  now: Date,
): Promise<ServerUser> {
  const db = accountsDb(store);
  const existing = await db
    .selectFrom('server_users')
    .selectAll()
    .where('issuer', '=', identity.issuer)
    .where('subject', '=', identity.subject)
    .executeTakeFirst();
  const at = now.toISOString();
  if (existing) {
    await db
      .updateTable('server_users')
      .set({ name: identity.name, email: identity.email ?? null, last_sign_in_at: at })
      .where('id', '=', existing.id)
      .execute();
    return toUser({ ...existing, name: identity.name, email: identity.email ?? null });
  }
  const row: UsersTable = {
    id: randomUUID(),
    issuer: identity.issuer,
    subject: identity.subject,
    name: identity.name,
    email: identity.email ?? null,
    created_at: at,
    last_sign_in_at: at,
  };
  await db
    .insertInto('server_users')
    .values(row)
    .onConflict((conflict) => conflict.doNothing())
    .execute();
  // A concurrent first sign-in may have won the insert: read back whichever row is stored.
  const stored = await db
    .selectFrom('server_users')
    .selectAll()
    .where('issuer', '=', identity.issuer)
    .where('subject', '=', identity.subject)
    .executeTakeFirstOrThrow();
  return toUser(stored);
}

export async function getUser(store: Store, id: string): Promise<ServerUser | undefined> {
  const row = await accountsDb(store)
    .selectFrom('server_users')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toUser(row) : undefined;
}

export async function listUsers(store: Store): Promise<ServerUser[]> {
  const rows = await accountsDb(store).selectFrom('server_users').selectAll().orderBy('name').execute();
  return rows.map(toUser);
}

/** Grants in force at `now` (an expired grant grants nothing). */
export async function activeGrants(store: Store, userId: string, now: Date): Promise<RoleGrant[]> {
  const rows = await accountsDb(store)
    .selectFrom('server_role_grants')
    .selectAll()
    .where('user_id', '=', userId)
    .execute();
  return rows
    .map((row) => ({
      userId: row.user_id,
      role: row.role as ServerRole,
      grantedBy: row.granted_by,
      grantedAt: new Date(row.granted_at),
      ...(row.expires_at ? { expiresAt: new Date(row.expires_at) } : {}),
    }))
    .filter((grant) => personRoles.includes(grant.role) && (!grant.expiresAt || grant.expiresAt > now));
}

export async function listGrants(store: Store): Promise<RoleGrant[]> {
  const rows = await accountsDb(store)
    .selectFrom('server_role_grants')
    .selectAll()
    .orderBy('user_id')
    .execute();
  return rows.map((row) => ({
    userId: row.user_id,
    role: row.role as ServerRole,
    grantedBy: row.granted_by,
    grantedAt: new Date(row.granted_at),
    ...(row.expires_at ? { expiresAt: new Date(row.expires_at) } : {}),
  }));
}

export interface GrantRequest {
  userId: string;
  role: string;
  /** Who grants: the granting user's id, or `bootstrap`. */
  grantedBy: string;
  expiresAt?: Date;
  now: Date;
}

function checkGrant(request: GrantRequest): ServerRole {
  const role = personRoles.find((candidate) => candidate === request.role);
  if (!role) throw new ServerError('SERVER_GRANT_INVALID', `${request.role} is not a role a person can hold`);
  if (role === 'auditor' && !request.expiresAt)
    throw new ServerError('SERVER_GRANT_INVALID', 'an auditor grant must end: give it an expiry');
  if (request.expiresAt && request.expiresAt <= request.now)
    throw new ServerError('SERVER_GRANT_INVALID', 'the expiry is in the past');
  return role;
}

async function writeGrant(
  trx: Transaction<AccountTables>,
  request: GrantRequest,
  role: ServerRole,
): Promise<void> {
  await trx
    .deleteFrom('server_role_grants')
    .where('user_id', '=', request.userId)
    .where('role', '=', role)
    .execute();
  await trx
    .insertInto('server_role_grants')
    .values({
      user_id: request.userId,
      role,
      granted_by: request.grantedBy,
      granted_at: request.now.toISOString(),
      expires_at: request.expiresAt?.toISOString() ?? null,
    })
    .execute();
}

/** Grants (or renews) a role, ledgered as `server.role-granted` in the same transaction. */
export async function grantRole(store: Store, request: GrantRequest): Promise<void> {
  const role = checkGrant(request);
  const user = await getUser(store, request.userId);
  if (!user) throw new ServerError('SERVER_GRANT_INVALID', 'no such user');
  await appendEvents(
    store,
    [
      {
        type: 'server.role-granted',
        data: {
          user: { id: user.id, issuer: user.issuer, subject: user.subject, name: user.name },
          role,
          grantedBy: request.grantedBy,
          ...(request.expiresAt ? { expiresAt: request.expiresAt.toISOString() } : {}),
        },
      },
    ],
    {
      now: () => request.now,
      alongside: async (trx: Transaction<StoreTables>) => {
        await writeGrant(trx as unknown as Transaction<AccountTables>, request, role);
        return true;
      },
    },
  );
}

/** Revokes a role, ledgered as `server.role-revoked`; revoking a role not held changes nothing. */
export async function revokeRole(
  store: Store,
  request: { userId: string; role: string; revokedBy: string; now: Date },
): Promise<boolean> {
  const user = await getUser(store, request.userId);
  if (!user) throw new ServerError('SERVER_GRANT_INVALID', 'no such user');
  const result = await appendEvents(
    store,
    [
      {
        type: 'server.role-revoked',
        data: {
          user: { id: user.id, issuer: user.issuer, subject: user.subject, name: user.name },
          role: request.role,
          revokedBy: request.revokedBy,
        },
      },
    ],
    {
      now: () => request.now,
      alongside: async (trx: Transaction<StoreTables>) => {
        const deleted = await (trx as unknown as Transaction<AccountTables>)
          .deleteFrom('server_role_grants')
          .where('user_id', '=', request.userId)
          .where('role', '=', request.role)
          .executeTakeFirst();
        return Number(deleted.numDeletedRows) > 0;
      },
    },
  );
  return result.skipped !== true;
}

export async function hasAdministrator(store: Store, now: Date): Promise<boolean> {
  const rows = await accountsDb(store)
    .selectFrom('server_role_grants')
    .select(['expires_at'])
    .where('role', '=', 'administrator')
    .execute();
  return rows.some((row) => !row.expires_at || new Date(row.expires_at) > now);
}

/**
 * A new one-time bootstrap token: 32 random bytes, base64url, of which only the SHA-256 is
 * stored (replacing any earlier token not yet used). The caller prints it once.
 */
export async function issueBootstrapToken(store: Store, now: Date): Promise<string> {
  const token = `sgb_${randomBytes(32).toString('base64url')}`;
  const db = accountsDb(store);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('server_bootstrap').where('consumed_at', 'is', null).execute();
    const next = await trx
      .selectFrom('server_bootstrap')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    await trx
      .insertInto('server_bootstrap')
      .values({
        id: Number(next?.id ?? 0) + 1,
        token_hash: sha256Hex(token),
        created_at: now.toISOString(),
        consumed_at: null,
        consumed_by: null,
      })
      .execute();
  });
  return token;
}

function sameHash(left: string, right: string): boolean {
  const a = Buffer.from(left, 'hex');
  const b = Buffer.from(right, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A bootstrap token works for this long after it was printed (ASVS 2.3.1); a restart prints a new one. */
export const bootstrapTokenLifetimeMs = 24 * 3_600_000;

function bootstrapCutoff(now: Date): string {
  return new Date(now.getTime() - bootstrapTokenLifetimeMs).toISOString();
}

/**
 * Whether `token` is the bootstrap token still waiting to be used and printed less than a day ago
 * (compared in constant time).
 */
export async function bootstrapTokenMatches(store: Store, token: string, now: Date): Promise<boolean> {
  if (token.length === 0 || token.length > 200) return false;
  const rows = await accountsDb(store)
    .selectFrom('server_bootstrap')
    .select('token_hash')
    .where('consumed_at', 'is', null)
    .where('created_at', '>', bootstrapCutoff(now))
    .execute();
  const hash = sha256Hex(token);
  return rows.some((row) => sameHash(row.token_hash, hash));
}

/**
 * Uses the bootstrap token (given by its SHA-256: the sign-in cookie never carries the token) up
 * and makes `userId` an administrator, ledgered. Returns false when the token is wrong, already
 * used (a second use, or a race lost to another sign-in) or expired: the conditional update decides.
 */
export async function consumeBootstrapToken(
  store: Store,
  tokenHash: string,
  userId: string,
  now: Date,
): Promise<boolean> {
  if (!/^[0-9a-f]{64}$/.test(tokenHash)) return false;
  const hash = tokenHash;
  const request: GrantRequest = { userId, role: 'administrator', grantedBy: 'bootstrap', now };
  const user = await getUser(store, userId);
  if (!user) return false;
  const result = await appendEvents(
    store,
    [
      {
        type: 'server.role-granted',
        data: {
          user: { id: user.id, issuer: user.issuer, subject: user.subject, name: user.name },
          role: 'administrator',
          grantedBy: 'bootstrap',
        },
      },
    ],
    {
      now: () => now,
      alongside: async (transaction: Transaction<StoreTables>) => {
        const trx = transaction as unknown as Transaction<AccountTables>;
        const used = await trx
          .updateTable('server_bootstrap')
          .set({ consumed_at: now.toISOString(), consumed_by: userId })
          .where('token_hash', '=', hash)
          .where('consumed_at', 'is', null)
          .where('created_at', '>', bootstrapCutoff(now))
          .executeTakeFirst();
        if (Number(used.numUpdatedRows) !== 1) return false;
        await writeGrant(trx, request, 'administrator');
        return true;
      },
    },
  );
  return result.skipped !== true;
}
