import { describe, expect, it } from 'vitest';
import {
  containsCredential,
  credentialShapes,
  keepVerifiedProof,
  redactDeep,
  redactText,
} from './redaction.js';

// Built from pieces at run time, so the repository holds no credential-shaped literal.
const planted = {
  github: 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8',
  githubFineGrained: 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP',
  slack: ['xoxb', '123456789012', '1234567890123', 'AbCdEfGhIjKlMnOpQrStUvWx'].join('-'),
  awsKeyId: 'AKIAIOSFODNN7EXAMPLE',
  awsSecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  gitlab: ['glpat', 'abcdefghij0123456789'].join('-'),
  stripe: ['sk', 'live', '0123456789abcdefABCDEF'].join('_'),
  npm: 'npm_abcdefghijklmnopqrstuvwxyz0123456789',
  shipguardApiToken: ['sgp', 'Zx9-Q_2mB7rT0aLk4WcVyN8eHu1Js5GfDo3iPq6XbE0'].join('_'),
  google: ['AIza', 'SyA0123456789abcdefghijklmnopqrstuv'].join(''),
  jwt: [
    'eyJhbGciOiJIUzI1NiJ9',
    'eyJzdWIiOiIxMjM0NTY3ODkwIn0',
    'dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  ].join('.'),
};

describe('redactText', () => {
  for (const [kind, value] of Object.entries(planted)) {
    it(`hides a ${kind} credential anywhere in a line`, () => {
      const line = `error: yarn.lock:6: expected "descriptor:" but found "x ${value} y"`;
      const redacted = redactText(line);
      expect(redacted).not.toContain(value);
      expect(redacted).toContain('chars, sha256:');
    });
  }

  it('hides an AWS secret glued to other base64 after a word that names it, and leaves integrity hashes', () => {
    const glued = `Zm9vYmFyYmF6${planted.awsSecret}`;
    for (const line of [`aws_secret_access_key ${glued}`, `AWS_SECRET=${glued}`, `"awsSecret": "${glued}"`]) {
      const redacted = redactText(line);
      expect(redacted).not.toContain(planted.awsSecret);
      expect(redacted).toContain('chars, sha256:');
    }
    const integrity = `"integrity": "sha512-${'Ab1+'.repeat(21)}Ab=="`;
    expect(redactText(integrity)).toBe(integrity);
  });

  it('leaves a signature whose random base64 happens to spell "aws" or "secret" whole', () => {
    // Signatures in the ledger are base64; a word met inside one is not a word that names a secret.
    for (const word of ['AWS', 'aws', 'Secret']) {
      const signature = `MEUCIQD7${word}${'Kx9+Qm3/Tz'.repeat(6)}==`;
      expect(redactText(`"sig":"${signature}"`)).toBe(`"sig":"${signature}"`);
    }
    // The same run after a word of its own is still hidden.
    const run = `Zm9vYmFyYmF6${planted.awsSecret}`;
    expect(redactText(`aws ${run}`)).not.toContain(planted.awsSecret);
  });

  it('answers for text of several MB in one run of word characters, without overflowing the stack', () => {
    // Large uploads and minified files hold such runs; redaction must still answer, not throw.
    const big = 'a'.repeat(6_000_000);
    for (const run of [big, 'Ab1/'.repeat(1_500_000), `pypi-AgE${big}`, `eyJ${big}.eyJ${big}`]) {
      const text = `${run} key ${planted.awsSecret} ${run}`;
      const redacted = redactText(text);
      expect(redacted).not.toContain(planted.awsSecret);
      expect(redacted.length).toBeLessThan(text.length);
      expect(redacted.startsWith(run.slice(0, 3))).toBe(true);
      expect(redacted).not.toMatch(/withheld/);
    }
    // A run of 41 or more is not an AWS secret on its own, whatever it mixes.
    const longer = `x${planted.awsSecret}`;
    expect(redactText(`value ${longer} end`)).toBe(`value ${longer} end`);
  });

  it('withholds text it could not check rather than let it through', () => {
    const jwt = credentialShapes.find((shape) => shape.kind === 'jwt');
    if (!jwt) throw new Error('no jwt shape');
    const bounded = jwt.pattern;
    // A pattern that overflows V8's backtrack stack on a long run, as unbounded ones did.
    jwt.pattern = /\beyJ[A-Za-z0-9_-]{8,}\.eyJ/g;
    try {
      const text = `${planted.github} eyJ${'a'.repeat(6_000_000)}`;
      const redacted = redactText(text);
      expect(redacted).not.toContain(planted.github);
      expect(redacted).toBe(
        `[${text.length} characters withheld: they could not be checked for credentials]`,
      );
      expect(containsCredential(text)).toBe(true);
    } finally {
      jwt.pattern = bounded;
    }
  });

  it('hides the user information of a URL, keeping scheme and host', () => {
    const redacted = redactText('pkg @ git+https://oauth2:abcdef123456@gitlab.example/org/pkg.git');
    expect(redacted).not.toContain('abcdef123456');
    expect(redacted).toContain('gitlab.example/org/pkg.git');
  });

  it('keeps short user names, digests and ordinary text', () => {
    const text =
      'git+ssh://git@github.com/a/b.git 0123456789abcdef0123456789abcdef01234567 "secretSha256": "' +
      'a'.repeat(64) +
      '" pkg:npm/left-pad@1.3.0 requires a reviewed change';
    expect(redactText(text)).toBe(text);
  });

  it('hides the value assigned to a secret-looking name', () => {
    const redacted = redactText('db_password = "Hunter2Hunter2"');
    expect(redacted).not.toContain('Hunter2Hunter2');
    expect(containsCredential('db_password = "Hunter2Hunter2"')).toBe(true);
  });

  it('hides a private key block', () => {
    const key =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';
    expect(redactText(`key: ${key}`)).not.toContain('b3BlbnNzaC1rZXktdjEAAAAA');
  });
});

describe('redactDeep', () => {
  it('hides credentials in every string and key of a deep document without recursion', () => {
    let deep: unknown = { message: `found ${planted.github}` };
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    const copy = redactDeep({ [planted.slack]: deep }) as Record<string, unknown>;
    const [key] = Object.keys(copy);
    expect(key).not.toContain(planted.slack);
    let inner: unknown = copy[key as string];
    while (Array.isArray(inner)) inner = inner[0];
    expect((inner as { message: string }).message).not.toContain(planted.github);
    expect((inner as { message: string }).message).toContain('ghp_');
  });

  it('keeps whole only a proof marked as verified, never an identical unmarked copy', () => {
    const proof = keepVerifiedProof({ kind: 'oidc', token: planted.jwt });
    const copy = redactDeep({ proof, echo: { kind: 'oidc', token: planted.jwt } });
    expect(copy.proof.token).toBe(planted.jwt);
    expect(copy.echo.token).not.toContain(planted.jwt);
  });
});
