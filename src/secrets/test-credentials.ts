/**
 * Test credentials: a connection string to this machine (localhost, loopback) or to a CI service
 * container (a host name without a dot, as `services:` and compose files name them), whose password
 * is a well-known default or which sits in a test, CI or development file, is a test fixture, not
 * a leak. The same string pointing at a real host stays a leak.
 */

/** Rules whose match holds `scheme://user:password@host`. */
const urlRules = new Set(['connection-string-password', 'basic-auth-url']);

/** Default passwords of database images, tutorials and CI examples (lowercase). */
const wellKnownPasswords = new Set([
  'postgres',
  'postgrespassword',
  'password',
  'password1',
  'password123',
  'passw0rd',
  'p@ssw0rd',
  'pass',
  'pwd',
  'root',
  'rootpassword',
  'admin',
  'admin123',
  'secret',
  'example',
  'test',
  'tests',
  'testing',
  'testpass',
  'testpassword',
  'mysecretpassword',
  'changeme',
  'guest',
  'dev',
  'development',
  'local',
  'localdev',
  'docker',
  'mysql',
  'mariadb',
  'redis',
  'mongo',
  'mongodb',
  'rabbitmq',
  'sa',
  'yourstrong(!)password',
  'yourstrongpassw0rd',
  'yourstrong!passw0rd',
  'ci',
  'user',
  'app',
  'drizzle',
  'prisma',
  '123456',
  '12345678',
  'qwerty',
]);

/** Paths of tests, CI definitions, development compose files and example environment files. */
const testContextPatterns = [
  /(?:^|\/)(?:tests?|__tests__|specs?|testdata|test-data|fixtures?|integration-tests?|e2e|examples?|samples?|demo)\//i,
  /(?:^|\/)[^/]{1,200}[._-](?:test|tests|spec|e2e)\.[A-Za-z0-9]{1,8}$/i,
  /(?:^|\/)test_[^/]{1,200}\.py$/i,
  /(?:^|\/)\.github\/workflows\/[^/]{1,200}\.ya?ml$/i,
  /(?:^|\/)\.gitlab-ci\.ya?ml$/i,
  /(?:^|\/)\.circleci\//i,
  /(?:^|\/)(?:azure-pipelines|bitbucket-pipelines|\.travis|cloudbuild)\.ya?ml$/i,
  /(?:^|\/)Jenkinsfile$/,
  /(?:^|\/)(?:docker-)?compose(?:[._-][^/]{0,100})?\.ya?ml$/i,
  /(?:^|\/)\.env\.(?:example|sample|template|dist|defaults?|test|testing|ci|dev|development)$/i,
  /(?:^|\/)[^/]{0,100}\.(?:example|sample|template|dist)\.env$/i,
];

function hostOf(match: string): string | undefined {
  const at = match.lastIndexOf('@');
  if (at < 0) return undefined;
  const rest = match.slice(at + 1);
  if (rest.startsWith('[')) return rest.slice(1, rest.indexOf(']')).toLowerCase();
  return /^[A-Za-z0-9._-]{1,253}/.exec(rest)?.[0].toLowerCase();
}

/** localhost, loopback (also by a loopback DNS name), the any-address, Docker's host alias, or a dotless service-container name. */
export function isLocalOrServiceHost(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '0.0.0.0')
    return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true;
  if (host === 'host.docker.internal') return true;
  // Public names whose every subdomain resolves to loopback (localtest.me, lvh.me), and wildcard-DNS
  // names that spell a loopback address (127.0.0.1.nip.io, 127.0.0.1.sslip.io).
  if (/^(?:[a-z0-9-]{1,63}\.){0,10}(?:localtest\.me|lvh\.me)$/.test(host)) return true;
  if (/^(?:[a-z0-9-]{1,63}\.){0,10}127[.-]\d{1,3}[.-]\d{1,3}[.-]\d{1,3}\.(?:nip\.io|sslip\.io)$/.test(host))
    return true;
  return /^[a-z][a-z0-9_-]{0,62}$/.test(host);
}

/**
 * Names reserved for documentation (RFC 2606, RFC 6761, RFC 5737): no real service answers there,
 * so a password in a URL to one is an example, wherever it is written.
 */
export function isDocumentationHost(host: string): boolean {
  if (/^(?:[a-z0-9-]{1,63}\.){0,10}example\.(?:com|net|org)$/.test(host)) return true;
  if (/^(?:[a-z0-9-]{1,63}\.){0,10}[a-z0-9-]{1,63}\.(?:example|test|invalid)$/.test(host)) return true;
  return /^(?:192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$/.test(host);
}

export function isTestContextPath(path: string): boolean {
  return testContextPatterns.some((pattern) => pattern.test(path));
}

/**
 * Why this finding is a test credential, or undefined when it is not one. `match` is the rule's
 * whole match, `secret` what its secret group captured.
 */
export function testCredentialReason(
  ruleId: string,
  match: string,
  secret: string,
  path: string,
): string | undefined {
  if (!urlRules.has(ruleId)) return undefined;
  const host = hostOf(match);
  if (host !== undefined && isDocumentationHost(host))
    return `example credential: ${host} is reserved for documentation`;
  if (host === undefined || !isLocalOrServiceHost(host)) return undefined;
  const password = (secret.includes(':') ? secret.slice(secret.indexOf(':') + 1) : secret).toLowerCase();
  const user = /:\/\/([^:@/]{0,128}):/.exec(match)?.[1]?.toLowerCase();
  const where =
    host.includes('.') || host === 'localhost' || host === '::1' ? 'this machine' : 'a service container';
  if (wellKnownPasswords.has(password) || password === user) {
    return `test credential: a well-known default password for ${where} (${host})`;
  }
  if (isTestContextPath(path)) return `test credential: ${where} (${host}) in a test, CI or development file`;
  return undefined;
}
