import type { Kysely } from 'kysely';

/**
 * `server_sessions.multi_factor`: 1 when the sign-in that started the session showed more than one
 * factor (the ID token's `amr`/`acr`, decision 0010). Sessions started before it hold 0: their
 * privileged roles wait for a sign-in with a second factor.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('server_sessions')
    .addColumn('multi_factor', 'integer', (column) => column.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('server_sessions').dropColumn('multi_factor').execute();
}
