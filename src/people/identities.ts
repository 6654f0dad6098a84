import { runGitText } from '../kernel/index.js';
import { PeopleError } from './errors.js';
import { comparableEmail, comparableName, normaliseName } from './names.js';
import type { Person } from './schema.js';

/** Who a commit identity belongs to, by e-mail first and by name only when listed as a git identity. */
export interface IdentityIndex {
  byEmail: ReadonlyMap<string, string>;
  byName: ReadonlyMap<string, string>;
}

/**
 * Indexes every person's e-mails and git identities. Two people claiming one e-mail or identity
 * is a conflict: a commit must map to exactly one person.
 */
export function indexIdentities(people: readonly Person[]): IdentityIndex {
  const byEmail = new Map<string, string>();
  const byName = new Map<string, string>();
  const claim = (map: Map<string, string>, key: string, id: string) => {
    const owner = map.get(key);
    if (owner !== undefined && owner !== id) {
      throw new PeopleError('PERSON_CONFLICT', `${key} belongs to both ${owner} and ${id}`);
    }
    map.set(key, id);
  };
  for (const person of people) {
    for (const email of person.emails) claim(byEmail, comparableEmail(email), person.id);
    for (const identity of person.gitIdentities) {
      if (identity.includes('@')) claim(byEmail, comparableEmail(identity), person.id);
      else claim(byName, comparableName(identity), person.id);
    }
  }
  return { byEmail, byName };
}

export function personOfIdentity(index: IdentityIndex, name: string, email: string): string | undefined {
  return index.byEmail.get(comparableEmail(email)) ?? index.byName.get(comparableName(name));
}

export interface CommitIdentity {
  name: string;
  email: string;
  commits: number;
  first: string;
  last: string;
}

/** Commits by the forge itself (web merges) name the forge as committer, not a person. */
const forgeCommitterEmails = new Set(['noreply@github.com', 'noreply@gitlab.com']);

/**
 * Authors and committers of the commits in [since, until] that map to nobody on the roster,
 * with how many commits each made. Reads `git log` with a bounded output.
 */
export async function findUnmappedCommitters(
  repositoryPath: string,
  people: readonly Person[],
  period: { since: string; until?: string },
): Promise<CommitIdentity[]> {
  const args = [
    'log',
    '--all',
    `--since=${period.since}T00:00:00Z`,
    '--format=%an%x00%ae%x00%cn%x00%ce%x00%cI%x00%aI',
  ];
  if (period.until) args.push(`--until=${period.until}T23:59:59Z`);
  const output = await runGitText(repositoryPath, args, { maxOutputBytes: 256 * 1024 * 1024 });
  const index = indexIdentities(people);
  const unmapped = new Map<string, CommitIdentity>();
  const note = (name: string, email: string, date: string) => {
    if (forgeCommitterEmails.has(email.toLowerCase())) return;
    if (personOfIdentity(index, name, email) !== undefined) return;
    const key = `${comparableName(name)}\u0000${comparableEmail(email)}`;
    const entry = unmapped.get(key);
    if (entry === undefined) {
      unmapped.set(key, { name: normaliseName(name), email, commits: 1, first: date, last: date });
      return;
    }
    entry.commits += 1;
    if (date < entry.first) entry.first = date;
    if (date > entry.last) entry.last = date;
  };
  for (const line of output.split('\n')) {
    if (line === '') continue;
    const [
      authorName = '',
      authorEmail = '',
      committerName = '',
      committerEmail = '',
      date = '',
      authored = '',
    ] = line.split('\u0000');
    // git filters on the commit date; the period is about when the work was authored too.
    if (
      authored.slice(0, 10) < period.since ||
      (period.until !== undefined && date.slice(0, 10) > period.until)
    )
      continue;
    note(authorName, authorEmail, date);
    if (comparableEmail(committerEmail) !== comparableEmail(authorEmail))
      note(committerName, committerEmail, date);
  }
  return [...unmapped.values()].sort((a, b) => b.commits - a.commits || a.email.localeCompare(b.email));
}
