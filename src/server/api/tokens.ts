/**
 * API tokens: random bearer secrets for CI and scripts. A token is shown once, when it is made;
 * the store keeps only its SHA-256, so a copy of the database (or a backup) holds no credential.
 * Every token names its roles and the repositories it may act on, and expires; revoking is final.
 * Making and revoking a token are ledgered.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { appendEvents } from '../../ledger/index.js';
import { type Store, viewTables } from '../../store/index.js';
import { type ServerRole, serverRoles } from '../pages/index.js';
import { ApiError } from './errors.js';

/** Recognisable by secret scanners (shipguard's own rule `shipguard-api-token` finds it). */
export const apiTokenPrefix = 'sgp_';
/** 32 random bytes: 256 bits, base64url without padding (43 characters). */
const tokenRandomBytes = 32;
export const apiTokenPattern = /^sgp_[A-Za-z0-9_-]{43}$/;
/** No token outlives a year: a forgotten CI secret stops working on its own. */
export const maxTokenLifetimeDays = 366;
const dayMs = 24 * 60 * 60 * 1000;
/** A token may carry any role but administrator: administration is done by a person. */
export const tokenRoles: readonly ServerRole[] = serverRoles.filter((role) => role !== 'administrator');
/** In a repositories scope: every repository (for a read-only token, a dashboard or a bench). */
export const everyRepository = '*';

export const apiTokenCreatedEvent = 'api-token.created';
export const apiTokenRevokedEvent = 'api-token.revoked';

interface ApiTokensTable {
  id: string;
  token_sha256: string;
  name: string;
  roles: string;
  repositories: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
}
type ApiTokenTables = { api_tokens: ApiTokensTable };

function tokensDb(store: Store): Kysely<ApiTokenTables> {
  return viewTables<ApiTokenTables>(store.db);
}

/** What is known about a token, never the token itself. */
export interface ApiTokenInfo {
  id: string;
  name: string;
  roles: ServerRole[];
  repositories: string[];
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt?: string;
  revokedBy?: string;
}

export interface CreateApiTokenInput {
  name: string;
  roles: readonly string[];
  /** Normalised repository keys, or `*`. */
  repositories: readonly string[];
  createdBy: string;
  expiresAt: Date;
  now: Date;
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function checkText(value: string, what: string, maxLength: number): string {
  const text = value.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (text.length === 0 || text.length > maxLength || /[\u0000-\u001f\u007f]/.test(text)) {
    throw new ApiError('API_TOKEN_REQUEST_INVALID', `${what} must be 1 to ${maxLength} printable characters`);
  }
  return text;
}

/** The request, checked: known roles (no administrator), a scope, an expiry within a year. */
export function checkTokenRequest(input: CreateApiTokenInput): Omit<ApiTokenInfo, 'id' | 'createdAt'> {
  const name = checkText(input.name, 'the token name', 200);
  const createdBy = checkText(input.createdBy, 'who creates the token', 200);
  if (input.roles.length === 0) throw new ApiError('API_TOKEN_REQUEST_INVALID', 'a token needs a role');
  const roles: ServerRole[] = [];
  for (const role of input.roles) {
    if (!tokenRoles.includes(role as ServerRole)) {
      throw new ApiError(
        'API_TOKEN_REQUEST_INVALID',
        `${role.slice(0, 50)} is not a token role (one of ${tokenRoles.join(', ')})`,
      );
    }
    if (!roles.includes(role as ServerRole)) roles.push(role as ServerRole);
  }
  const repositories = [...new Set(input.repositories.map((item) => checkText(item, 'a repository', 2048)))];
  if (repositories.length > 1000)
    throw new ApiError('API_TOKEN_REQUEST_INVALID', 'a token names at most 1000 repositories');
  const expires = input.expiresAt.getTime();
  if (!Number.isFinite(expires) || expires <= input.now.getTime()) {
    throw new ApiError('API_TOKEN_REQUEST_INVALID', 'a token must expire in the future');
  }
  if (expires - input.now.getTime() > maxTokenLifetimeDays * dayMs) {
    throw new ApiError(
      'API_TOKEN_REQUEST_INVALID',
      `a token lives at most ${maxTokenLifetimeDays} days; make a new one when it expires`,
    );
  }
  return { name, roles, repositories, createdBy, expiresAt: input.expiresAt.toISOString() };
}

/** Makes a token and ledgers it; the returned `token` is the only copy there will ever be. */
export async function createApiToken(
  store: Store,
  input: CreateApiTokenInput,
): Promise<{ token: string; info: ApiTokenInfo }> {
  const checked = checkTokenRequest(input);
  const token = `${apiTokenPrefix}${randomBytes(tokenRandomBytes).toString('base64url')}`;
  const info: ApiTokenInfo = { id: randomUUID(), createdAt: input.now.toISOString(), ...checked };
  await appendEvents(
    store,
    [
      {
        type: apiTokenCreatedEvent,
        data: {
          id: info.id,
          name: info.name,
          roles: info.roles,
          repositories: info.repositories,
          createdBy: info.createdBy,
          expiresAt: info.expiresAt,
        },
      },
    ],
    {
      now: () => input.now,
      alongside: async (transaction) => {
        await (transaction as unknown as Kysely<ApiTokenTables>)
          .insertInto('api_tokens')
          .values({
            id: info.id,
            token_sha256: hashApiToken(token),
            name: info.name,
            roles: JSON.stringify(info.roles),
            repositories: JSON.stringify(info.repositories),
            created_by: info.createdBy,
            created_at: info.createdAt,
            expires_at: info.expiresAt,
            revoked_at: null,
            revoked_by: null,
          })
          .execute();
        return true;
      },
    },
  );
  return { token, info };
}

function toInfo(row: ApiTokensTable): ApiTokenInfo {
  return {
    id: row.id,
    name: row.name,
    roles: parseList(row.roles).filter((role): role is ServerRole => tokenRoles.includes(role as ServerRole)),
    repositories: parseList(row.repositories),
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at }),
    ...(row.revoked_by === null ? {} : { revokedBy: row.revoked_by }),
  };
}

