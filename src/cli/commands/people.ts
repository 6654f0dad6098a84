import type { Command } from 'commander';
import { readInputFile, ShipguardError } from '../../kernel/index.js';
import {
  addPerson,
  findUnmappedCommitters,
  getPerson,
  listPeople,
  type Person,
  Person as PersonSchema,
  parseRosterCsv,
  recordPeople,
  roleKey,
  updatePerson,
} from '../../people/index.js';
import { loadVerifiedRecords, peopleCoverage } from '../../records/index.js';
import type { Store } from '../../store/index.js';
import { resolveRepositoryRoot } from '../../store/index.js';
import { action } from '../command.js';
import { UsageError } from '../errors.js';
import { exitCodes } from '../exit-codes.js';
import { printStdout, writeOutput } from '../output.js';
import { openCommandStore } from '../store-access.js';

const maxInputBytes = 64 * 1024 * 1024;
const dbOption = [
  '--db <location>',
  'SQLite file or postgres:// URL (default: $SHIPGUARD_DB, then .shipguard/)',
] as const;

/** Input mistakes (a bad row, an unknown person) are usage errors: exit 2 with the message. */
const inputCodes = new Set([
  'PERSON_INVALID',
  'PERSON_NOT_FOUND',
  'PERSON_CONFLICT',
  'ROSTER_INVALID',
  'CSV_MALFORMED',
  'CSV_TOO_LARGE',
  'RECORD_INVALID',
  'RECORD_KIND_UNKNOWN',
  'RECORD_CONFLICT',
  'RECORD_RULE_BROKEN',
  'RECORD_SIGNATURE_INVALID',
  'EVIDENCE_INVALID',
  'IMPORT_INVALID',
  'BUNDLE_INVALID',
  'KEY_INVALID',
]);

export async function asUsage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ShipguardError && inputCodes.has(error.code)) {
      const where = error.location
        ? `${error.location.path}${error.location.line ? `:${error.location.line}` : ''}: `
        : '';
      throw new UsageError('USAGE_INVALID_OPTION', `${where}${error.message} [${error.code}]`, {
        cause: error,
      });
    }
    throw error;
  }
}

/** A file the operator named (a roster, a bundle, a public key): bounded, never read endlessly. */
export async function readBoundedFile(path: string): Promise<string> {
  return (await readInputFile(path, 'file', { maxBytes: maxInputBytes })).toString('utf8');
}

