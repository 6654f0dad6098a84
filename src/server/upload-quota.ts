/**
 * What one person's page forms may bring in per day (ASVS 12.1.3): every file part received is
 * counted when it has streamed, whatever the page then does with it, and a part that would pass
 * the day's allowance is refused (429). The API counts its uploads in `api_uploads` the same way.
 */
import type { Kysely } from 'kysely';
import { type Store, viewTables } from '../store/index.js';

type FormUploadsTable = { user_id: string; uploaded_at: string; bytes: number };
type Tables = { server_form_uploads: FormUploadsTable };

const dayMs = 86_400_000;

function usageDb(store: Store): Kysely<Tables> {
  return viewTables<Tables>(store.db);
}

/** Bytes `userId`'s file parts brought in during the 24 hours before `now`. */
export async function formBytesToday(store: Store, userId: string, now: Date): Promise<number> {
  const row = await usageDb(store)
    .selectFrom('server_form_uploads')
    .select((eb) => eb.fn.sum<number | string>('bytes').as('bytes'))
    .where('user_id', '=', userId)
    .where('uploaded_at', '>', new Date(now.getTime() - dayMs).toISOString())
    .executeTakeFirst();
  return Number(row?.bytes ?? 0);
}

export async function countFormUpload(store: Store, userId: string, bytes: number, now: Date): Promise<void> {
  await usageDb(store)
    .insertInto('server_form_uploads')
    .values({ user_id: userId, uploaded_at: now.toISOString(), bytes })
    .execute();
}
