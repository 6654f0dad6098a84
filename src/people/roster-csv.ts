import { type CsvTable, parseCsv } from '../kernel/index.js';
import { PeopleError } from './errors.js';
import { Person } from './schema.js';

/** The roster CSV columns; several values in one cell are separated by `;`. */
export const rosterColumns = [
  'id',
  'name',
  'emails',
  'roles',
  'engagement',
  'organisation',
  'start',
  'end',
  'git_identities',
] as const;

export interface RowProblem {
  line: number;
  message: string;
}

/** "Application developer", "application_developer" and "application-developer" name one role. */
export function roleKey(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

function list(cell: string | undefined): string[] {
  return (cell ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/**
 * Reads a roster export: every row is checked, and when any row is bad the whole file is
 * refused with every bad row's line, so a roster is never half imported.
 */
export function parseRosterCsv(text: string, path: string): Person[] {
  const table: CsvTable = parseCsv(text, path, { maxRows: 100_000 });
  const missing = ['id', 'name', 'emails', 'engagement', 'start'].filter(
    (column) => !table.header.includes(column),
  );
  if (missing.length > 0) {
    throw new PeopleError('ROSTER_INVALID', `the roster lacks the column(s) ${missing.join(', ')}`, {
      location: { path, line: 1 },
    });
  }
  const people: Person[] = [];
  const problems: RowProblem[] = [];
  const seen = new Map<string, number>();
  for (const row of table.rows) {
    const value = row.values;
    const rawId = value['id'] ?? '';
    const earlier = seen.get(rawId);
    if (earlier !== undefined) {
      problems.push({ line: row.line, message: `id ${rawId} already on line ${earlier}` });
      continue;
    }
    seen.set(rawId, row.line);
    const candidate: Record<string, unknown> = {
      id: value['id'],
      name: value['name'],
      emails: list(value['emails']),
      roles: list(value['roles']).map(roleKey),
      engagement: roleKey(value['engagement'] ?? ''),
      start: value['start'],
      gitIdentities: list(value['git_identities']),
    };
    if (value['organisation']) candidate['organisation'] = value['organisation'];
    if (value['end']) candidate['end'] = value['end'];
    const parsed = Person.safeParse(candidate);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`);
      problems.push({ line: row.line, message: detail.join('; ') });
      continue;
    }
    people.push(parsed.data);
  }
  if (problems.length > 0) throw rosterRejected(path, problems);
  return people;
}

export function rosterRejected(path: string, problems: readonly RowProblem[]): PeopleError {
  const shown = problems.slice(0, 50).map((problem) => `  line ${problem.line}: ${problem.message}`);
  const more = problems.length > 50 ? `\n  … and ${problems.length - 50} more` : '';
  return new PeopleError(
    'ROSTER_INVALID',
    `${problems.length} bad row(s); nothing was imported:\n${shown.join('\n')}${more}`,
    { location: { path, line: problems[0]?.line ?? 1 } },
  );
}
