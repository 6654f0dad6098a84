import type { RuleSpec, ValidatorName } from './types.js';

/**
 * Provider rules written as data: a token is a list of segments (literal text, or characters of a
 * class repeated a bounded number of times). The same description builds the rule's regex and,
 * in tests, a realistic sample and near misses, so the two cannot drift apart.
 *
 * Two kinds:
 * - `prefixed`: the token carries a distinctive prefix (`pscale_tkn_…`), found wherever it stands;
 * - `named`: the token has no prefix, so it counts only when assigned to a setting whose name
 *   names the provider (`TWITCH_CLIENT_SECRET = …`), and only with the provider's exact shape.
 *
 * Every quantifier is bounded and none is nested, so each pattern runs in linear time.
 */

/** Character classes, as regex class bodies and as alphabets for samples. */
export const characterClasses = {
  hex: { regex: '0-9a-f', alphabet: '0123456789abcdef' },
  HEX: { regex: '0-9A-F', alphabet: '0123456789ABCDEF' },
  hexMixed: { regex: '0-9a-fA-F', alphabet: '0123456789abcdefABCDEF' },
  digit: { regex: '0-9', alphabet: '0123456789' },
  lower: { regex: 'a-z0-9', alphabet: 'abcdefghijklmnopqrstuvwxyz0123456789' },
  upper: { regex: 'A-Z0-9', alphabet: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789' },
  letters: { regex: 'A-Za-z', alphabet: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz' },
  alnum: { regex: 'A-Za-z0-9', alphabet: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789' },
  word: { regex: 'A-Za-z0-9_', alphabet: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_' },
  url: {
    regex: 'A-Za-z0-9_\\-',
    alphabet: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-',
  },
  urlEq: {
    regex: 'A-Za-z0-9_=\\-',
    alphabet: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-',
  },
  base64: {
    regex: 'A-Za-z0-9+/',
    alphabet: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  },
} as const;
export type CharacterClass = keyof typeof characterClasses;

/** Literal text, `[class, min, max?]` characters of a class, or one of a few literals. */
export type Segment =
  | string
  | readonly [CharacterClass, number, number?]
  | { readonly oneOf: readonly string[] };

export interface ProviderRule {
  spec: RuleSpec;
  kind: 'prefixed' | 'named';
  segments: readonly Segment[];
  /** Named rules: the setting-name words. */
  names?: readonly string[];
}

interface CommonInput {
  id: string;
  description: string;
  segments: readonly Segment[];
  entropy?: number;
  validator?: ValidatorName;
  severity?: RuleSpec['severity'];
}

const uuid: Segment[] = [['hex', 8], '-', ['hex', 4], '-', ['hex', 4], '-', ['hex', 4], '-', ['hex', 12]];
const uuidUpper: Segment[] = [
  ['hexMixed', 8],
  '-',
  ['hexMixed', 4],
  '-',
  ['hexMixed', 4],
  '-',
  ['hexMixed', 4],
  '-',
  ['hexMixed', 12],
];

function escapeLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Letters of `word` in either case, without the `i` flag (which would loosen the value's shape too). */
function anyCase(word: string): string {
  return [...word]
    .map((char) => {
      const lower = char.toLowerCase();
      const upper = char.toUpperCase();
      return lower === upper ? escapeLiteral(char) : `[${upper}${lower}]`;
    })
    .join('');
}

function segmentSource(segment: Segment): string {
  if (typeof segment === 'string') return escapeLiteral(segment);
  if ('oneOf' in segment) return `(?:${segment.oneOf.map(escapeLiteral).join('|')})`;
  const [name, min, max] = segment;
  const body = characterClasses[name].regex;
  return max === undefined ? `[${body}]{${min}}` : `[${body}]{${min},${max}}`;
}

/** Characters that may not follow a token: its last class (or its last literal's class) and word characters. */
function tailGuard(segments: readonly Segment[]): string {
  const last = segments[segments.length - 1];
  return `(?![A-Za-z0-9${classOf(last)}])`;
}

function classOf(segment: Segment | undefined): string {
  if (segment === undefined || typeof segment === 'string' || 'oneOf' in segment) return '';
  return characterClasses[segment[0]].regex;
}

function headGuard(segments: readonly Segment[]): string {
  const first = segments[0];
  return `(?<![A-Za-z0-9_${classOf(first)}])`;
}

export function tokenSource(segments: readonly Segment[]): string {
  return segments.map(segmentSource).join('');
}

function build(input: CommonInput, keywords: string[], source: string): RuleSpec {
  const spec: RuleSpec = {
    id: input.id,
    description: input.description,
    keywords,
    regex: { source, flags: '' },
    secretGroup: 1,
    severity: input.severity ?? 'high',
    allowlists: [],
  };
  if (input.entropy !== undefined) spec.entropy = input.entropy;
  spec.validator = input.validator ?? 'provider-value';
  return spec;
}

/** A token with a distinctive literal prefix. */
function prefixed(input: CommonInput & { keywords?: string[] }): ProviderRule {
  const first = input.segments[0];
  const keywords =
    input.keywords ??
    (typeof first === 'string'
      ? [first.toLowerCase()]
      : first && 'oneOf' in first
        ? first.oneOf.map((word) => word.toLowerCase())
        : []);
  const source = `${headGuard(input.segments)}(${tokenSource(input.segments)})${tailGuard(input.segments)}`;
  return {
    kind: 'prefixed',
    segments: input.segments,
    spec: build({ entropy: 3, ...input }, keywords, source),
  };
}

/** Assignment between a setting's name and its value: `=`, `:`, `:=`, `=>`, `,` with optional quotes. */
const assignment = String.raw`['"]?[ \t]{0,5}(?::=|=>|=|:|,|\?=)[ \t]{0,5}(?:['"\x60]|[A-Za-z]{1,12}\(['"])?`;

/** A token without a prefix, counted only when a setting named after the provider holds it. */
function named(input: CommonInput & { names: string[] }): ProviderRule {
  const names = input.names.map(anyCase).join('|');
  const source =
    `(?<![A-Za-z0-9_.-])[A-Za-z0-9_.-]{0,40}?(?:${names})[A-Za-z0-9_.-]{0,30}${assignment}` +
    `(${tokenSource(input.segments)})${tailGuard(input.segments)}`;
  const onlyDigits = input.segments.every(
    (segment) => typeof segment === 'string' || 'oneOf' in segment || segment[0] === 'digit',
  );
  return {
    kind: 'named',
    segments: input.segments,
    names: input.names,
    spec: build(
      { entropy: onlyDigits ? 2.5 : 3, ...input },
      input.names.map((name) => name.toLowerCase()),
      source,
    ),
  };
}

export const providerRules: ProviderRule[] = [
  // 1Password
  prefixed({
    id: '1password-secret-key',
    description: '1Password account secret key',
    segments: [
      'A3-',
      ['upper', 6],
      '-',
      ['upper', 11],
      '-',
      ['upper', 5],
      '-',
      ['upper', 5],
      '-',
      ['upper', 5],
    ],
    severity: 'critical',
  }),
  prefixed({
    id: '1password-service-account-token',
    description: '1Password service account token (ops_ and a base64 JSON document)',
    segments: ['ops_eyJ', ['base64', 200, 4000]],
    validator: 'base64-json-after-prefix',
    severity: 'critical',
  }),
  prefixed({
    id: 'adafruit-io-key',
    description: 'Adafruit IO key',
    segments: ['aio_', ['alnum', 28]],
  }),
  named({
    id: 'adafruit-api-key',
    description: 'Adafruit API key',
    names: ['adafruit'],
    segments: [['url', 32]],
  }),
  named({
    id: 'adobe-client-id',
    description: 'Adobe client id',
    names: ['adobe'],
    segments: [['hexMixed', 32]],
  }),
  prefixed({
    id: 'adobe-client-secret',
    description: 'Adobe client secret',
    segments: ['p8e-', ['alnum', 32]],
  }),
  prefixed({
    id: 'airtable-personal-access-token',
    description: 'Airtable personal access token',
    segments: ['pat', ['alnum', 14], '.', ['hex', 64]],
    keywords: ['pat'],
  }),
  named({
    id: 'airtable-api-key',
    description: 'Airtable API key',
    names: ['airtable'],
    segments: [['alnum', 17]],
  }),
  named({
    id: 'algolia-api-key',
    description: 'Algolia API key',
    names: ['algolia'],
    segments: [['hexMixed', 32]],
  }),
  prefixed({
    id: 'alibaba-access-key-id',
    description: 'Alibaba Cloud access key id',
    segments: ['LTAI', ['alnum', 12, 20]],
    keywords: ['ltai'],
  }),
  named({
    id: 'alibaba-secret-key',
    description: 'Alibaba Cloud access key secret',
    names: ['alibaba', 'aliyun'],
    segments: [['alnum', 30]],
    severity: 'critical',
  }),
  prefixed({
    id: 'artifactory-api-key',
    description: 'JFrog Artifactory API key',
    segments: ['AKCp', ['alnum', 69]],
    keywords: ['akcp'],
  }),
  prefixed({
    id: 'artifactory-reference-token',
    description: 'JFrog Artifactory reference token',
    segments: ['cmVmdGtu', ['alnum', 56]],
    keywords: ['cmvmdgtu'],
  }),
  named({
    id: 'asana-client-id',
    description: 'Asana client id',
    names: ['asana'],
    segments: [['digit', 16]],
  }),
  named({
    id: 'asana-client-secret',
    description: 'Asana client secret',
    names: ['asana'],
    segments: [['alnum', 32]],
  }),
  prefixed({
    id: 'atlassian-api-token-v2',
    description: 'Atlassian API token (ATATT3…)',
    segments: ['ATATT3', ['urlEq', 180, 200]],
    keywords: ['atatt3'],
    severity: 'critical',
  }),
  named({
    id: 'atlassian-api-token',
    description: 'Atlassian (Jira, Confluence) API token',
    names: ['atlassian', 'jira', 'confluence'],
    segments: [['alnum', 24]],
  }),
  prefixed({
    id: 'authress-service-client-access-key',
    description: 'Authress service client access key',
    segments: [
      'sc_',
      ['alnum', 5, 30],
      '.',
      ['alnum', 4, 6],
      '.acc_',
      ['url', 10, 32],
      '.',
      ['urlEq', 30, 120],
    ],
    keywords: ['.acc_', '.acc-'],
  }),
  prefixed({
    id: 'aws-bedrock-long-lived-key',
    description: 'Amazon Bedrock long-lived API key',
    segments: ['ABSK', ['base64', 109, 269]],
    keywords: ['absk'],
    severity: 'critical',
  }),
  prefixed({
    id: 'aws-bedrock-short-lived-key',
    description: 'Amazon Bedrock short-lived API key',
    segments: ['bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t', ['base64', 20, 4000]],
    keywords: ['bedrock-api-key-'],
  }),
  named({
    id: 'beamer-api-token',
    description: 'Beamer API token',
    names: ['beamer'],
    segments: ['b_', ['urlEq', 44]],
  }),
  named({
    id: 'bitbucket-client-id',
    description: 'Bitbucket OAuth client id',
    names: ['bitbucket'],
    segments: [['alnum', 32]],
  }),
  named({
    id: 'bitbucket-client-secret',
    description: 'Bitbucket OAuth client secret',
    names: ['bitbucket'],
    segments: [['urlEq', 64]],
  }),
  prefixed({
    id: 'bitbucket-access-token',
    description: 'Bitbucket app password or access token (ATBB/ATCT)',
    segments: ['ATBB', ['alnum', 32], ['HEX', 8]],
    keywords: ['atbb'],
  }),
  named({
    id: 'bittrex-api-key',
    description: 'Bittrex API key or secret',
    names: ['bittrex'],
    segments: [['alnum', 32]],
  }),
  named({
    id: 'cisco-meraki-api-key',
    description: 'Cisco Meraki API key',
    names: ['meraki'],
    segments: [['hexMixed', 40]],
  }),
  prefixed({
    id: 'clickhouse-cloud-api-secret-key',
    description: 'ClickHouse Cloud API secret key',
    segments: ['4b1d', ['alnum', 38]],
    keywords: ['4b1d'],
  }),
  prefixed({
    id: 'clojars-api-token',
    description: 'Clojars deploy token',
    segments: ['CLOJARS_', ['lower', 60]],
    keywords: ['clojars_'],
  }),
  prefixed({
    id: 'cloudflare-origin-ca-key',
    description: 'Cloudflare Origin CA key',
    segments: ['v1.0-', ['hex', 24], '-', ['hex', 146]],
    keywords: ['v1.0-'],
  }),
  named({
    id: 'cloudflare-api-token',
    description: 'Cloudflare API token',
    names: ['cloudflare', 'cf_api'],
    segments: [['url', 40]],
  }),
  named({
    id: 'cloudflare-global-api-key',
    description: 'Cloudflare global API key',
    names: ['cloudflare', 'cf_api'],
    segments: [['hex', 37]],
    severity: 'critical',
  }),
  named({
    id: 'codecov-access-token',
    description: 'Codecov upload token',
    names: ['codecov'],
    segments: uuid,
  }),
  named({
    id: 'cohere-api-token',
    description: 'Cohere API key',
    names: ['cohere', 'co_api_key'],
    segments: [['alnum', 40]],
  }),
  named({
    id: 'coinbase-access-token',
    description: 'Coinbase API secret',
    names: ['coinbase'],
    segments: [['url', 64]],
  }),
  named({
    id: 'confluent-secret-key',
    description: 'Confluent Cloud API secret',
    names: ['confluent'],
    segments: [['alnum', 64]],
  }),
  named({
    id: 'confluent-access-token',
    description: 'Confluent Cloud API key',
    names: ['confluent'],
    segments: [['upper', 16]],
  }),
  named({
    id: 'contentful-delivery-api-token',
    description: 'Contentful delivery or management token',
    names: ['contentful'],
    segments: [['url', 43]],
  }),
  named({
    id: 'datadog-access-token',
    description: 'Datadog API or application key',
    names: ['datadog', 'dd_api', 'dd_app'],
    segments: [['hex', 32, 40]],
  }),
  named({
    id: 'defined-networking-api-token',
    description: 'Defined Networking API token',
    names: ['dnkey'],
    segments: ['dnkey-', ['url', 26], '-', ['url', 52]],
  }),
  named({
    id: 'discord-client-secret',
    description: 'Discord client secret',
    names: ['discord'],
    segments: [['url', 32]],
  }),
  named({
    id: 'discord-api-token',
    description: 'Discord application public key or API token',
    names: ['discord'],
    segments: [['hex', 64]],
  }),
  prefixed({
    id: 'docker-hub-access-token',
    description: 'Docker Hub personal or organisation access token',
    segments: [{ oneOf: ['dckr_pat_', 'dckr_oat_'] }, ['url', 27, 32]],
    severity: 'critical',
  }),
  named({
    id: 'droneci-access-token',
    description: 'Drone CI token',
    names: ['droneci', 'drone_token', 'drone-token'],
    segments: [['alnum', 32]],
  }),
  named({
    id: 'dropbox-short-lived-api-token',
    description: 'Dropbox short-lived access token',
    names: ['dropbox'],
    segments: ['sl.', ['urlEq', 130, 1400]],
  }),
  named({
    id: 'dropbox-long-lived-api-token',
    description: 'Dropbox long-lived access token',
    names: ['dropbox'],
    segments: [['alnum', 11], 'AAAAAAAAAA', ['urlEq', 43]],
  }),
  named({
    id: 'dropbox-api-token',
    description: 'Dropbox app key or secret',
    names: ['dropbox'],
    segments: [['lower', 15]],
  }),
  prefixed({
    id: 'duffel-api-token',
    description: 'Duffel API token',
    segments: ['duffel_live_', ['urlEq', 43]],
  }),
  prefixed({
    id: 'duffel-test-api-token',
    description: 'Duffel test-mode API token',
    segments: ['duffel_test_', ['urlEq', 43]],
    keywords: ['duffel_test_'],
    severity: 'medium',
  }),
  prefixed({
    id: 'dynatrace-api-token',
    description: 'Dynatrace API token',
    segments: ['dt0c01.', ['upper', 24], '.', ['alnum', 64]],
  }),
  prefixed({
    id: 'easypost-api-token',
    description: 'EasyPost production API key',
    segments: ['EZAK', ['alnum', 54]],
    keywords: ['ezak'],
  }),
  prefixed({
    id: 'easypost-test-api-token',
    description: 'EasyPost test API key',
    segments: ['EZTK', ['alnum', 54]],
    keywords: ['eztk'],
    severity: 'medium',
  }),
  named({ id: 'etsy-access-token', description: 'Etsy API key', names: ['etsy'], segments: [['lower', 24]] }),
  prefixed({
    id: 'facebook-page-access-token',
    description: 'Facebook (Meta) access token',
    segments: [{ oneOf: ['EAAB', 'EAAC', 'EAAG', 'EAAM'] }, ['alnum', 100, 400]],
  }),
  named({
    id: 'facebook-secret',
    description: 'Facebook app secret',
    names: ['facebook', 'fb_app'],
    segments: [['hex', 32]],
  }),
  named({
    id: 'fastly-api-token',
    description: 'Fastly API token',
    names: ['fastly'],
    segments: [['url', 32]],
  }),
  named({
    id: 'finicity-client-secret',
    description: 'Finicity client secret',
    names: ['finicity'],
    segments: [['alnum', 20]],
  }),
  named({
    id: 'finicity-api-token',
    description: 'Finicity app key',
    names: ['finicity'],
    segments: [['hex', 32]],
  }),
  named({
    id: 'finnhub-access-token',
    description: 'Finnhub API key',
    names: ['finnhub'],
    segments: [['lower', 20]],
  }),
  named({
    id: 'flickr-access-token',
    description: 'Flickr API key',
    names: ['flickr'],
    segments: [['alnum', 32]],
  }),
  prefixed({
    id: 'flutterwave-secret-key',
    description: 'Flutterwave secret key',
    segments: ['FLWSECK', ['url', 0, 5], '-', ['hex', 32], '-X'],
    keywords: ['flwseck'],
  }),
  prefixed({
    id: 'flutterwave-public-key',
    description: 'Flutterwave public key',
    segments: ['FLWPUBK', ['url', 0, 5], '-', ['hex', 32], '-X'],
    keywords: ['flwpubk'],
    severity: 'medium',
  }),
  prefixed({
    id: 'flutterwave-encryption-key',
    description: 'Flutterwave encryption key',
    segments: ['FLWSECK_TEST', ['hex', 12]],
    keywords: ['flwseck_test'],
  }),
  prefixed({ id: 'flyio-access-token', description: 'Fly.io access token', segments: ['fo1_', ['url', 43]] }),
  prefixed({
    id: 'flyio-macaroon-token',
    description: 'Fly.io macaroon token',
    segments: ['fm2_', ['base64', 100, 4000]],
  }),
  prefixed({
    id: 'frameio-api-token',
    description: 'Frame.io API token',
    segments: ['fio-u-', ['urlEq', 64]],
  }),
  named({
    id: 'freshbooks-access-token',
    description: 'FreshBooks access token',
    names: ['freshbooks'],
    segments: [['alnum', 64]],
  }),
  prefixed({
    id: 'gcp-oauth-client-secret',
    description: 'Google OAuth client secret',
    segments: ['GOCSPX-', ['url', 28]],
    keywords: ['gocspx-'],
  }),
  prefixed({
    id: 'gcp-oauth-access-token',
    description: 'Google OAuth access token',
    segments: ['ya29.', ['url', 60, 2000]],
    keywords: ['ya29.'],
  }),
  prefixed({
    id: 'gitlab-runner-registration-token',
    description: 'GitLab runner registration token',
    segments: ['GR1348941', ['url', 20]],
    keywords: ['gr1348941'],
  }),
  named({
    id: 'gitlab-session-cookie',
    description: 'GitLab session cookie',
    names: ['_gitlab_session'],
    segments: [['hex', 32]],
  }),
  named({
    id: 'gitter-access-token',
    description: 'Gitter access token',
    names: ['gitter'],
    segments: [['url', 40]],
  }),
  named({
    id: 'gocardless-api-token',
    description: 'GoCardless live access token',
    names: ['gocardless'],
    segments: ['live_', ['urlEq', 40]],
  }),
  prefixed({
    id: 'grafana-api-key',
    description: 'Grafana API key (legacy, base64 JSON)',
    segments: ['eyJrIjoi', ['alnum', 70, 400]],
    keywords: ['eyjrijoi'],
    validator: 'base64-json',
  }),
  prefixed({
    id: 'harness-api-key',
    description: 'Harness personal or service account token',
    segments: [{ oneOf: ['pat.', 'sat.'] }, ['url', 22], '.', ['alnum', 24], '.', ['alnum', 20]],
  }),
  prefixed({
    id: 'hashicorp-tf-api-token',
    description: 'Terraform Cloud / Enterprise API token',
    segments: [['alnum', 14], '.atlasv1.', ['urlEq', 60, 70]],
    keywords: ['.atlasv1.'],
    severity: 'critical',
  }),
  prefixed({
    id: 'heroku-api-key-v2',
    description: 'Heroku API key (HRKU-)',
    segments: ['HRKU-AA', ['url', 58]],
    keywords: ['hrku-'],
  }),
  named({ id: 'heroku-api-key', description: 'Heroku API key', names: ['heroku'], segments: uuid }),
  prefixed({
    id: 'hubspot-private-app-token',
    description: 'HubSpot private app access token',
    segments: [{ oneOf: ['pat-na', 'pat-eu', 'pat-ap'] }, ['digit', 1], '-', ...uuid],
  }),
  named({ id: 'hubspot-api-key', description: 'HubSpot API key', names: ['hubspot'], segments: uuidUpper }),
  prefixed({
    id: 'huggingface-organization-api-token',
    description: 'Hugging Face organisation API token',
    segments: ['api_org_', ['letters', 34]],
  }),
  prefixed({
    id: 'infracost-api-token',
    description: 'Infracost API key',
    segments: ['ico-', ['alnum', 32]],
  }),
  named({
    id: 'intercom-api-key',
    description: 'Intercom access token',
    names: ['intercom'],
    segments: [['urlEq', 60]],
  }),
  prefixed({
    id: 'intra42-client-secret',
    description: '42 Intra client secret',
    segments: [{ oneOf: ['s-s4t2ud-', 's-s4t2af-'] }, ['hex', 64]],
  }),
  named({
    id: 'jfrog-api-key',
    description: 'JFrog API key',
    names: ['jfrog', 'artifactory', 'bintray', 'xray'],
    segments: [['alnum', 73]],
  }),
  named({
    id: 'jfrog-identity-token',
    description: 'JFrog identity token',
    names: ['jfrog', 'artifactory', 'bintray', 'xray'],
    segments: [['alnum', 64]],
  }),
  named({
    id: 'kraken-access-token',
    description: 'Kraken API secret',
    names: ['kraken'],
    segments: [['base64', 80, 90]],
  }),
  named({
    id: 'kucoin-access-token',
    description: 'KuCoin API key',
    names: ['kucoin'],
    segments: [['hex', 24]],
  }),
  named({ id: 'kucoin-secret-key', description: 'KuCoin API secret', names: ['kucoin'], segments: uuid }),
  named({
    id: 'launchdarkly-access-token',
    description: 'LaunchDarkly access token',
    names: ['launchdarkly'],
    segments: [['url', 40]],
  }),
  named({
    id: 'linear-client-secret',
    description: 'Linear OAuth client secret',
    names: ['linear'],
    segments: [['hex', 32]],
  }),
  named({
    id: 'linkedin-client-secret',
    description: 'LinkedIn client secret',
    names: ['linkedin', 'linked_in', 'linked-in'],
    segments: [['alnum', 16]],
  }),
  named({
    id: 'linkedin-client-id',
    description: 'LinkedIn client id',
    names: ['linkedin', 'linked_in', 'linked-in'],
    segments: [['lower', 14]],
  }),
  named({ id: 'lob-api-key', description: 'Lob API key', names: ['lob'], segments: ['live_', ['hex', 35]] }),
  named({
    id: 'lob-pub-api-key',
    description: 'Lob publishable key',
    names: ['lob'],
    segments: ['live_pub_', ['hex', 31]],
    severity: 'medium',
  }),
  named({
    id: 'looker-client-secret',
    description: 'Looker client secret',
    names: ['looker'],
    segments: [['alnum', 24]],
  }),
  named({
    id: 'looker-client-id',
    description: 'Looker client id',
    names: ['looker'],
    segments: [['alnum', 20]],
  }),
  named({
    id: 'mailchimp-api-key',
    description: 'Mailchimp API key',
    names: ['mailchimp'],
    segments: [['hex', 32], '-us', ['digit', 1, 2]],
  }),
  named({
    id: 'mailgun-private-api-token',
    description: 'Mailgun private API key',
    names: ['mailgun'],
    segments: ['key-', ['hex', 32]],
  }),
  named({
    id: 'mailgun-pub-key',
    description: 'Mailgun public key',
    names: ['mailgun'],
    segments: ['pubkey-', ['hex', 32]],
  }),
  named({
    id: 'mailgun-signing-key',
    description: 'Mailgun webhook signing key',
    names: ['mailgun'],
    segments: [['hex', 32], '-', ['hex', 8], '-', ['hex', 8]],
  }),
  prefixed({
    id: 'mapbox-secret-token',
    description: 'Mapbox secret access token',
    segments: ['sk.eyJ1Ijoi', ['url', 20, 200], '.', ['url', 22]],
    keywords: ['sk.eyj1ijoi'],
  }),
  named({
    id: 'mattermost-access-token',
    description: 'Mattermost access token',
    names: ['mattermost'],
    segments: [['lower', 26]],
  }),
  prefixed({
    id: 'maxmind-license-key',
    description: 'MaxMind license key',
    segments: [['alnum', 6], '_', ['alnum', 29], '_mmk'],
    keywords: ['_mmk'],
  }),
  named({
    id: 'messagebird-api-token',
    description: 'MessageBird access key',
    names: ['messagebird', 'message_bird', 'message-bird'],
    segments: [['alnum', 25]],
  }),
  named({
    id: 'netlify-access-token',
    description: 'Netlify access token',
    names: ['netlify'],
    segments: [['urlEq', 40, 46]],
  }),
  prefixed({
    id: 'netlify-personal-access-token',
    description: 'Netlify personal access token',
    segments: ['nfp_', ['alnum', 36]],
  }),
  prefixed({
    id: 'new-relic-user-api-key',
    description: 'New Relic user API key',
    segments: ['NRAK-', ['upper', 27]],
  }),
  prefixed({
    id: 'new-relic-insert-key',
    description: 'New Relic insert key',
    segments: ['NRII-', ['url', 32]],
  }),
  prefixed({
    id: 'new-relic-browser-api-token',
    description: 'New Relic browser API token',
    segments: ['NRJS-', ['hex', 19]],
    severity: 'medium',
  }),
  prefixed({
    id: 'new-relic-license-key',
    description: 'New Relic ingest licence key',
    segments: [['hex', 36], 'NRAL'],
    keywords: ['nral'],
  }),
  prefixed({
    id: 'notion-api-token',
    description: 'Notion integration token',
    segments: ['ntn_', ['digit', 11], ['alnum', 35]],
  }),
  named({
    id: 'nytimes-access-token',
    description: 'New York Times API key',
    names: ['nytimes', 'newyorktimes', 'new-york-times'],
    segments: [['url', 32]],
  }),
  prefixed({
    id: 'octopus-deploy-api-key',
    description: 'Octopus Deploy API key',
    segments: ['API-', ['upper', 25, 27]],
    keywords: ['api-'],
    validator: 'upper-token',
  }),
  named({
    id: 'okta-access-token',
    description: 'Okta API token',
    names: ['okta'],
    segments: ['00', ['urlEq', 40]],
  }),
  prefixed({
    id: 'openshift-user-token',
    description: 'OpenShift user token',
    segments: ['sha256~', ['url', 43]],
    keywords: ['sha256~'],
  }),
  prefixed({
    id: 'perplexity-api-key',
    description: 'Perplexity API key',
    segments: ['pplx-', ['alnum', 48]],
  }),
  named({
    id: 'plaid-api-token',
    description: 'Plaid access token',
    names: ['plaid'],
    segments: ['access-production-', ...uuid],
  }),
  named({ id: 'plaid-secret-key', description: 'Plaid secret', names: ['plaid'], segments: [['hex', 30]] }),
  named({ id: 'plaid-client-id', description: 'Plaid client id', names: ['plaid'], segments: [['hex', 24]] }),
  prefixed({
    id: 'planetscale-api-token',
    description: 'PlanetScale service token, OAuth token or password',
    segments: [{ oneOf: ['pscale_tkn_', 'pscale_oauth_', 'pscale_pw_'] }, ['url', 32, 64]],
  }),
  prefixed({
    id: 'postman-api-token',
    description: 'Postman API key',
    segments: ['PMAK-', ['hex', 24], '-', ['hex', 34]],
  }),
  prefixed({ id: 'prefect-api-token', description: 'Prefect API key', segments: ['pnu_', ['alnum', 36]] }),
  named({
    id: 'privateai-api-token',
    description: 'Private AI API key',
    names: ['privateai', 'private_ai', 'private-ai'],
    segments: [['lower', 32]],
  }),
  prefixed({ id: 'pulumi-api-token', description: 'Pulumi access token', segments: ['pul-', ['hex', 40]] }),
  named({
    id: 'rapidapi-access-token',
    description: 'RapidAPI key',
    names: ['rapidapi'],
    segments: [['url', 50]],
  }),
  prefixed({ id: 'readme-api-token', description: 'ReadMe API key', segments: ['rdme_', ['lower', 70]] }),
  prefixed({
    id: 'rubygems-api-token',
    description: 'RubyGems API key',
    segments: ['rubygems_', ['hex', 48]],
    severity: 'critical',
  }),
  prefixed({
    id: 'scalingo-api-token',
    description: 'Scalingo API token',
    segments: ['tk-us-', ['url', 48]],
  }),
  named({
    id: 'sendbird-access-token',
    description: 'Sendbird API token',
    names: ['sendbird'],
    segments: [['hex', 40]],
  }),
  named({
    id: 'sendbird-access-id',
    description: 'Sendbird application id',
    names: ['sendbird'],
    segments: uuidUpper,
  }),
  prefixed({
    id: 'sendinblue-api-token',
    description: 'Brevo (Sendinblue) API key',
    segments: ['xkeysib-', ['hex', 64], '-', ['alnum', 16]],
  }),
  prefixed({
    id: 'sentry-user-token',
    description: 'Sentry user auth token',
    segments: ['sntryu_', ['hex', 64]],
  }),
  prefixed({
    id: 'sentry-org-token',
    description: 'Sentry organisation auth token',
    segments: ['sntrys_eyJ', ['base64', 60, 600], '_', ['base64', 43]],
    keywords: ['sntrys_'],
    validator: 'sentry-org-token',
  }),
  named({
    id: 'sentry-access-token',
    description: 'Sentry auth token (legacy)',
    names: ['sentry'],
    segments: [['hex', 64]],
  }),
  prefixed({
    id: 'settlemint-access-token',
    description: 'SettleMint application, personal or service token',
    segments: [{ oneOf: ['sm_aat_', 'sm_pat_', 'sm_sat_'] }, ['alnum', 16]],
  }),
  prefixed({
    id: 'shippo-api-token',
    description: 'Shippo live API token',
    segments: ['shippo_live_', ['hex', 40]],
  }),
  prefixed({
    id: 'shippo-test-api-token',
    description: 'Shippo test API token',
    segments: ['shippo_test_', ['hex', 40]],
    severity: 'medium',
  }),
  named({
    id: 'sidekiq-secret',
    description: 'Sidekiq Pro / Enterprise licence credentials',
    names: ['bundle_enterprise__contribsys__com', 'bundle_gems__contribsys__com'],
    segments: [['hex', 8], ':', ['hex', 8]],
  }),
  named({ id: 'snyk-api-token', description: 'Snyk API token', names: ['snyk'], segments: uuid }),
  prefixed({
    id: 'sonar-api-token',
    description: 'SonarQube / SonarCloud token',
    segments: [{ oneOf: ['squ_', 'sqp_', 'sqa_'] }, ['hex', 40]],
  }),
  named({
    id: 'sonar-login-token',
    description: 'SonarQube login token (legacy, unprefixed)',
    names: ['sonar_token', 'sonar.login', 'sonar_login', 'sonar.token', 'sonar-token', 'sonar_auth_token'],
    segments: [['hex', 40]],
  }),
  prefixed({
    id: 'sourcegraph-access-token',
    description: 'Sourcegraph access token',
    segments: ['sgp_', ['hex', 16], '_', ['hex', 40]],
  }),
  prefixed({
    id: 'square-access-token',
    description: 'Square access token',
    segments: ['EAAA', ['url', 60]],
    keywords: ['eaaa'],
  }),
  prefixed({
    id: 'square-oauth-secret',
    description: 'Square OAuth secret',
    segments: ['sq0csp-', ['url', 43]],
  }),
  named({
    id: 'squarespace-access-token',
    description: 'Squarespace API key',
    names: ['squarespace'],
    segments: uuid,
  }),
  prefixed({
    id: 'stripe-test-key',
    description: 'Stripe test-mode secret or restricted key',
    segments: ['sk_test_', ['alnum', 24, 99]],
    severity: 'medium',
  }),
  named({
    id: 'sumologic-access-id',
    description: 'Sumo Logic access id',
    names: ['sumo'],
    segments: ['su', ['alnum', 12]],
  }),
  named({
    id: 'sumologic-access-token',
    description: 'Sumo Logic access key',
    names: ['sumo'],
    segments: [['alnum', 64]],
  }),
  prefixed({
    id: 'telegram-bot-api-token',
    description: 'Telegram bot token',
    segments: [['digit', 8, 10], ':AA', ['url', 33]],
    keywords: [':aa'],
  }),
  named({
    id: 'travisci-access-token',
    description: 'Travis CI token',
    names: ['travis'],
    segments: [['url', 22]],
  }),
  named({
    id: 'twilio-api-key',
    description: 'Twilio API key SID or auth token',
    names: ['twilio'],
    segments: ['SK', ['hex', 32]],
  }),
  named({
    id: 'twilio-auth-token',
    description: 'Twilio auth token',
    names: ['twilio'],
    segments: [['hex', 32]],
  }),
  named({
    id: 'twitch-api-token',
    description: 'Twitch client secret',
    names: ['twitch'],
    segments: [['lower', 30]],
  }),
  prefixed({
    id: 'twitter-bearer-token',
    description: 'X (Twitter) app bearer token',
    segments: ['AAAAAAAAAAAAAAAAAAAAA', ['alnum', 80, 100]],
    keywords: ['aaaaaaaaaaaaaaaaaaaaa'],
  }),
  named({
    id: 'twitter-access-token',
    description: 'X (Twitter) access token',
    names: ['twitter'],
    segments: [['digit', 15, 25], '-', ['alnum', 20, 40]],
  }),
  named({
    id: 'twitter-api-secret',
    description: 'X (Twitter) API secret',
    names: ['twitter'],
    segments: [['alnum', 50]],
  }),
  named({
    id: 'twitter-access-secret',
    description: 'X (Twitter) access secret',
    names: ['twitter'],
    segments: [['alnum', 45]],
  }),
  named({
    id: 'twitter-api-key',
    description: 'X (Twitter) API key',
    names: ['twitter'],
    segments: [['alnum', 25]],
  }),
  prefixed({
    id: 'typeform-api-token',
    description: 'Typeform personal token',
    segments: ['tfp_', ['urlEq', 59]],
  }),
  prefixed({
    id: 'vault-service-token',
    description: 'HashiCorp Vault service token',
    segments: ['hvs.', ['url', 90, 120]],
    severity: 'critical',
  }),
  prefixed({
    id: 'vault-batch-token',
    description: 'HashiCorp Vault batch token',
    segments: ['hvb.', ['url', 138, 300]],
    severity: 'critical',
  }),
  named({
    id: 'vault-legacy-token',
    description: 'HashiCorp Vault token (legacy s.)',
    names: ['vault'],
    segments: ['s.', ['alnum', 24]],
  }),
  named({
    id: 'yandex-access-token',
    description: 'Yandex OAuth token',
    names: ['yandex'],
    segments: ['t1.', ['url', 20, 80], '.', ['url', 86]],
  }),
  prefixed({
    id: 'yandex-api-key',
    description: 'Yandex Cloud API key',
    segments: ['AQVN', ['url', 35, 38]],
    keywords: ['aqvn'],
  }),
  named({
    id: 'yandex-aws-access-token',
    description: 'Yandex Cloud static access key',
    names: ['yandex'],
    segments: ['YC', ['url', 38]],
  }),
  named({
    id: 'zendesk-secret-key',
    description: 'Zendesk API token',
    names: ['zendesk'],
    segments: [['alnum', 40]],
  }),
];
