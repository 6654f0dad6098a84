import { providerRules } from './provider-rules.js';
import type { AllowlistSpec, RuleSetSpec, RuleSpec, ValidatorName } from './types.js';

/**
 * shipguard's own default rules. Order matters: when two rules find the same characters, the one
 * listed first wins, so provider-specific rules come before the generic ones.
 *
 * Every pattern is written to run in linear time: quantifiers are bounded, none is nested inside
 * another, and token rules start with a look-behind that excludes the token's own characters, so a
 * long run of token characters is tried from one start only.
 */

interface RuleInput {
  id: string;
  description: string;
  keywords: string[];
  pattern: RegExp;
  secretGroup?: number;
  entropy?: number;
  validator?: ValidatorName;
  reach?: number;
  multiline?: boolean;
  fillerIsPlaceholder?: boolean;
  severity?: RuleSpec['severity'];
  /** Secrets (regexes over the secret) that are documented examples, not credentials. */
  allowSecrets?: RegExp[];
}

function rule(input: RuleInput): RuleSpec {
  const spec: RuleSpec = {
    id: input.id,
    description: input.description,
    keywords: input.keywords,
    regex: { source: input.pattern.source, flags: input.pattern.flags.replace(/[gy]/g, '') },
    secretGroup: input.secretGroup ?? 1,
    severity: input.severity ?? 'high',
    allowlists: input.allowSecrets ? [secretAllowlist(input.allowSecrets)] : [],
  };
  if (input.entropy !== undefined) spec.entropy = input.entropy;
  if (input.validator) spec.validator = input.validator;
  if (input.reach !== undefined) spec.reach = input.reach;
  if (input.multiline) spec.multiline = true;
  if (input.fillerIsPlaceholder) spec.fillerIsPlaceholder = true;
  return spec;
}

function secretAllowlist(patterns: RegExp[]): AllowlistSpec {
  return {
    description: 'documented example values',
    condition: 'or',
    regexTarget: 'secret',
    regexes: patterns.map((pattern) => ({ source: pattern.source, flags: pattern.flags })),
    paths: [],
    stopwords: [],
    commits: [],
    targetRules: [],
  };
}

const assignment = String.raw`['"]?\s{0,5}(?::=|=>|=|:|,)\s{0,5}['"]?`;
/** The generic rule takes only real assignments: a comma would match function arguments. */
const strictAssignment = String.raw`['"]?\s{0,5}(?::=|=>|=|:)\s{0,5}['"]?`;

