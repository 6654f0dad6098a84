import type { Kysely } from 'kysely';

/**
 * `shipguard serve` (src/server/): who may sign in and what they may do.
 * - server_users: a person as the identity provider names them (issuer + subject), with the
 *   name and e-mail shown on pages;
 * - server_role_grants: one row per (user, role), who granted it and until when (an auditor's
 *   grant always ends); a role with no row is not held;
 * - server_sessions: server-side sessions, keyed by the SHA-256 of the session id (the id itself
 *   lives only in the browser's cookie), with the idle and absolute expiry instants;
 * - server_bootstrap: the SHA-256 of the one-time token that makes the first administrator, and
 *   when it was consumed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('server_users')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('issuer', 'text', (column) => column.notNull())
    .addColumn('subject', 'text', (column) => column.notNull())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('email', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('last_sign_in_at', 'text')
    .addUniqueConstraint('server_users_identity', ['issuer', 'subject'])
    .execute();
  await db.schema
    .createTable('server_role_grants')
    .addColumn('user_id', 'text', (column) => column.notNull())
    .addColumn('role', 'text', (column) => column.notNull())
    .addColumn('granted_by', 'text', (column) => column.notNull())
    .addColumn('granted_at', 'text', (column) => column.notNull())
    .addColumn('expires_at', 'text')
    .addPrimaryKeyConstraint('server_role_grants_pk', ['user_id', 'role'])
    .execute();
  await db.schema
    .createTable('server_sessions')
    .addColumn('id_hash', 'text', (column) => column.primaryKey())
    .addColumn('user_id', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('last_seen_at', 'text', (column) => column.notNull())
    .addColumn('idle_expires_at', 'text', (column) => column.notNull())
    .addColumn('absolute_expires_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('server_sessions_user').on('server_sessions').column('user_id').execute();
  await db.schema
    .createTable('server_bootstrap')
    .addColumn('id', 'integer', (column) => column.primaryKey())
    .addColumn('token_hash', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('consumed_at', 'text')
    .addColumn('consumed_by', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['server_bootstrap', 'server_sessions', 'server_role_grants', 'server_users']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
