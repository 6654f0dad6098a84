import { characterClasses, providerRules, type Segment, tokenChecksum } from '../secrets/index.js';

/**
 * Realistic FAKE credentials for tests and benchmarks, built at run time from pieces and a seeded
 * generator, so no credential-shaped literal appears in shipguard's own sources.
 */
export interface FakeCredential {
  ruleId: string;
  /** A file name that fits the credential. */
  path: string;
  /** The file's content, with the secret in it. */
  content: string;
  /** The value the rule's secret group captures. */
  secret: string;
}

const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const lower = 'abcdefghijklmnopqrstuvwxyz';
const digits = '0123456789';
const alphanumeric = upper + lower + digits;
const base64 = `${alphanumeric}+/`;
const base64url = `${alphanumeric}_-`;
const hex = '0123456789abcdef';

/** A small deterministic generator (mulberry32), so that failures reproduce. */
export function createRandom(seed: number): (alphabet: string, length: number) => string {
  let state = seed >>> 0;
  function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  }
  return (alphabet, length) => {
    let text = '';
    for (let index = 0; index < length; index++) text += alphabet[Math.floor(next() * alphabet.length)];
    return text;
  };
}

function checksummed(prefix: string, random: (alphabet: string, length: number) => string): string {
  const body = random(alphanumeric, 30);
  return prefix + body + tokenChecksum(body);
}

type Random = (alphabet: string, length: number) => string;

/** Base64 lines of `bytes` random bytes after `lead` (a DER header, or the OpenSSH magic). */
function pemBody(random: Random, bytes: number, separator: string, lead: Buffer): string {
  const content = Buffer.concat([lead, Buffer.from(random(hex, bytes * 2), 'hex')]).toString('base64');
  return (content.match(/.{1,64}/g) ?? []).join(separator);
}

/** An ASN.1 SEQUENCE header with a two-byte length, as every DER private key starts. */
function derLead(bytes: number): Buffer {
  return Buffer.from([0x30, 0x82, (bytes >> 8) & 0xff, bytes & 0xff]);
}
const opensshLead = Buffer.from('openssh-key-v1\0', 'latin1');

/** A token of the shape the segments describe: literals as written, classes filled at random. */
export function sampleToken(segments: readonly Segment[], random: Random): string {
  return segments
    .map((segment) => {
      if (typeof segment === 'string') return segment;
      if ('oneOf' in segment) return segment.oneOf[0] ?? '';
      const [name, min, max] = segment;
      const length = max === undefined ? min : min + Math.min(8, max - min);
      return random(characterClasses[name].alphabet, length);
    })
    .join('');
}

function uuidOf(random: Random): string {
  return `${random(hex, 8)}-${random(hex, 4)}-${random(hex, 4)}-${random(hex, 4)}-${random(hex, 12)}`;
}

function base64Json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64').replace(/=+$/, '');
}

/** Provider tokens whose shape a validator checks beyond the regex. */
const structuredSamples: Record<string, (random: Random) => string> = {
  '1password-service-account-token': (random) =>
    `ops_${base64Json({ signInAddress: 'my.1password.com', userAuth: { method: 'SRPg-4096', alg: 'PBES2g-HS256', iterations: 650000, salt: random(base64url, 22) }, email: `${random(lower, 12)}@1passwordserviceaccounts.com`, srpX: random(hex, 64), muk: { alg: 'A256GCM', ext: true, k: random(base64url, 43), key_ops: ['encrypt', 'decrypt'], kty: 'oct', kid: 'mp' }, secretKey: `A3-${random(upper + digits, 6)}`, throttleSecret: { seed: random(hex, 64), deviceUuid: random(lower + digits, 26) }, deviceUuid: random(lower + digits, 26) })}`,
  'grafana-api-key': (random) =>
    base64Json({ k: random(alphanumeric, 32), n: 'ci-deploy', id: 1 }).replace(/[+/]/g, 'A'),
  'sentry-org-token': (random) =>
    `sntrys_${base64Json({ iat: 1700000000.5, url: 'https://sentry.io', region_url: 'https://us.sentry.io', org: 'demo' }).replace(/[+/]/g, 'A')}_${random(base64, 43)}`,
};

const dash5 = '-'.repeat(5);
function armour(kind: string, body: string, separator = '\n'): string {
  const label = `${kind}PRIVATE ${'KEY'}`;
  return `${dash5}BEGIN ${label}${dash5}${separator}${body}${separator}${dash5}END ${label}${dash5}`;
}

