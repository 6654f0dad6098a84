import type { Kysely } from 'kysely';
import { appendEvents, canonicalize, readEntries } from '../ledger/index.js';
import { type Store, viewTables } from '../store/index.js';
import { PeopleError } from './errors.js';
import { indexIdentities } from './identities.js';
import { comparableName } from './names.js';
import { Person } from './schema.js';

type PeopleTable = { id: string; name_key: string; document: string; ledger_index: number | string | bigint };
export type PeopleTables = { people: PeopleTable };

/** The ledger event every roster change is: the person's whole document after the change. */
export const personEventType = 'person.recorded';

function peopleDb(store: Store): Kysely<PeopleTables> {
  return viewTables<PeopleTables>(store.db);
}

export async function listPeople(store: Store): Promise<Person[]> {
  const rows = await peopleDb(store).selectFrom('people').select(['id', 'document']).orderBy('id').execute();
  return rows.map((row) => Person.parse(JSON.parse(row.document)));
}

export async function getPerson(store: Store, id: string): Promise<Person | undefined> {
  const row = await peopleDb(store)
    .selectFrom('people')
    .select('document')
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : Person.parse(JSON.parse(row.document));
}

/**
 * Records people (new or changed) as one ledger append and one projection write. Every e-mail and
 * git identity must map to one person across the whole roster after the change.
 */
export async function recordPeople(store: Store, people: readonly Person[]): Promise<{ changed: number }> {
  const current = new Map((await listPeople(store)).map((person) => [person.id, person]));
  const changed = people.filter((person) => {
    const before = current.get(person.id);
    return before === undefined || canonicalize(before) !== canonicalize(person);
  });
  for (const person of changed) current.set(person.id, person);
  indexIdentities([...current.values()]);
  if (changed.length === 0) return { changed: 0 };
  const appended = await appendEvents(
    store,
    changed.map((person) => ({ type: personEventType, data: { person: { ...person } } })),
  );
  await peopleDb(store)
    .transaction()
    .execute(async (trx) => {
      for (const [offset, person] of changed.entries()) {
        const row = {
          id: person.id,
          name_key: comparableName(person.name),
          document: canonicalize(person),
          ledger_index: appended.firstIndex + offset,
        };
        await trx
          .insertInto('people')
          .values(row)
          .onConflict((conflict) =>
            conflict.column('id').doUpdateSet({
              name_key: row.name_key,
              document: row.document,
              ledger_index: row.ledger_index,
            }),
          )
          .execute();
      }
    });
  return { changed: changed.length };
}

export async function addPerson(store: Store, person: Person): Promise<void> {
  if (await getPerson(store, person.id))
    throw new PeopleError('PERSON_CONFLICT', `${person.id} is already on the roster; use people update`);
  await recordPeople(store, [person]);
}

export async function updatePerson(
  store: Store,
  id: string,
  change: (person: Person) => unknown,
): Promise<Person> {
  const person = await getPerson(store, id);
  if (!person) throw new PeopleError('PERSON_NOT_FOUND', `${id} is not on the roster`);
  const parsed = Person.safeParse(change(person));
  if (!parsed.success) {
    throw new PeopleError(
      'PERSON_INVALID',
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    );
  }
  await recordPeople(store, [parsed.data]);
  return parsed.data;
}

/** The roster as the ledger says it is: the last `person.recorded` event of each id. */
export async function projectPeopleFromLedger(
  store: Store,
): Promise<Map<string, { document: string; index: number }>> {
  const people = new Map<string, { document: string; index: number }>();
  for (let from = 0; ; ) {
    const entries = await readEntries(store, from, 10_000);
    if (entries.length === 0) break;
    for (const entry of entries) {
      if (!entry.entry.includes(`"type":"${personEventType}"`)) continue;
      const parsed = JSON.parse(entry.entry) as { type: string; data: { person?: unknown } };
      if (parsed.type !== personEventType) continue;
      const person = Person.parse(parsed.data.person);
      people.set(person.id, { document: canonicalize(person), index: entry.index });
    }
    from = (entries.at(-1)?.index ?? from) + 1;
  }
  return people;
}

/** Roster rows that differ from the ledger's projection: edited, added or removed outside shipguard. */
export async function verifyPeople(store: Store): Promise<string[]> {
  const expected = await projectPeopleFromLedger(store);
  const rows = await peopleDb(store).selectFrom('people').selectAll().execute();
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    seen.add(row.id);
    const want = expected.get(row.id);
    if (!want) problems.push(`person ${row.id} is in the roster table but not in the ledger`);
    else if (want.document !== row.document || Number(row.ledger_index) !== want.index) {
      problems.push(`person ${row.id} differs from its ledger entry ${want.index}`);
    }
  }
  for (const id of expected.keys())
    if (!seen.has(id)) problems.push(`person ${id} is in the ledger but missing from the roster table`);
  return problems;
}