export async function withCommandStore<T>(
  db: string | undefined,
  use: (store: Store) => Promise<T>,
): Promise<T> {
  const store = await openCommandStore(
    await resolveRepositoryRoot(process.cwd()).catch(() => process.cwd()),
    db,
  );
  try {
    return await asUsage(() => use(store));
  } finally {
    await store.close();
  }
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function parsePerson(candidate: unknown): Person {
  const parsed = PersonSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new UsageError(
      'USAGE_INVALID_OPTION',
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'person'}: ${issue.message}`).join('; '),
    );
  }
  return parsed.data;
}

function renderPeople(people: readonly Person[]): string {
  if (people.length === 0) return 'no people on the roster (shipguard people import roster.csv)';
  return people
    .map(
      (person) =>
        `${person.id.padEnd(20)} ${person.name.padEnd(28)} ${person.engagement.padEnd(12)} ${person.start}${person.end ? `..${person.end}` : '..'}  ${person.roles.join(', ')}`,
    )
    .join('\n');
}

interface PersonOptions {
  id?: string;
  name?: string;
  email?: string[];
  role?: string[];
  engagement?: string;
  organisation?: string;
  start?: string;
  end?: string;
  gitIdentity?: string[];
  db?: string;
}

export function registerPeopleCommand(program: Command): void {
  const people = program
    .command('people')
    .description('the roster: who is bound by the policy, in which role, and their git identities');

  people
    .command('import')
    .description(
      'import a roster CSV (id,name,emails,roles,engagement,organisation,start,end,git_identities); all rows or none',
    )
    .argument('<file>', 'roster CSV')
    .option(...dbOption)
    .action(
      action(async (file: string, options: { db?: string }) => {
        const text = await readBoundedFile(file);
        const roster = await asUsage(async () => parseRosterCsv(text, file));
        const result = await withCommandStore(options.db, (store) => recordPeople(store, roster));
        printStdout(`imported ${roster.length} people (${result.changed} new or changed)\n`);
        return exitCodes.ok;
      }),
    );

  const personOptions = (command: Command) =>
    command
      .option('--name <name>', 'full name')
      .option('--email <address>', 'e-mail address (repeat for several)', collect)
      .option('--role <role>', 'a policy role, e.g. application-developer (repeat for several)', collect)
      .option('--engagement <kind>', 'employee | contractor | third-party')
      .option('--organisation <name>', 'contracting company (contractors, third parties)')
      .option('--start <date>', 'start date, YYYY-MM-DD')
      .option('--end <date>', 'end date, YYYY-MM-DD')
      .option('--git-identity <identity>', 'another commit e-mail or name (repeat for several)', collect)
      .option(...dbOption);

  personOptions(
    people.command('add').description('add one person').argument('<id>', 'person id, e.g. ada.l'),
  ).action(
    action(async (id: string, options: PersonOptions) => {
      const person = parsePerson({
        id,
        name: options.name,
        emails: options.email ?? [],
        roles: (options.role ?? []).map(roleKey),
        engagement: options.engagement === undefined ? undefined : roleKey(options.engagement),
        start: options.start,
        gitIdentities: options.gitIdentity ?? [],
        ...(options.organisation ? { organisation: options.organisation } : {}),
        ...(options.end ? { end: options.end } : {}),
      });
      await withCommandStore(options.db, (store) => addPerson(store, person));
      printStdout(`added ${person.id}\n`);
      return exitCodes.ok;
    }),
  );

  personOptions(
    people
      .command('update')
      .description('change a person: given options replace the old values')
      .argument('<id>', 'person id'),
  ).action(
    action(async (id: string, options: PersonOptions) => {
      const updated = await withCommandStore(options.db, (store) =>
        updatePerson(store, id, (person) => ({
          ...person,
          ...(options.name ? { name: options.name } : {}),
          ...(options.email ? { emails: options.email } : {}),
          ...(options.role ? { roles: options.role.map(roleKey) } : {}),
          ...(options.engagement ? { engagement: roleKey(options.engagement) } : {}),
          ...(options.organisation ? { organisation: options.organisation } : {}),
          ...(options.start ? { start: options.start } : {}),
          ...(options.end ? { end: options.end } : {}),
          ...(options.gitIdentity ? { gitIdentities: options.gitIdentity } : {}),
        })),
      );
      printStdout(`updated ${updated.id}\n`);
      return exitCodes.ok;
    }),
  );

  people
    .command('leave')
    .description('record that a person left (their end date)')
    .argument('<id>', 'person id')
    .requiredOption('--on <date>', 'last day, YYYY-MM-DD')
    .option(...dbOption)
    .action(
      action(async (id: string, options: { on: string; db?: string }) => {
        await withCommandStore(options.db, (store) =>
          updatePerson(store, id, (person) => ({ ...person, end: options.on })),
        );
        printStdout(`${id} left on ${options.on}\n`);
        return exitCodes.ok;
      }),
    );

  people
    .command('list')
    .description('list the roster')
    .option('--format <format>', 'table | json', 'table')
    .option(...dbOption)
    .action(
      action(async (options: { format: string; db?: string }) => {
        const roster = await withCommandStore(options.db, (store) => listPeople(store));
        await writeOutput(
          options.format === 'json' ? JSON.stringify(roster, null, 2) : renderPeople(roster),
          {},
        );
        return exitCodes.ok;
      }),
    );

  people
    .command('show')
    .description('show one person')
    .argument('<id>', 'person id')
    .option(...dbOption)
    .action(
      action(async (id: string, options: { db?: string }) => {
        const person = await withCommandStore(options.db, (store) => getPerson(store, id));
        if (!person) throw new UsageError('USAGE_INVALID_OPTION', `${id} is not on the roster`);
        await writeOutput(JSON.stringify(person, null, 2), {});
        return exitCodes.ok;
      }),
    );

  people
    .command('unmapped')
    .description('committers in the audit period who map to nobody on the roster (exit 1 when any)')
    .argument('[path]', 'the repository', '.')
    .option('--since <date>', 'start of the audit period, YYYY-MM-DD (default: a year ago)')
    .option('--until <date>', 'end of the audit period, YYYY-MM-DD')
    .option('--format <format>', 'table | json', 'table')
    .option(...dbOption)
    .action(
      action(
        async (path: string, options: { since?: string; until?: string; format: string; db?: string }) => {
          const since =
            options.since ?? new Date(Date.now() - 365 * 24 * 3600 * 1000).toISOString().slice(0, 10);
          for (const date of [since, options.until].filter((value): value is string => value !== undefined)) {
            if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
              throw new UsageError('USAGE_INVALID_OPTION', `${date} is not a date as YYYY-MM-DD`);
          }
          const roster = await withCommandStore(options.db, (store) => listPeople(store));
          const unmapped = await findUnmappedCommitters(path, roster, {
            since,
            ...(options.until ? { until: options.until } : {}),
          });
          if (options.format === 'json') await writeOutput(JSON.stringify(unmapped, null, 2), {});
          else if (unmapped.length === 0)
            await writeOutput(`every committer since ${since} maps to someone on the roster`, {});
          else
            await writeOutput(
              [
                `${unmapped.length} committer(s) since ${since} map to nobody on the roster:`,
                ...unmapped.map(
                  (identity) =>
                    `  ${identity.name} <${identity.email}>  ${identity.commits} commit(s), ${identity.first.slice(0, 10)}..${identity.last.slice(0, 10)}`,
                ),
              ].join('\n'),
              {},
            );
          return unmapped.length > 0 ? exitCodes.findings : exitCodes.ok;
        },
      ),
    );

  people
    .command('coverage')
    .description(
      'who lacks training or acknowledgement of the current policy, by role (exit 1 when anyone does)',
    )
    .option('--format <format>', 'table | json', 'table')
    .option(...dbOption)
    .action(
      action(async (options: { format: string; db?: string }) => {
        const coverage = await withCommandStore(options.db, async (store) =>
          peopleCoverage(
            {
              people: await listPeople(store),
              records: (await loadVerifiedRecords(store)).map((record) => ({ ...record, source: 'store' })),
            },
            new Date(),
          ),
        );
        if (options.format === 'json') {
          await writeOutput(JSON.stringify(coverage, null, 2), {});
        } else if (coverage.gaps.length === 0) {
          await writeOutput(
            `all ${coverage.people} people in scope are trained and have acknowledged the current policy`,
            {},
          );
        } else {
          const lines = [`${coverage.gaps.length} of ${coverage.people} people in scope lack something:`];
          for (const [role, gaps] of Object.entries(coverage.byRole)) {
            lines.push(`${role}:`);
            for (const gap of gaps) lines.push(`  ${gap.name} (${gap.person}): ${gap.lacking.join('; ')}`);
          }
          await writeOutput(lines.join('\n'), {});
        }
        return coverage.gaps.length > 0 ? exitCodes.findings : exitCodes.ok;
      }),
    );
}