/** One fake credential per covered provider; `seed` varies the random parts. */
export function fakeCredentials(seed = 1): FakeCredential[] {
  const random = createRandom(seed);
  const credentials: FakeCredential[] = [];
  const add = (ruleId: string, path: string, secret: string, content: string) => {
    credentials.push({ ruleId, path, secret, content });
  };

  const awsId = `${'AK'}IA${random('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
  add(
    'aws-access-key-id',
    'config/aws.ini',
    awsId,
    `[default]\nregion = eu-west-2\naws_access_key_id = ${awsId}\n`,
  );
  const awsSecret = random(base64, 39) + random(digits, 1);
  add(
    'aws-secret-access-key',
    'deploy/credentials',
    awsSecret,
    `[prod]\naws_secret_access_key = ${awsSecret}\n`,
  );
  const gcpBody = pemBody(random, 1190, '\\n', derLead(1190));
  const gcpKey = `${armour('', gcpBody, '\\n')}\\n`;
  add(
    'gcp-service-account-key',
    'keys/service-account.json',
    gcpKey,
    `{\n  "type": "service_account",\n  "project_id": "demo-project",\n  "private_key_id": "${random(hex, 40)}",\n  "private_key": "${gcpKey}",\n  "client_email": "ci@demo-project.iam.gserviceaccount.com"\n}\n`,
  );
  const gcpApi = `${'AI'}za${random(base64url, 35)}`;
  add('gcp-api-key', 'web/maps.js', gcpApi, `const mapsKey = '${gcpApi}';\n`);
  const azureKey = `${random(base64, 86)}==`;
  add(
    'azure-storage-account-key',
    'appsettings.json',
    azureKey,
    `{"Storage": "DefaultEndpointsProtocol=https;AccountName=demo;${'Account'}Key=${azureKey};EndpointSuffix=core.windows.net"}\n`,
  );
  const sharedKey = `${random(base64, 42)}${random(digits, 1)}=`;
  add(
    'azure-shared-access-key',
    'bus/connection.txt',
    sharedKey,
    `Endpoint=sb://demo.servicebus.windows.net/;SharedAccessKeyName=send;${'SharedAccess'}Key=${sharedKey}\n`,
  );
  const azureClient = `${random(alphanumeric, 3)}${random(digits, 1)}Q~${random(`${alphanumeric}_~.-`, 33)}${random(alphanumeric, 1)}`;
  add(
    'azure-ad-client-secret',
    'infra/app.env',
    azureClient,
    `AZURE_CLIENT_ID=1\nAZURE_CLIENT_SECRET=${azureClient}\n`,
  );
  for (const [ruleId, prefix] of [
    ['github-pat', 'ghp_'],
    ['github-oauth', 'gho_'],
    ['github-app-token', 'ghs_'],
    ['github-refresh-token', 'ghr_'],
  ] as const) {
    const token = checksummed(prefix, random);
    add(ruleId, `scripts/${ruleId}.sh`, token, `#!/bin/sh\nexport GH_TOKEN=${token}\n`);
  }
  const fineGrained = `${'github'}_pat_${random(alphanumeric, 22)}_${random(alphanumeric, 59)}`;
  add('github-fine-grained-pat', '.env.ci', fineGrained, `GITHUB_TOKEN=${fineGrained}\n`);
  const gitlabPat = `${'glpat'}-${random(`${alphanumeric}_-`, 19)}${random(digits, 1)}`;
  add('gitlab-pat', 'tools/release.py', gitlabPat, `GITLAB = "${gitlabPat}"\n`);
  const shipguardToken = `${'sgp'}_${random(base64url, 43)}`;
  add('shipguard-api-token', 'ci/upload.env', shipguardToken, `SHIPGUARD_TOKEN=${shipguardToken}\n`);
  const gitlabDeploy = `${'gldt'}-${random(alphanumeric, 20)}`;
  add('gitlab-token', 'tools/deploy.yml', gitlabDeploy, `deploy:\n  token: ${gitlabDeploy}\n`);
  const npm = checksummed('npm_', random);
  add('npm-access-token', '.npmrc', npm, `//registry.example.test/:_authToken=${npm}\n`);
  const pypi = `${'pypi'}-AgEIcHlwaS5vcmc${random(base64url, 120)}`;
  add('pypi-upload-token', '.pypirc', pypi, `[pypi]\nusername = __token__\npassword = ${pypi}\n`);
  const stripe = `${'sk'}_live_${random(alphanumeric, 24)}`;
  add('stripe-secret-key', 'billing/config.rb', stripe, `Stripe.api_key = "${stripe}"\n`);
  const slack = `${'xo'}xb-${random(digits, 12)}-${random(digits, 13)}-${random(alphanumeric, 24)}`;
  add('slack-token', 'bot/settings.py', slack, `SLACK_BOT = "${slack}"\n`);
  const slackApp = `${'xa'}pp-1-A${random(upper + digits, 10)}-${random(digits, 13)}-${random(hex, 64)}`;
  add('slack-app-token', 'bot/socket.ts', slackApp, `const appToken = '${slackApp}';\n`);
  const slackHook = `https://hooks.${'slack'}.com/services/T${random(upper + digits, 8)}/B${random(upper + digits, 10)}/${random(alphanumeric, 24)}`;
  add('slack-webhook-url', 'alerts/notify.sh', slackHook, `curl -X POST ${slackHook} -d @msg.json\n`);
  const discordHook = `https://discord.com/api/${'webhooks'}/${random('123456789', 18)}/${random(base64url, 68)}`;
  add('discord-webhook-url', 'alerts/discord.ts', discordHook, `export const hook = '${discordHook}';\n`);
  const discordBot = `M${random(alphanumeric, 23)}.${random(base64url, 6)}.${random(alphanumeric, 27)}`;
  add('discord-bot-token', 'bot/.env', discordBot, `DISCORD_TOKEN=${discordBot}\n`);
  const openai = `sk-proj-${random(alphanumeric, 40)}${'T3Blbk'}FJ${random(alphanumeric, 40)}`;
  add('openai-api-key', 'ai/client.py', openai, `client = OpenAI(api_key="${openai}")\n`);
  const anthropic = `${'sk-ant'}-api03-${random(base64url, 93)}AA`;
  add('anthropic-api-key', 'ai/claude.ts', anthropic, `const apiKey = '${anthropic}';\n`);
  const rsa = armour('RSA ', pemBody(random, 1190, '\n', derLead(1190)));
  add('private-key', 'certs/server.key', rsa, `${rsa}\n`);
  const openssh = armour('OPENSSH ', pemBody(random, 380, '\n', opensshLead));
  add('private-key', 'home/.ssh/id_ed25519', openssh, `${openssh}\n`);
  const pgpLabel = `PGP PRIVATE ${'KEY'} BLOCK`;
  const pgp = `${dash5}BEGIN ${pgpLabel}${dash5}\n\n${pemBody(random, 600, '\n', Buffer.alloc(0))}\n=${random(base64, 4)}\n${dash5}END ${pgpLabel}${dash5}`;
  add('private-key', 'release/signing.asc', pgp, `${pgp}\n`);
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(
    JSON.stringify({ sub: random(digits, 8), name: 'demo', iat: 1700000000 }),
  ).toString('base64url');
  const jwt = `${header}.${payload}.${random(base64url, 43)}`;
  add('jwt', 'tests/http/session.http', jwt, `GET /me\nAuthorization: Bearer ${jwt}\n`);
  for (const scheme of ['postgres', 'mysql', 'mongodb+srv', 'redis', 'amqp']) {
    const password = random(alphanumeric, 14) + random(digits, 2);
    const url = `${scheme}://app:${password}@db.internal.test:5432/app`;
    add(
      'connection-string-password',
      `config/${scheme.replace('+', '-')}.env`,
      password,
      `DATABASE_URL=${url}\n`,
    );
  }
  const generic = random(alphanumeric, 30) + random(digits, 2);
  add('generic-secret', 'src/settings.py', generic, `CLIENT_SECRET = "${generic}"\n`);
  const sendgrid = `SG.${random(base64url, 22)}.${random(base64url, 43)}`;
  add('sendgrid-api-token', 'mail/send.js', sendgrid, `sgMail.setApiKey('${sendgrid}');\n`);
  const shopify = `${'shpat'}_${random(hex, 32)}`;
  add('shopify-token', 'shop/.env', shopify, `SHOPIFY_ADMIN=${shopify}\n`);
  const huggingface = `${'hf'}_${random(upper + lower, 34)}`;
  add('huggingface-access-token', 'ml/train.py', huggingface, `login("${huggingface}")\n`);
  const digitalocean = `${'dop'}_v1_${random(hex, 64)}`;
  add(
    'digitalocean-token',
    'infra/do.tf',
    digitalocean,
    `provider "digitalocean" {\n  do_api = "${digitalocean}"\n}\n`,
  );
  const databricks = `${'dapi'}${random(hex, 32)}`;
  add('databricks-api-token', 'jobs/run.sh', databricks, `databricks --host h --auth ${databricks}\n`);
  const age = `${'AGE-SECRET'}-KEY-1${random('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)}`;
  add('age-secret-key', 'secrets/age.txt', age, `# created: 2024\n${age}\n`);
  const doppler = `${'dp'}.pt.${random(alphanumeric, 43)}`;
  add('doppler-api-token', 'ops/doppler.sh', doppler, `doppler run --token ${doppler}\n`);
  const linear = `${'lin'}_api_${random(alphanumeric, 40)}`;
  add('linear-api-key', 'ops/linear.ts', linear, `new LinearClient({ apiKey: '${linear}' })\n`);
  const grafana = `${'glsa'}_${random(alphanumeric, 32)}_${random('0123456789abcdef', 8)}`;
  add('grafana-token', 'ops/grafana.yaml', grafana, `grafana:\n  sa: ${grafana}\n`);
  const ghsJwt = [
    Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url'),
    Buffer.from(JSON.stringify({ iat: 1700000000, exp: 1700000600, iss: random(digits, 6) })).toString(
      'base64url',
    ),
    random(base64url, 43),
  ].join('.');
  const ghsToken = `${'gh'}s_${random(digits, 6)}_${ghsJwt}`;
  add('github-app-installation-jwt-token', 'ci/app-token.env', ghsToken, `GH_APP_TOKEN=${ghsToken}\n`);
  const tailscale = `${'ts'}key-auth-${random(alphanumeric, 12)}-${random(alphanumeric, 24)}`;
  add('tailscale-key', 'infra/tailscale.env', tailscale, `TS_AUTHKEY=${tailscale}\n`);
  const vercel = `${'vc'}p_${random(alphanumeric, 56)}`;
  add('vercel-token', 'deploy/vercel.env', vercel, `VERCEL_TOKEN=${vercel}\n`);
  const oauthUser = random(hex, 40);
  add(
    'git-url-oauth-token',
    'package.json',
    oauthUser,
    `{\n  "dependencies": {\n    "internal": "git+https://${oauthUser}:x-oauth-basic@github.com/acme/internal.git"\n  }\n}\n`,
  );
  const npmrcToken = random(alphanumeric, 36);
  add(
    'npmrc-auth-token',
    'packages/web/.npmrc',
    npmrcToken,
    `//registry.acme.dev/:_authToken=${npmrcToken}\n`,
  );
  const teams = `https://acme.webhook.office.com/webhookb2/${uuidOf(random)}@${uuidOf(random)}/IncomingWebhook/${random(hex, 32)}/${uuidOf(random)}`;
  add('microsoft-teams-webhook', 'alerts/teams.ps1', teams, `$hook = "${teams}"\n`);
  const freemius = `sk_${random(alphanumeric, 29)}`;
  add(
    'freemius-secret-key',
    'wp-plugin/freemius.php',
    freemius,
    `$fs = fs_dynamic_init(array(\n  'secret_key' => '${freemius}',\n));\n`,
  );
  const nuget = random(alphanumeric, 18) + random(digits, 2);
  add(
    'nuget-config-password',
    'NuGet.config',
    nuget,
    `<packageSourceCredentials>\n  <feed>\n    <add key="Username" value="ci" />\n    <add key="ClearTextPassword" value="${nuget}" />\n  </feed>\n</packageSourceCredentials>\n`,
  );
  const sidekiq = `${random(hex, 8)}:${random(hex, 8)}`;
  add(
    'sidekiq-sensitive-url',
    'Gemfile',
    sidekiq,
    `source "https://${sidekiq}@gems.contribsys.com/" do\n  gem "sidekiq-pro"\nend\n`,
  );
  const jwtBase64 = Buffer.from(jwt).toString('base64');
  add(
    'jwt-base64',
    'k8s/token.yaml',
    jwtBase64,
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\ndata:\n  bearer: ${jwtBase64}\n`,
  );
  const kubeValue = Buffer.from(random(alphanumeric, 20) + random(digits, 2)).toString('base64');
  add(
    'kubernetes-secret-yaml',
    'k8s/db-secret.yaml',
    kubeValue,
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  password: ${kubeValue}\n`,
  );
  const curlUser = `deploy:${random(alphanumeric, 16)}${random(digits, 2)}`;
  add(
    'curl-auth-user',
    'scripts/upload.sh',
    curlUser,
    `curl -sf -u ${curlUser} -T build.zip https://files.acme-corp.net/\n`,
  );
  const curlHeader = random(alphanumeric, 38) + random(digits, 2);
  add(
    'curl-auth-header',
    'docs/api.md',
    curlHeader,
    `\`\`\`\ncurl -H "Authorization: Bearer ${curlHeader}" https://api.acme-corp.net/v1/me\n\`\`\`\n`,
  );
  const basicAuth = `release:${random(alphanumeric, 14)}${random(digits, 2)}`;
  add(
    'basic-auth-url',
    'ci/publish.sh',
    basicAuth,
    `git push https://${basicAuth}@git.acme-corp.net/app.git main\n`,
  );
  for (const provider of providerRules) {
    const token = structuredSamples[provider.spec.id]?.(random) ?? sampleToken(provider.segments, random);
    const name = provider.names?.[0];
    const content = name
      ? `${name.toUpperCase()}_SECRET = "${token}"\n`
      : `settings:\n  credential: ${token}\n`;
    add(provider.spec.id, `config/${provider.spec.id}.${name ? 'py' : 'yml'}`, token, content);
  }
  return credentials;
}
