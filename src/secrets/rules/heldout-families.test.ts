import { describe, expect, it } from 'vitest';
import { createRandom } from '../../testing/fake-credentials.js';
import { compileRuleSet } from '../scan/compile-rules.js';
import { scanText } from '../scan/engine.js';
import { toFinding } from '../scanner.js';
import { defaultRuleSet } from './default-rules.js';

// Families added after measuring on another scanner's published test inputs. Every credential is
// built here at run time from a seeded random source; near misses keep the shape and break one thing.
const ruleSet = compileRuleSet(defaultRuleSet());
const random = createRandom(17);
const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function draw(length: number, alphabet = alnum): string {
  return random(alphabet, length);
}

/** Rules that report a credential (placeholders in a provider's format are left out: they come out low). */
function ruleIdsIn(text: string): string[] {
  return scanText(text, ruleSet)
    .filter((match) => !match.placeholder)
    .map((match) => match.ruleId);
}

function placeholderRuleIdsIn(text: string): string[] {
  return scanText(text, ruleSet)
    .filter((match) => match.placeholder)
    .map((match) => match.ruleId);
}

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('GitHub App installation token in the JWT format', () => {
  const jwt = [
    b64url({ alg: 'RS256', typ: 'JWT' }),
    b64url({ iat: 1_745_568_000, exp: 1_745_568_360, iss: '4242', sub: 'app' }),
    draw(43, `${alnum}_-`),
  ].join('.');
  const token = `${'gh'}s_4242_${jwt}`;

  it('finds it with a header that decodes to a JWT header', () => {
    expect(ruleIdsIn(`GITHUB_TOKEN=${token}\n`)).toContain('github-app-installation-jwt-token');
  });

  it('does not find it when the first part is not a JWT header', () => {
    const broken = token.replace(/_eyJ[^.]+\./, `_eyJ${draw(30)}.`);
    expect(ruleIdsIn(`GITHUB_TOKEN=${broken}\n`)).not.toContain('github-app-installation-jwt-token');
  });
});

describe('Tailscale keys', () => {
  const key = (kind: string) => `${'ts'}key-${kind}-${draw(12)}-${draw(24)}`;

  it('finds every kind of key, including kinds not yet known', () => {
    for (const kind of ['api', 'auth', 'client', 'scim', 'webhook', 'nextkind'])
      expect(ruleIdsIn(`TS_KEY=${key(kind)}\n`), kind).toContain('tailscale-key');
  });

  it('does not find placeholders or a key glued to a word', () => {
    const filler = `TS_KEY=${'ts'}key-api-${'R'.repeat(12)}-${'S'.repeat(24)}\n`;
    expect(ruleIdsIn(filler)).not.toContain('tailscale-key');
    expect(placeholderRuleIdsIn(filler), 'a placeholder in the format').toContain('tailscale-key');
    expect(ruleIdsIn(`x ${'ts'}key-api-${draw(12)}-${draw(10)}\n`), 'secret part too short').not.toContain(
      'tailscale-key',
    );
    expect(ruleIdsIn(`x my${key('api')}\n`), 'inside a word').not.toContain('tailscale-key');
  });
});

describe('Vercel tokens', () => {
  it('finds each prefix with a random body', () => {
    for (const prefix of ['vcp', 'vci', 'vca', 'vcr', 'vck'])
      expect(ruleIdsIn(`VERCEL=${prefix}_${draw(56)}\n`), prefix).toContain('vercel-token');
  });

  it('does not find keyboard filler or an unrelated prefix', () => {
    expect(ruleIdsIn(`VERCEL=vcp_${'aBcDeFgHiJkLmNoPqRsT'}${'1234567890'}abcdefghij\n`)).not.toContain(
      'vercel-token',
    );
    expect(ruleIdsIn(`VERCEL=vcz_${draw(56)}\n`)).not.toContain('vercel-token');
  });
});

describe('Shopify tokens in both formats', () => {
  it('finds the hex format and the longer alphanumeric one', () => {
    expect(ruleIdsIn(`${'shp'}at_${draw(32, '0123456789abcdef')}\n`)).toContain('shopify-token');
    expect(ruleIdsIn(`${'shp'}ss_${draw(32)}\n`)).toContain('shopify-token');
  });

  it('does not find a placeholder', () => {
    expect(ruleIdsIn(`${'shp'}at_${'x'.repeat(32)}\n`)).not.toContain('shopify-token');
  });
});

describe('token as the user of a git URL', () => {
  it('finds token:x-oauth-basic@host', () => {
    const url = `git+https://${draw(40, '0123456789abcdef')}:x-oauth-basic@github.com/org/repo.git`;
    expect(ruleIdsIn(`"dep": "${url}"\n`)).toContain('git-url-oauth-token');
  });

  it('does not take the fixed word x-oauth-basic for a password when the user is a variable', () => {
    const line = `url = \`https://${'$'}{token}:x-oauth-basic@github.com/o/r\`\n`;
    expect(ruleIdsIn(line)).toEqual([]);
  });

  it('does not find a placeholder user or a short one', () => {
    expect(ruleIdsIn(`https://${'x'.repeat(40)}:x-oauth-basic@github.com/o/r\n`)).not.toContain(
      'git-url-oauth-token',
    );
    expect(ruleIdsIn(`https://${draw(12)}:x-oauth-basic@github.com/o/r\n`)).not.toContain(
      'git-url-oauth-token',
    );
  });
});

