import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';

/**
 * `advisories.digest`: a SHA-256 of each stored record's document, written with the record by
 * `replaceSource` (src/advisories/database.ts), so a full re-match (src/fleet/rematch.ts) can tell
 * whether a package's advisories changed from the digests alone, without reading and parsing the
 * documents. Backfilled here for the records already stored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('advisories').addColumn('digest', 'text').execute();
  await backfillAdvisoryDigests(db);
}

/** The digest of one stored document: the same as `advisoryDigest` in src/advisories/database.ts. */
function advisoryDigest(document: string): string {
  return createHash('sha256').update(document).digest('base64url');
}

const rowsPerUpdate = 500;

/** In primary-key order, a page at a time after the last row read: each page one index range. */
async function backfillAdvisoryDigests(db: Kysely<unknown>): Promise<void> {
  let after: { source: string; id: string } | undefined;
  for (;;) {
    const rows = (
      await sql<{ source: string; id: string; document: string }>`select source, id, document
        from advisories
        ${after ? sql`where source > ${after.source} or (source = ${after.source} and id > ${after.id})` : sql``}
        order by source, id limit ${rowsPerUpdate}`.execute(db)
    ).rows;
    const last = rows.at(-1);
    if (!last) return;
    after = { source: last.source, id: last.id };
    // VALUES columns are column1, column2, … in both SQLite and PostgreSQL.
    const values = sql.join(
      rows.map((row) => sql`(${row.source}, ${row.id}, ${advisoryDigest(row.document)})`),
    );
    await sql`update advisories set digest = v.column3 from (values ${values}) as v
      where advisories.source = v.column1 and advisories.id = v.column2`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('advisories').dropColumn('digest').execute();
}