export const defaultRules: RuleSpec[] = [
  // Private keys first: the GCP rule and the generic rule would otherwise claim parts of them.
  rule({
    id: 'gcp-service-account-key',
    description: 'Google Cloud service account key (private_key in a JSON key file)',
    keywords: ['private_key'],
    pattern:
      /"private_key"\s{0,5}:\s{0,5}"(-----BEGIN (?:RSA )?PRIVATE KEY-----[A-Za-z0-9+/=\\]{64,12000}-----END (?:RSA )?PRIVATE KEY-----(?:\\n)?)"/,
    reach: 13000,
    validator: 'private-key-structure',
    severity: 'critical',
  }),
  rule({
    id: 'private-key',
    description: 'Private key (PEM, OpenSSH or PGP armoured block)',
    keywords: ['private key'],
    pattern:
      /(-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[A-Za-z0-9+/=\s\\:,.()'"]|-(?!----)){64,65536}?-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----)/,
    reach: 66000,
    multiline: true,
    validator: 'private-key-structure',
    severity: 'critical',
  }),
  rule({
    id: 'aws-access-key-id',
    description: 'AWS access key id',
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    pattern: /(?<![A-Za-z0-9])((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Za-z0-9])/,
    entropy: 3,
    severity: 'critical',
    allowSecrets: [/EXAMPLE$/],
  }),
  rule({
    id: 'aws-secret-access-key',
    description: 'AWS secret access key assigned to an AWS-named setting',
    keywords: ['aws'],
    pattern: new RegExp(
      String.raw`(?<![\w.-])[\w.-]{0,20}?aws[\w.-]{0,20}?(?:secret|private|sk)[\w.-]{0,20}${assignment}([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
      'i',
    ),
    entropy: 4,
    severity: 'critical',
    allowSecrets: [/EXAMPLEKEY$/],
  }),
  rule({
    id: 'gcp-api-key',
    description: 'Google Cloud API key',
    keywords: ['aiza'],
    pattern: /(?<![\w-])(AIza[\w-]{35})(?![\w-])/,
    entropy: 3,
  }),
  rule({
    id: 'azure-storage-account-key',
    description: 'Azure storage account key (AccountKey= in a connection string)',
    keywords: ['accountkey'],
    pattern: /AccountKey\s{0,3}=\s{0,3}([A-Za-z0-9+/]{86}==)/i,
    validator: 'azure-storage-key',
    severity: 'critical',
  }),
  rule({
    id: 'azure-shared-access-key',
    description: 'Azure Service Bus / Event Hubs shared access key',
    keywords: ['sharedaccesskey'],
    validator: 'provider-value',
    pattern: /SharedAccessKey\s{0,3}=\s{0,3}([A-Za-z0-9+/]{42,43}=)/i,
  }),
  rule({
    id: 'azure-ad-client-secret',
    description: 'Microsoft Entra ID (Azure AD) application client secret',
    keywords: ['q~'],
    pattern: /(?<![\w~.-])([A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![\w~.-])/,
    entropy: 3,
  }),
  rule({
    id: 'github-pat',
    description: 'GitHub personal access token (classic), checksum verified',
    keywords: ['ghp_'],
    pattern: /(?<![A-Za-z0-9_])(ghp_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/,
    validator: 'github-checksum',
    severity: 'critical',
  }),
  rule({
    id: 'github-oauth',
    description: 'GitHub OAuth access token, checksum verified',
    keywords: ['gho_'],
    pattern: /(?<![A-Za-z0-9_])(gho_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/,
    validator: 'github-checksum',
  }),
  rule({
    id: 'github-app-token',
    description: 'GitHub App user-to-server or installation token, checksum verified',
    keywords: ['ghu_', 'ghs_'],
    pattern: /(?<![A-Za-z0-9_])(gh[us]_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/,
    validator: 'github-checksum',
  }),
  rule({
    id: 'github-refresh-token',
    description: 'GitHub refresh token, checksum verified',
    keywords: ['ghr_'],
    pattern: /(?<![A-Za-z0-9_])(ghr_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/,
    validator: 'github-checksum',
  }),
  rule({
    id: 'github-fine-grained-pat',
    description: 'GitHub fine-grained personal access token',
    keywords: ['github_pat_'],
    pattern: /(?<![A-Za-z0-9_])(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])/,
    entropy: 3,
    severity: 'critical',
  }),
  rule({
    id: 'shipguard-api-token',
    description: 'shipguard serve API token',
    keywords: ['sgp_'],
    pattern: /(?<![A-Za-z0-9_-])(sgp_[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
    entropy: 3,
    severity: 'critical',
  }),
  rule({
    id: 'gitlab-pat',
    description: 'GitLab personal, project or group access token',
    keywords: ['glpat-'],
    pattern: /(?<![\w-])(glpat-[A-Za-z0-9_-]{20,300}(?:\.[A-Za-z0-9]{2}\.[A-Za-z0-9]{7,12})?)(?![\w-])/,
    entropy: 3,
    severity: 'critical',
  }),
  rule({
    id: 'gitlab-token',
    description: 'GitLab deploy, runner, trigger, feed, CI job, OAuth or agent token',
    keywords: [
      'gldt-',
      'glrt-',
      'glptt-',
      'glft-',
      'glimt-',
      'glcbt-',
      'glsoat-',
      'gloas-',
      'glagent-',
      'glffct-',
    ],
    pattern:
      /(?<![\w-])((?:gldt|glrt|glptt|glft|glimt|glcbt|glsoat|gloas|glagent|glffct)-[A-Za-z0-9_-]{20,300})(?![\w-])/,
    entropy: 3,
  }),
  rule({
    id: 'npm-access-token',
    description: 'npm access token, checksum verified',
    keywords: ['npm_'],
    pattern: /(?<![A-Za-z0-9_])(npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/,
    validator: 'npm-checksum',
    severity: 'critical',
  }),
  rule({
    id: 'pypi-upload-token',
    description: 'PyPI API token (a macaroon issued by pypi.org)',
    keywords: ['pypi-ageichlwas5vcmc'],
    pattern: /(?<![\w-])(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000})(?![\w-])/,
    severity: 'critical',
  }),
  rule({
    id: 'stripe-secret-key',
    description: 'Stripe live secret or restricted key',
    keywords: ['sk_live_', 'rk_live_', 'sk_prod_', 'rk_prod_'],
    // Stripe secret and restricted keys carry at least 24 characters after the prefix.
    pattern: /(?<![A-Za-z0-9_])((?:sk|rk)_(?:live|prod)_[A-Za-z0-9]{24,247})(?![A-Za-z0-9_])/,
    entropy: 3,
    validator: 'provider-value',
    severity: 'critical',
  }),
  rule({
    id: 'slack-token',
    description: 'Slack bot, user, app-level, configuration or legacy token',
    keywords: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xoxe-', 'xoxe.'],
    pattern: /(?<![\w-])(xox(?:[bpars]|e(?:\.xox[bp])?)-(?:[0-9]{1,15}-){1,3}[A-Za-z0-9]{8,64})(?![\w-])/,
    entropy: 3,
  }),
  rule({
    id: 'slack-app-token',
    description: 'Slack app-level token',
    keywords: ['xapp-'],
    // The last part is 64 hex characters in tokens Slack issues today; older ones and examples vary.
    pattern: /(?<![\w-])(xapp-\d-[A-Z0-9]{9,12}-\d{10,13}-[a-z0-9]{48,80})(?![\w-])/i,
  }),
  rule({
    id: 'slack-webhook-url',
    description: 'Slack incoming webhook or workflow trigger URL',
    keywords: ['hooks.slack.com'],
    pattern: /(https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/_-]{30,120})/,
  }),
  rule({
    id: 'discord-webhook-url',
    description: 'Discord webhook URL',
    keywords: ['discord'],
    pattern:
      /(https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/[0-9]{17,20}\/[A-Za-z0-9_-]{60,68})(?![\w-])/,
  }),
  rule({
    id: 'discord-bot-token',
    description: 'Discord bot token, near the word discord',
    keywords: ['discord'],
    pattern: /(?<![\w.-])([MNO][A-Za-z0-9_-]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38})(?![\w.-])/,
    entropy: 3.5,
  }),
  rule({
    id: 'openai-api-key',
    description: 'OpenAI API key (user, project, service account or admin)',
    keywords: ['t3blbkfj'],
    pattern:
      /(?<![\w-])(sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,160}T3BlbkFJ[A-Za-z0-9_-]{20,160})(?![\w-])/,
    severity: 'critical',
  }),
  rule({
    id: 'anthropic-api-key',
    description: 'Anthropic API or admin key',
    keywords: ['sk-ant-'],
    pattern: /(?<![\w-])(sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,120}AA)(?![\w-])/,
    severity: 'critical',
  }),
  rule({
    id: 'sendgrid-api-token',
    description: 'SendGrid API key',
    keywords: ['sg.'],
    pattern: /(?<![\w.-])(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![\w.-])/,
    entropy: 3,
  }),
  rule({
    id: 'shopify-token',
    description: 'Shopify access token or shared secret',
    keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    // Hex before 2024; access tokens and app secrets issued since are longer and alphanumeric.
    pattern: /(?<![\w-])(shp(?:at|ca|pa|ss)_(?:[a-fA-F0-9]{32}|[A-Za-z0-9]{32,64}))(?![\w-])/,
    entropy: 3,
    validator: 'provider-value',
  }),
  rule({
    id: 'huggingface-access-token',
    description: 'Hugging Face access token',
    keywords: ['hf_'],
    pattern: /(?<![\w-])(hf_[A-Za-z]{34})(?![\w-])/,
    entropy: 3.5,
    validator: 'provider-value',
  }),
  rule({
    id: 'digitalocean-token',
    description: 'DigitalOcean personal, OAuth or refresh token',
    keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    pattern: /(?<![\w-])(do[opr]_v1_[a-f0-9]{64})(?![\w-])/,
  }),
  rule({
    id: 'databricks-api-token',
    description: 'Databricks personal access token',
    keywords: ['dapi'],
    pattern: /(?<![\w-])(dapi[a-f0-9]{32}(?:-\d)?)(?![\w-])/,
    entropy: 3,
  }),
  rule({
    id: 'age-secret-key',
    description: 'age encryption secret key',
    keywords: ['age-secret-key-1'],
    pattern: /(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})/,
    severity: 'critical',
  }),
  rule({
    id: 'doppler-api-token',
    description: 'Doppler service or personal token',
    keywords: ['dp.pt.', 'dp.st.', 'dp.ct.'],
    pattern: /(?<![\w.-])(dp\.(?:pt|st|ct)\.[A-Za-z0-9]{40,44})(?![\w.-])/,
  }),
  rule({
    id: 'linear-api-key',
    description: 'Linear API key',
    keywords: ['lin_api_'],
    pattern: /(?<![\w-])(lin_api_[A-Za-z0-9]{40})(?![\w-])/,
  }),
  rule({
    id: 'grafana-token',
    description: 'Grafana service account or cloud token',
    keywords: ['glsa_', 'glc_'],
    pattern: /(?<![\w-])(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,400}={0,2})(?![\w-])/,
  }),
  rule({
    id: 'github-app-installation-jwt-token',
    description: 'GitHub App installation token in the JWT format (ghs_, the app id, then a signed JWT)',
    keywords: ['ghs_'],
    pattern:
      /(?<![\w-])(ghs_[0-9]{1,20}_eyJ[A-Za-z0-9_-]{10,2000}\.eyJ[A-Za-z0-9_-]{10,4000}\.[A-Za-z0-9_-]{20,1000})(?![\w.-])/,
    validator: 'prefixed-jwt',
    severity: 'critical',
  }),
  rule({
    id: 'tailscale-key',
    description: 'Tailscale API, auth, OAuth client, SCIM or webhook key (tskey-<kind>-<id>-<secret>)',
    keywords: ['tskey-'],
    pattern: /(?<![A-Za-z])(tskey-[a-z]{3,12}-[A-Za-z0-9]{6,24}-[A-Za-z0-9]{16,64})(?![A-Za-z0-9_-])/,
    entropy: 3,
    validator: 'provider-value',
    severity: 'critical',
  }),
  rule({
    id: 'vercel-token',
    description: 'Vercel personal, integration, app, refresh or API key token (vcp_, vci_, vca_, vcr_, vck_)',
    keywords: ['vcp_', 'vci_', 'vca_', 'vcr_', 'vck_'],
    pattern: /(?<![\w-])(vc[pcikar]_[A-Za-z0-9]{24,64})(?![\w-])/,
    entropy: 3.5,
    validator: 'provider-value',
  }),
  rule({
    id: 'git-url-oauth-token',
    description: 'Access token used as the user name of a git URL (token:x-oauth-basic@host)',
    keywords: ['x-oauth-basic'],
    pattern: /(?<![\w-])([A-Za-z0-9_]{20,255}):x-oauth-basic@/,
    entropy: 3,
    validator: 'provider-value',
  }),
  rule({
    id: 'npmrc-auth-token',
    description: 'Registry credential in an .npmrc (_authToken or _auth), not read from the environment',
    keywords: ['_authtoken', ':_auth'],
    pattern: /:_auth(?:Token)?[ \t]{0,5}=[ \t]{0,5}["']?([A-Za-z0-9+/=_.-]{20,512})(?![A-Za-z0-9+/=_.-])/,
    entropy: 3,
    validator: 'password-value',
    fillerIsPlaceholder: true,
  }),
  ...providerRules.map((provider) => provider.spec),
  rule({
    id: 'microsoft-teams-webhook',
    description: 'Microsoft Teams incoming webhook URL',
    keywords: ['webhook.office.com'],
    pattern:
      /(https:\/\/[a-z0-9-]{1,64}\.webhook\.office\.com\/webhookb2\/[0-9a-f-]{36}@[0-9a-f-]{36}\/IncomingWebhook\/[0-9a-f]{32}\/[0-9a-f-]{36}(?:\/[A-Za-z0-9_-]{10,80})?)/,
  }),
  rule({
    id: 'freemius-secret-key',
    description: 'Freemius secret key in a PHP configuration array',
    keywords: ['secret_key'],
    pattern: /['"]secret_key['"]\s{0,5}=>\s{0,5}['"](sk_[\x21-\x26\x28-\x7e]{29})['"]/,
    validator: 'provider-value',
  }),
  rule({
    id: 'nuget-config-password',
    description: 'Password in a NuGet.config packageSourceCredentials entry',
    keywords: ['<add key'],
    pattern:
      /<add\s{1,5}key\s{0,3}=\s{0,3}"(?:ClearText)?Password"\s{1,5}value\s{0,3}=\s{0,3}"([^"\s]{8,256})"\s{0,5}\/>/i,
    validator: 'password-value',
  }),
  rule({
    id: 'sidekiq-sensitive-url',
    description: 'Sidekiq Pro / Enterprise gem source URL with credentials',
    keywords: ['contribsys.com'],
    pattern: /https?:\/\/([0-9a-f]{8}:[0-9a-f]{8})@(?:gems|enterprise)\.contribsys\.com/i,
  }),
  rule({
    id: 'jwt-base64',
    description: 'JSON Web Token written in base64',
    keywords: ['zxlk'],
    pattern: /(?<![A-Za-z0-9+/])(ZXlK[A-Za-z0-9+/]{60,16000}={0,2})(?![A-Za-z0-9+/=])/,
    validator: 'base64-jwt',
    reach: 16100,
  }),
  rule({
    id: 'kubernetes-secret-yaml',
    description: 'Kubernetes Secret manifest with a data value',
    keywords: ['kind: secret', 'kind: "secret"', "kind: 'secret'", 'kind:secret'],
    pattern:
      /\bkind:[ \t]{0,5}["']?Secret["']?[ \t]{0,5}\r?\n(?:[^\n]{0,300}\n){0,30}?[ \t]{0,8}data:[ \t]{0,5}\r?\n(?:[ \t]{1,12}#[^\n]{0,300}\n){0,5}[ \t]{1,12}[\w.-]{1,100}:[ \t]{1,5}["']?([A-Za-z0-9+/]{8,8000}={0,2})["']?[ \t]{0,5}(?:\r?\n|$)/,
    validator: 'kubernetes-secret-value',
    multiline: true,
    reach: 20000,
  }),
  rule({
    id: 'curl-auth-user',
    description: 'curl -u / --user with a password on the command line',
    keywords: ['curl'],
    pattern:
      /\bcurl\b[^\n]{0,400}?[ \t](?:-u|--user)(?:=|[ \t]{1,5})(?:"([^"\s:]{1,100}:[^"\s]{3,200})"|'([^'\s:]{1,100}:[^'\s]{3,200})'|([^\s"':]{1,100}:[^\s"']{3,200}))/,
    secretGroup: 0,
    validator: 'user-password',
  }),
  rule({
    id: 'curl-auth-header',
    description: 'curl -H with an Authorization, API-key or token header holding a literal credential',
    keywords: ['curl'],
    pattern:
      /\bcurl\b[^\n]{0,400}?[ \t](?:-H|--header)(?:=|[ \t]{1,5})["']?(?:Authorization:[ \t]{0,5}(?:Basic|Bearer|Token|token)[ \t]{1,5}|(?:X-)?(?:Api-?Key|Auth-?Token|Access-?Token|PRIVATE-TOKEN)[ \t]{0,5}:[ \t]{0,5})([A-Za-z0-9._~+/=-]{12,2000})/i,
    entropy: 3,
    validator: 'provider-value',
  }),
  rule({
    id: 'jwt',
    description: 'JSON Web Token (the header decodes to JSON naming an algorithm)',
    keywords: ['eyj'],
    pattern:
      /(?<![\w.-])(eyJ[A-Za-z0-9_-]{10,2000}\.eyJ[A-Za-z0-9_-]{10,8000}\.[A-Za-z0-9_-]{10,2000})(?![\w.-])/,
    validator: 'jwt',
    reach: 12100,
  }),
  rule({
    id: 'connection-string-password',
    description: 'Database or broker connection string with a password',
    keywords: ['postgres', 'mysql', 'mariadb', 'mongodb', 'redis', 'amqp', 'mssql'],
    pattern:
      /(?<![A-Za-z0-9+.-])(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql):\/\/([^\s:@/'"`]{0,128}):([^\s@/'"`]{1,256})@[A-Za-z0-9._-]{1,253}/i,
    secretGroup: 2,
    validator: 'password-value',
  }),
  rule({
    id: 'basic-auth-url',
    description: 'URL with a user name and password (basic authentication in the URL)',
    keywords: ['://'],
    pattern:
      /(?<![A-Za-z0-9+.-])(?:https?|ftps?|sftp|git|ssh|svn|smtps?|imaps?|ldaps?|wss?):\/\/([^\s:@/'"`<>]{1,128}:[^\s@/'"`<>]{1,256})@[A-Za-z0-9._-]{1,253}/i,
    validator: 'user-password',
  }),
  rule({
    id: 'generic-secret',
    description: 'A value assigned to a key, secret, token or password setting, with high entropy',
    keywords: ['key', 'secret', 'token', 'password', 'passwd', 'pwd', 'credential', 'auth'],
    pattern: new RegExp(
      String.raw`(?<![\w.-])[\w.-]{0,40}?(?:api[_.-]?key|access[_.-]?key|secret|token|passw(?:or)?d|pwd|credentials?|auth[_.-]?(?:key|token)|private[_.-]?key|signing[_.-]?key|encryption[_.-]?key|master[_.-]?key)[\w-]{0,20}${strictAssignment}([A-Za-z0-9_+/=.~!@#$%^&*-]{8,150})(?![A-Za-z0-9_+/=.~!@#$%^&*-])`,
      'i',
    ),
    entropy: 3.5,
    validator: 'generic-value',
  }),
];

/** A file whose presence is the finding: PKCS#12 bundles hold a private key with its certificate. */
const pathRules: RuleSpec[] = [
  {
    id: 'pkcs12-file',
    description: 'PKCS#12 key store (.p12, .pfx): a private key with its certificate',
    keywords: [],
    path: { source: String.raw`(?:^|/)[^/]{1,200}\.(?:p12|pfx)$`, flags: 'i' },
    secretGroup: 0,
    severity: 'high',
    allowlists: [],
  },
];
defaultRules.push(...pathRules);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/** One shared, frozen set: compileRuleSet compiles it once per process (it caches by identity). */
const defaultSet: RuleSetSpec = deepFreeze({ rules: defaultRules, allowlists: [] });

export function defaultRuleSet(): RuleSetSpec {
  return defaultSet;
}
