import { describe, expect, it } from 'vitest';
import { createRandom, fakeCredentials, sampleToken } from '../../testing/fake-credentials.js';
import { compileRuleSet } from '../scan/compile-rules.js';
import { scanText } from '../scan/engine.js';
import { defaultRuleSet } from './default-rules.js';
import { providerRules, type Segment } from './provider-rules.js';

const ruleSet = compileRuleSet(defaultRuleSet());
const random = createRandom(42);

function ruleIdsIn(text: string): string[] {
  return scanText(text, ruleSet).map((match) => match.ruleId);
}

/** The segments with the last class segment one character below its minimum length. */
function shortened(segments: readonly Segment[]): Segment[] {
  const copy = [...segments];
  for (let index = copy.length - 1; index >= 0; index--) {
    const segment = copy[index];
    if (segment === undefined || typeof segment === 'string' || 'oneOf' in segment) continue;
    copy[index] = [segment[0], segment[1] - 1];
    return copy;
  }
  return copy;
}

describe('provider rules: one positive and near misses per rule', () => {
  const samples = new Map(fakeCredentials(11).map((credential) => [credential.ruleId, credential]));

  for (const provider of providerRules) {
    const id = provider.spec.id;
    it(`${id}: finds a realistic token and not its near misses`, () => {
      const sample = samples.get(id);
      expect(sample, 'a fake credential exists').toBeDefined();
      if (!sample) return;
      expect(ruleIdsIn(sample.content)).toContain(id);

      const short = sampleToken(shortened(provider.segments), random);
      const name = provider.names?.[0];
      const shortContent = name ? `${name.toUpperCase()}_SECRET = "${short}"\n` : `credential: ${short}\n`;
      expect(ruleIdsIn(shortContent), 'one character short').not.toContain(id);

      // A placeholder of the right length is not a credential.
      const placeholder = sample.secret.replace(/[A-Za-z0-9]/g, 'x');
      expect(ruleIdsIn(sample.content.replace(sample.secret, placeholder)), 'placeholder').not.toContain(id);

      if (name) {
        // The same value under a setting that does not name the provider is not this provider's.
        const unnamed = `SETTING_VALUE = "${sample.secret}"\n`;
        expect(ruleIdsIn(unnamed), 'without the provider name').not.toContain(id);
      } else {
        // Glued to other token characters, it is part of something longer.
        expect(ruleIdsIn(`credential: Z${sample.secret}Z9\n`), 'inside a longer word').not.toContain(id);
      }
    });
  }
});

