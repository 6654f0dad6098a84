import { afterEach, describe, expect, it } from 'vitest';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { findUnmappedCommitters } from './identities.js';
import { comparableName, normaliseName } from './names.js';
import { parseRosterCsv } from './roster-csv.js';

const header = 'id,name,emails,roles,engagement,organisation,start,end,git_identities';

describe('names', () => {
  it('fold compatibility forms and drop format characters before comparison', () => {
    expect(normaliseName('Ｚｏｅ\u200b  Quinn\u202e')).toBe('Zoe Quinn');
    expect(comparableName('ZOE QUINN')).toBe(comparableName('zoe\u2060 quinn'));
  });
});

describe('parseRosterCsv', () => {
  it('reads several e-mails, roles in the policy wording, and git identities', () => {
    const [person] = parseRosterCsv(
      `${header}\nada,Ada Lovelace,ada@example.com;ada@home.example,Development team lead;Software engineer,Contractor,Analytical Ltd,2025-01-01,,ada@users.noreply.github.com;A. Lovelace\n`,
      'roster.csv',
    );
    expect(person).toMatchObject({
      emails: ['ada@example.com', 'ada@home.example'],
      roles: ['development-team-lead', 'software-engineer'],
      engagement: 'contractor',
      gitIdentities: ['ada@users.noreply.github.com', 'A. Lovelace'],
    });
  });

  it('refuses the whole file naming every bad row', () => {
    const text = `${header}\nada,Ada,ada@example.com,wizard,employee,,2025-01-01,,\nbob,Bob,bob@example.com,,employee,,2025-13-01,,\nada,Ada again,ada2@example.com,,employee,,2025-01-01,,\n`;
    let error: unknown;
    try {
      parseRosterCsv(text, 'roster.csv');
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'ROSTER_INVALID', location: { path: 'roster.csv', line: 2 } });
    const message = (error as Error).message;
    expect(message).toContain('line 2: roles.0');
    expect(message).toContain('line 3: start');
    expect(message).toContain('line 4: id ada already on line 2');
  });
});

describe('findUnmappedCommitters', () => {
  let repository: TestRepository | undefined;
  afterEach(() => repository?.remove());

  it('reports committers of the audit period that map to nobody, by e-mail or listed name', async () => {
    const repo = createTestRepository();
    repository = repo;
    repo.write({ a: '1' });
    repo.commit('old', { author: 'Old Timer <old@example.com>', date: '2024-01-01T00:00:00Z' });
    repo.write({ a: '2' });
    repo.commit('mapped', { author: 'Ada <ADA@example.com>', date: '2026-06-01T00:00:00Z' });
    repo.write({ a: '3' });
    repo.commit('by name', { author: 'A. Lovelace <laptop@localhost>', date: '2026-06-02T00:00:00Z' });
    repo.write({ a: '4' });
    repo.commit('stranger', { author: 'Mallory <mallory@evil.example>', date: '2026-06-03T00:00:00Z' });
    const roster = parseRosterCsv(
      `${header}\nada,Ada Lovelace,ada@example.com,software-engineer,employee,,2025-01-01,,A. Lovelace\n`,
      'roster.csv',
    );
    const unmapped = await findUnmappedCommitters(repo.path, roster, { since: '2026-01-01' });
    // The test repository's committer is Ada Tester <ada@example.com>: mapped by e-mail.
    expect(unmapped.map((identity) => `${identity.name} <${identity.email}> ${identity.commits}`)).toEqual([
      'Mallory <mallory@evil.example> 1',
    ]);
  });
});
