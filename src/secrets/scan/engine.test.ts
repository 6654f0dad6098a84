import { describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../testing/fake-credentials.js';
import { filterMatches } from '../allow.js';
import { tokenChecksum } from '../rules/checksum.js';
import { defaultRuleSet } from '../rules/default-rules.js';
import { compileRuleSet } from './compile-rules.js';
import { scanText } from './engine.js';
import { buildKeywordIndex } from './keyword-index.js';

const ruleSet = compileRuleSet(defaultRuleSet());
const dollar = '$';

function hits(text: string, keywords: string[]): Array<[number, string]> {
  const found: Array<[number, string]> = [];
  buildKeywordIndex(keywords).search(text, 0, text.length, (start, keyword) => {
    found.push([start, keywords[keyword] as string]);
  });
  return found;
}

describe('keyword index', () => {
  it('finds overlapping keywords case-insensitively', () => {
    expect(hits('xx Secret_KEY he', ['secret', 'key', 'ecre', 'he'])).toEqual([
      [4, 'ecre'],
      [3, 'secret'],
      [10, 'key'],
      [14, 'he'],
    ]);
  });
});

describe('scanText with the default rules', () => {
  it('finds every fake credential with the rule meant for it, at the right line', () => {
    for (const credential of fakeCredentials(7)) {
      const matches = scanText(credential.content, ruleSet);
      const match = matches.find((candidate) => candidate.ruleId === credential.ruleId);
      expect(match?.secret, `${credential.ruleId} in ${credential.path}`).toBe(credential.secret);
      const line = credential.content
        .slice(0, credential.content.indexOf(credential.secret))
        .split('\n').length;
      expect(match?.line, credential.ruleId).toBe(line);
    }
  });

  it('drops documented example keys through the rule allowlist', () => {
    const text = 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE';
    expect(scanText(text, ruleSet).map((match) => match.ruleId)).toEqual(['aws-access-key-id']);
    expect(filterMatches(ruleSet, scanText(text, ruleSet), { path: 'a' })).toEqual([]);
  });

  it('covers every default rule with a fake credential', () => {
    const covered = new Set(fakeCredentials(1).map((credential) => credential.ruleId));
    // Path-only rules (a key store's file name) have no content to plant.
    const withRegex = ruleSet.rules.filter((rule) => rule.regex !== undefined);
    expect(withRegex.map((rule) => rule.spec.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it('rejects GitHub and npm tokens whose checksum does not match', () => {
    const body = `${'a'.repeat(10)}${'B'.repeat(10)}0123456789`;
    const good = `ghp_${body}${tokenChecksum(body)}`;
    const bad = `ghp_${body}${tokenChecksum(`${body.slice(1)}x`)}`;
    expect(scanText(`t=${good}`, ruleSet).map((match) => match.ruleId)).toContain('github-pat');
    expect(scanText(`t=${bad}`, ruleSet).map((match) => match.ruleId)).not.toContain('github-pat');
    expect(scanText(`t=npm_${body}${tokenChecksum(body)}`, ruleSet)[0]?.ruleId).toBe('npm-access-token');
  });

  it('honours inline allow comments', () => {
    const credential = fakeCredentials(3).find((candidate) => candidate.ruleId === 'stripe-secret-key');
    const line = `key = "${credential?.secret}" # gitleaks:allow\nother = "${credential?.secret}" // shipguard:allow`;
    expect(scanText(line, ruleSet)).toEqual([]);
  });

  it('reports the column of the secret and keeps the line text bounded', () => {
    const [credential] = fakeCredentials(4).filter((candidate) => candidate.ruleId === 'gcp-api-key');
    const text = `${'x'.repeat(5000)} k=${credential?.secret} ${'y'.repeat(5000)}`;
    const [match] = scanText(text, ruleSet);
    expect(match?.column).toBe(5004);
    expect(match?.lineText.length).toBeLessThanOrEqual(1000);
  });

  it('gives no finding on near misses', () => {
    const text = [
      'password = "changeme"',
      `api_key: ${dollar}{API_KEY}`,
      'token = "<your-token>"',
      "secret: '{{ .Values.secret }}'",
      'AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY',
      'client_secret = os.environ["CLIENT_SECRET"]',
      'apiKey: process.env.API_KEY_VALUE',
      'request_id = "3f2b8c1e-9a4d-4c7e-8f01-2b3c4d5e6f70"',
      'token = "xxxxxxxxxxxxxxxxxxxxxxxx"',
      'password: "password123"',
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
      `DATABASE_URL=postgres://user:${dollar}{DB_PASSWORD}@localhost/db`,
      'REDIS_URL=redis://localhost:6379/0',
      'secret_name = my_secret_name_for_tests',
      'key = id_rsa.pub',
      '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----',
      'keyboard monkey turkey tokenizer',
    ].join('\n');
    const matches = filterMatches(ruleSet, scanText(text, ruleSet), { path: 'config/settings.txt' });
    expect(matches.map((match) => `${match.ruleId}@${match.line}`)).toEqual([]);
  });

  // The test timeout is the hang guard; speed is measured in bench/secrets.
  it('scans a 10 MB single line and still finds a secret in it', { timeout: 30_000 }, () => {
    const [credential] = fakeCredentials(5).filter((candidate) => candidate.ruleId === 'github-pat');
    const filler = 'key=value; token: abc; password '.repeat(320_000);
    const text = `${filler} ${credential?.secret} ${filler}`;
    const matches = scanText(text, ruleSet);
    expect(matches.map((match) => match.ruleId)).toEqual(['github-pat']);
  });
});

/** Strings built to make a backtracking regex work hard: keywords followed by long runs of token characters. */
function adversarialInputs(keyword: string): string[] {
  const size = 1024 * 1024;
  const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  return [
    `${keyword}${'A'.repeat(size)}`,
    fill(`${keyword}a1B2c3D4e5F6g7H8_-.`),
    fill(`${keyword} = "${'x9'.repeat(40)}`),
    fill(`${keyword}://u:${'p'.repeat(300)}`),
    fill(`${keyword}-----BEGIN RSA PRIVATE KEY-----\n${'QUJD'.repeat(30)}\n`),
    fill(`eyJ${'a'.repeat(50)}.eyJ${'b'.repeat(50)}.`),
  ];
}

// Each rule's test timeout is the hang guard: a regex that backtracks catastrophically on these
// 1 MB inputs runs for minutes, far past it.
describe('every default rule finishes on adversarial input', () => {
  for (const rule of ruleSet.rules) {
    it(rule.spec.id, { timeout: 20_000 }, () => {
      const single = compileRuleSet({ rules: [rule.spec], allowlists: [] });
      for (const keyword of rule.spec.keywords.length > 0 ? rule.spec.keywords : ['']) {
        for (const input of adversarialInputs(keyword)) {
          scanText(input, single);
          // The raw regex over the whole input, without the keyword windows, must be linear too.
          const regex = new RegExp(rule.regex?.source ?? '', rule.regex?.flags ?? 'g');
          let steps = 0;
          while (regex.exec(input) !== null && steps < 100_000) steps++;
          expect(steps, `${rule.spec.id} / ${keyword}`).toBeLessThanOrEqual(100_000);
        }
      }
    });
  }
});