describe('structural validators', () => {
  const fake = (id: string, seed = 5) => {
    const found = fakeCredentials(seed).find((credential) => credential.ruleId === id);
    if (!found) throw new Error(`no fake ${id}`);
    return found;
  };

  it('private keys: DER and OpenSSH bodies are found, elided or non-DER bodies are not', () => {
    const rsa = fake('private-key');
    expect(ruleIdsIn(rsa.content)).toContain('private-key');
    const lines = rsa.content.split('\n');
    const elided = [lines[0], lines[1], '...', lines[lines.length - 2]].join('\n');
    expect(ruleIdsIn(elided)).not.toContain('private-key');
    // The same armour around base64 that does not decode to an ASN.1 SEQUENCE.
    const notDer = rsa.content.replace(/\n[A-Za-z0-9+/]{4}/, '\nAAAA');
    expect(ruleIdsIn(notDer)).not.toContain('private-key');
    const openssh = fakeCredentials(5).filter((credential) => credential.ruleId === 'private-key')[1];
    expect(openssh?.content).toContain('OPENSSH');
    expect(ruleIdsIn(openssh?.content ?? '')).toContain('private-key');
    expect(ruleIdsIn((openssh?.content ?? '').replace(/\nb3Blbn/, '\nAAAAAA'))).not.toContain('private-key');
  });

  it('JWTs: header and payload must decode to JSON objects', () => {
    const jwt = fake('jwt');
    expect(ruleIdsIn(jwt.content)).toContain('jwt');
    const [header, , signature] = jwt.secret.split('.');
    const badPayload = `${header}.eyJ${'a'.repeat(30)}.${signature}`;
    expect(ruleIdsIn(`Authorization: Bearer ${badPayload}`)).not.toContain('jwt');
    expect(ruleIdsIn(`token: ${Buffer.from(jwt.secret).toString('base64')}`)).toContain('jwt-base64');
    expect(ruleIdsIn(`token: ${Buffer.from(badPayload).toString('base64')}`)).not.toContain('jwt-base64');
  });

  it('Azure storage keys must decode to 64 bytes', () => {
    const azure = fake('azure-storage-account-key');
    expect(ruleIdsIn(azure.content)).toContain('azure-storage-account-key');
    const wrong = `${'A'.repeat(2)}${azure.secret.slice(4, 88)}==`;
    expect(ruleIdsIn(`AccountKey=${wrong};`)).not.toContain('azure-storage-account-key');
  });

  it('base64 JSON tokens must decode (Grafana, 1Password, Sentry)', () => {
    for (const id of ['grafana-api-key', '1password-service-account-token', 'sentry-org-token']) {
      const credential = fake(id);
      expect(ruleIdsIn(credential.content), id).toContain(id);
      const scrambled = credential.secret.slice(0, 12) + 'Q'.repeat(credential.secret.length - 12);
      expect(ruleIdsIn(credential.content.replace(credential.secret, scrambled)), id).not.toContain(id);
    }
  });

  it('credentials in commands and URLs: literal values count, variables do not', () => {
    expect(ruleIdsIn(fake('curl-auth-user').content)).toContain('curl-auth-user');
    expect(ruleIdsIn('curl -u "$USER:$PASSWORD" https://x.acme-corp.net\n')).not.toContain('curl-auth-user');
    expect(ruleIdsIn(fake('curl-auth-header').content)).toContain('curl-auth-header');
    expect(ruleIdsIn('curl -H "Authorization: Bearer $TOKEN" https://a.acme-corp.net\n')).toEqual([]);
    expect(ruleIdsIn(fake('basic-auth-url').content)).toContain('basic-auth-url');
    expect(ruleIdsIn(`git clone https://ci:${'$'}{GIT_PASSWORD}@git.acme-corp.net/app.git\n`)).toEqual([]);
    expect(ruleIdsIn('see https://user:<password>@host.acme-corp.net/\n')).toEqual([]);
  });

  it('Kubernetes secrets: base64 data values, not templated or placeholder ones', () => {
    const secret = fake('kubernetes-secret-yaml');
    expect(ruleIdsIn(secret.content)).toContain('kubernetes-secret-yaml');
    const placeholder = Buffer.from('changeme').toString('base64');
    expect(ruleIdsIn(secret.content.replace(secret.secret, placeholder))).not.toContain(
      'kubernetes-secret-yaml',
    );
    const configMap = secret.content.replace('kind: Secret', 'kind: ConfigMap');
    expect(ruleIdsIn(configMap)).not.toContain('kubernetes-secret-yaml');
  });

  it('NuGet passwords: literal values, not %VARIABLES%', () => {
    expect(ruleIdsIn(fake('nuget-config-password').content)).toContain('nuget-config-password');
    expect(ruleIdsIn('<add key="ClearTextPassword" value="%FEED_PASSWORD%" />')).toEqual([]);
  });

  it('PKCS#12 key stores are found by their file name', () => {
    const rule = ruleSet.rules.find((candidate) => candidate.spec.id === 'pkcs12-file');
    expect(rule?.path?.test('certs/client.p12')).toBe(true);
    expect(rule?.path?.test('certs/CLIENT.PFX')).toBe(true);
    expect(rule?.path?.test('certs/client.p12.md')).toBe(false);
  });
});