describe('.npmrc registry credential', () => {
  it('finds a literal _authToken', () => {
    expect(ruleIdsIn(`//registry.example.org/:_authToken=${draw(36)}\n`)).toContain('npmrc-auth-token');
  });

  it('does not find a token read from the environment or a placeholder', () => {
    expect(ruleIdsIn(`//registry.example.org/:_authToken=${'$'}{NPM_TOKEN}\n`)).not.toContain(
      'npmrc-auth-token',
    );
    expect(
      ruleIdsIn(`//registry.example.org/:_authToken=${'7'.repeat(10)}${'b'.repeat(26)}\n`),
    ).not.toContain('npmrc-auth-token');
  });

  it('reports a literal filler in the setting as a low placeholder, a reference or a random value not', () => {
    const setting = '//registry.example.org/:_auth' + 'Token=';
    for (const filler of ['ab'.repeat(16), `${'9'.repeat(8)}${'z'.repeat(24)}`, `${'xy'.repeat(10)}00`])
      expect(placeholderRuleIdsIn(`${setting}${filler}\n`), filler).toEqual(['npmrc-auth-token']);
    // References and a run of one character are no finding at all.
    expect(scanText(`${setting}${'$'}{NPM_TOKEN}\n`, ruleSet)).toEqual([]);
    expect(scanText(`${setting}${'q'.repeat(32)}\n`, ruleSet)).toEqual([]);
    // A random value is a credential, not a placeholder; too short a filler is outside the format.
    expect(placeholderRuleIdsIn(`${setting}${draw(36)}\n`)).toEqual([]);
    expect(scanText(`${setting}${'ab'.repeat(9)}\n`, ruleSet)).toEqual([]);
    // The same filler under a setting that is not npm's credential key is nothing.
    expect(scanText(`//registry.example.org/:_email=${'ab'.repeat(16)}\n`, ruleSet)).toEqual([]);
  });

  it('gives the placeholder a low severity', () => {
    const [match] = scanText(`//registry.example.org/:_auth${'Token'}=${'cd'.repeat(16)}\n`, ruleSet);
    expect(match).toBeDefined();
    const finding = toFinding(ruleSet, match as NonNullable<typeof match>, '.npmrc');
    expect(finding.severity).toBe('low');
    expect(finding.testCredential).toMatch(/^placeholder/);
  });
});

describe('basic authentication in a URL', () => {
  it('does not take a run of one character for a password', () => {
    const findings = scanText('const url = "https://user:1111@service.com/api";\n', ruleSet);
    expect(findings.map((match) => match.ruleId)).not.toContain('basic-auth-url');
  });

  it('still finds a random password', () => {
    expect(ruleIdsIn(`const url = "https://deploy:${draw(16)}@service.com/api";\n`)).toContain(
      'basic-auth-url',
    );
  });
});

describe('placeholders in a provider token format', () => {
  it('marks a prefixed token with a filler body as a placeholder, a random one as a credential', () => {
    const cases: Array<[string, string, string]> = [
      ['stripe-secret-key', `${'sk'}_live_${'M'.repeat(30)}`, `${'sk'}_live_${draw(24)}`],
      [
        'huggingface-access-token',
        `${'hf'}_${'q'.repeat(34)}`,
        `${'hf'}_${draw(34, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz')}`,
      ],
      [
        'tailscale-key',
        `${'ts'}key-auth-${'V'.repeat(12)}-${'W'.repeat(24)}`,
        `${'ts'}key-auth-${draw(12)}-${draw(24)}`,
      ],
    ];
    for (const [ruleId, filler, real] of cases) {
      expect(placeholderRuleIdsIn(`KEY=${filler}\n`), ruleId).toEqual([ruleId]);
      expect(ruleIdsIn(`KEY=${filler}\n`), ruleId).toEqual([]);
      expect(ruleIdsIn(`KEY=${real}\n`), ruleId).toEqual([ruleId]);
      expect(placeholderRuleIdsIn(`KEY=${real}\n`), ruleId).toEqual([]);
    }
  });

  it('reports nothing for a value outside the format, or a filler in a rule that fixes no format', () => {
    expect(scanText(`KEY=${'sk'}_live_${'M'.repeat(23)}\n`, ruleSet), 'one character short').toEqual([]);
    expect(scanText(`x${'sk'}_live_${'M'.repeat(24)}\n`, ruleSet), 'glued to a word').toEqual([]);
    // The password rules judge values, not formats: a filler password is no finding at all.
    expect(scanText(`DB_URL=postgres://app:${'x'.repeat(12)}@db.internal.net/app\n`, ruleSet)).toEqual([]);
  });

  it('gives a placeholder a low severity and says why', () => {
    const text = `KEY=${'sk'}_live_${'M'.repeat(26)}\n`;
    const [match] = scanText(text, ruleSet);
    expect(match).toBeDefined();
    const finding = toFinding(ruleSet, match as NonNullable<typeof match>, 'docs/keys.md');
    expect(finding.severity).toBe('low');
    expect(finding.testCredential).toMatch(/^placeholder/);
    const real = scanText(`KEY=${'sk'}_live_${draw(24)}\n`, ruleSet)[0];
    expect(toFinding(ruleSet, real as NonNullable<typeof real>, 'docs/keys.md').severity).toBe('critical');
  });
});