/** A stored JSON list of strings; anything else is an empty list (grants nothing). */
function parseList(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

export async function listApiTokens(store: Store): Promise<ApiTokenInfo[]> {
  const rows = await tokensDb(store)
    .selectFrom('api_tokens')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toInfo);
}

/** Revokes a token for good, and ledgers it. Revoking a revoked token changes nothing. */
export async function revokeApiToken(
  store: Store,
  input: { id: string; revokedBy: string; now: Date },
): Promise<ApiTokenInfo> {
  const revokedBy = checkText(input.revokedBy, 'who revokes the token', 200);
  const row = await tokensDb(store)
    .selectFrom('api_tokens')
    .selectAll()
    .where('id', '=', input.id)
    .executeTakeFirst();
  if (!row) throw new ApiError('API_TOKEN_NOT_FOUND', `no API token ${input.id.slice(0, 100)}`);
  if (row.revoked_at !== null) return toInfo(row);
  const revokedAt = input.now.toISOString();
  await appendEvents(store, [{ type: apiTokenRevokedEvent, data: { id: row.id, revokedBy } }], {
    now: () => input.now,
    alongside: async (transaction) => {
      await (transaction as unknown as Kysely<ApiTokenTables>)
        .updateTable('api_tokens')
        .set({ revoked_at: revokedAt, revoked_by: revokedBy })
        .where('id', '=', row.id)
        .where('revoked_at', 'is', null)
        .execute();
      return true;
    },
  });
  return toInfo({ ...row, revoked_at: revokedAt, revoked_by: revokedBy });
}

/**
 * The token a bearer presents, if it is live: known, not revoked, not expired. The lookup is by
 * hash (an index over SHA-256 values reveals nothing an attacker can steer byte by byte); the
 * found hash is still compared in constant time.
 */
export async function findLiveApiToken(
  store: Store,
  token: string,
  now: Date,
): Promise<ApiTokenInfo | undefined> {
  if (!apiTokenPattern.test(token)) return undefined;
  const hash = hashApiToken(token);
  const row = await tokensDb(store)
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_sha256', '=', hash)
    .executeTakeFirst();
  if (!row || row.token_sha256.length !== hash.length) return undefined;
  if (!timingSafeEqual(Buffer.from(row.token_sha256, 'hex'), Buffer.from(hash, 'hex'))) return undefined;
  if (row.revoked_at !== null) return undefined;
  const expires = Date.parse(row.expires_at);
  if (!Number.isFinite(expires) || expires <= now.getTime()) return undefined;
  return toInfo(row);
}
