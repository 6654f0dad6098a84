import { afterEach, describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../../kernel/index.js';
import { detectPersonalData, ibanValid, luhnValid } from '../../personal-data/index.js';
import { defaultPolicy, Policy } from '../../policy/index.js';
import { testNow } from '../../testing/evaluate-collector.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { pathAllowed } from './checks.js';
import { testDataCollector } from './index.js';

const context = { now: new Date('2026-06-01T00:00:00Z') };
let repository: TestRepository | undefined;

afterEach(() => repository?.remove());

// Realistic values are generated at run time, so that this file holds none literally.
function withLuhnDigit(prefix: string): string {
  for (let digit = 0; digit <= 9; digit += 1) if (luhnValid(`${prefix}${digit}`)) return `${prefix}${digit}`;
  throw new Error('unreachable');
}
function gbIban(bankAndAccount: string): string {
  for (let check = 2; check <= 98; check += 1) {
    const candidate = `GB${String(check).padStart(2, '0')}${bankAndAccount}`;
    if (ibanValid(candidate)) return candidate;
  }
  throw new Error('unreachable');
}
const card = withLuhnDigit('453201511283036');
const iban = gbIban('NWBK60161331926819');
const email = ['jane.doe', 'gmail.com'].join('@');
const nino = ['AB', '12', '34', '56', 'C'].join('');
const phone = ['+44', '7911', '123456'].join(' ');

const options = { allowEmailDomains: [] };

describe('detectPersonalData', () => {
  it('finds each kind, masked, with line and column', () => {
    const text = `{"email": "${email}",\n "card": "${card}",\n "ni": "${nino}", "iban": "${iban}",\n "phone": "${phone}"}\n`;
    const found = detectPersonalData(text, options);
    expect(found.map((match) => [match.kind, match.line, match.column])).toEqual([
      ['email', 1, 12],
      ['card-number', 2, 11],
      ['uk-national-insurance', 3, 9],
      ['iban', 3, 30],
      ['phone', 4, 12],
    ]);
    expect(found.find((match) => match.kind === 'card-number')?.masked).toBe(`************${card.slice(-4)}`);
    expect(found.find((match) => match.kind === 'email')?.masked).toBe('j***@gmail.com');
    for (const match of found)
      for (const value of [email, card, nino, iban]) expect(match.masked).not.toContain(value);
  });

  it('accepts reserved domains, published test numbers, fictional phone ranges and invalid check digits', () => {
    const text = [
      'ada@example.com bob@mail.example.org carol@shop.test dan@x.invalid',
      '4111 1111 1111 1111 and 4242424242424242 and 1234567812345678',
      'GB82WEST12345698765432 and GB00NWBK60161331926819',
      '+44 7700 900123 and +1 212 555 0142',
      'QQ123456C and GB123456A',
      `${email} # shipguard:allow`,
      'version 1.2.3, id 1700000000000, lodash@4.17.21',
    ].join('\n');
    expect(detectPersonalData(text, options)).toEqual([]);
  });

  it('reports a dump of a user table once, and allows extra e-mail domains by policy', () => {
    const dump = `-- PostgreSQL database dump\nINSERT INTO public.users (id, name) VALUES (1, 'x');\nINSERT INTO users VALUES (2, 'y');\n`;
    expect(detectPersonalData(dump, options).map((match) => [match.kind, match.line, match.masked])).toEqual([
      ['sql-user-dump', 2, '2 INSERT statement(s) into a user table'],
    ]);
    expect(detectPersonalData(email, { allowEmailDomains: ['gmail.com'] })).toEqual([]);
  });
});

describe('test-data collector', () => {
  async function runCheck(files: Record<string, string>, policy = defaultPolicy()) {
    const created = createTestRepository();
    repository = created;
    created.write(files);
    created.commit('initial');
    const snapshot = await RepositorySnapshot.open(created.path);
    const [check] = testDataCollector.checks;
    if (!check) throw new Error('no check');
    return check.evaluate(
      await testDataCollector.collect(snapshot, defaultPolicy(), { now: testNow }),
      policy,
      context,
    );
  }

  it('fails on personal data in fixtures, passes synthetic seeds, and honours allowPaths', async () => {
    const files = {
      'test/fixtures/customers.json': `[{"email": "${email}"}]\n`,
      'db/seeds/users.csv': 'name,email\nAda,ada@example.com\n',
      'src/app.ts': `const owner = '${email}';\n`,
    };
    const result = await runCheck(files);
    expect(result.status).toBe('fail');
    expect(result.findings.map((finding) => [finding.message, finding.location])).toEqual([
      [
        'test/fixtures/customers.json holds an e-mail address at a real domain (j***@gmail.com).',
        { path: 'test/fixtures/customers.json', line: 1, column: 13 },
      ],
    ]);
    const allowed = await runCheck(
      files,
      Policy.parse({ pipelines: { testData: { allowPaths: ['test/fixtures'] } } }),
    );
    expect(allowed.status).toBe('pass');
  });

  it('matches allowPaths globs as globs, in time linear in the path, whatever the pattern', () => {
    expect(pathAllowed('test/fixtures/a/customers.json', ['test/**/*.json'])).toBe(true);
    expect(pathAllowed('test/fixtures/customers.json', ['test/*.json'])).toBe(false);
    expect(pathAllowed('db/seeds/users.csv', ['db/*/users.*'])).toBe(true);
    // As a regular expression, twelve `*a` against a name of 36 `a` backtracks for seconds (of 60,
    // for hours); matched linearly it answers at once. The bound is a hang guard, not a speed target.
    const started = performance.now();
    expect(pathAllowed(`${'a'.repeat(36)}.json`, [`${'*a'.repeat(12)}x`])).toBe(false);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('is not applicable without test data', async () => {
    expect((await runCheck({ 'README.md': '# x\n' })).status).toBe('not-applicable');
  });
});
