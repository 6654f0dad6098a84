import { hasValidTokenChecksum } from './checksum.js';
import type { ValidatorName } from './types.js';

/**
 * Words that mark a value as a placeholder or an example rather than a credential. Lowercase;
 * matched as substrings of the lowercased value, for the generic and password rules only.
 */
export const placeholderWords = [
  'changeme',
  'change_me',
  'change-me',
  'example',
  'placeholder',
  'xxxx',
  'your_',
  'your-',
  'yourpass',
  'yoursecret',
  'yourtoken',
  'dummy',
  'sample',
  'redacted',
  'replace',
  'insert',
  'fake',
  'todo',
  'notreal',
  'not_real',
  'not-a-real',
  'secret',
  'password',
  'passwd',
  'token',
  '****',
  '....',
  'undefined',
  'null',
  'none',
] as const;

/** Shapes that are references to a value kept elsewhere: `${VAR}`, `{{ x }}`, `<token>`, `%VAR%`, `$VAR`. */
const referencePatterns = [
  /\$\{[^}]{0,200}\}/,
  /\{\{[^}]{0,200}\}\}/,
  /<[^<>]{1,100}>/,
  /^%[A-Za-z_][A-Za-z0-9_]{0,100}%$/,
  /^\$[A-Za-z_][A-Za-z0-9_]{0,100}$/,
  /^(.)\1{5,}$/,
];

/** True when the value is a reference to a variable or template, or one repeated character. */
export function isReference(value: string): boolean {
  return referencePatterns.some((pattern) => pattern.test(value));
}

function hasPlaceholderWord(value: string): boolean {
  const lower = value.toLowerCase();
  return placeholderWords.some((word) => lower.includes(word));
}

/** Code, not a value: a dotted path (`config.apiKey2`), an ENV_NAME, a snake_case_name. */
const identifierPatterns = [
  /^[A-Za-z_$][\w$]{0,100}(?:\.[A-Za-z_$][\w$]{0,100}){1,20}$/,
  /^[A-Z0-9]{1,50}(?:_[A-Z0-9]{1,50}){1,20}$/,
  /^[a-z0-9]{1,50}(?:[_-][a-z0-9]{1,50}){1,20}$/,
];
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isGenericValue(value: string): boolean {
  if (isReference(value) || hasPlaceholderWord(value)) return false;
  if (!/[0-9]/.test(value) || !/[A-Za-z]/.test(value)) return false;
  if (identifierPatterns.some((pattern) => pattern.test(value))) return false;
  if (uuidPattern.test(value)) return false;
  // A file path or URL path is not a secret value.
  if (/^\.{0,2}\/[\w./-]{0,200}$/.test(value)) return false;
  return true;
}

function isPasswordValue(value: string): boolean {
  return !isReference(value) && !hasPlaceholderWord(value) && value.length >= 4;
}

function decodeJsonObject(base64: string): Record<string, unknown> | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(base64, 'base64url').toString('utf8'));
    return typeof decoded === 'object' && decoded !== null && !Array.isArray(decoded)
      ? (decoded as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A JWT: the header decodes to a JSON object naming its algorithm, the payload to a JSON object. */
function isJwt(value: string): boolean {
  const [header, payload] = value.split('.');
  if (header === undefined || payload === undefined) return false;
  const decodedHeader = decodeJsonObject(header);
  if (typeof decodedHeader?.['alg'] !== 'string') return false;
  // An encrypted JWT (JWE) has no readable payload; its header names the encryption instead.
  return typeof decodedHeader['enc'] === 'string' || decodeJsonObject(payload) !== undefined;
}

/** A JWT written in base64 (as Kubernetes secrets and some configs hold them). */
function isBase64Jwt(value: string): boolean {
  const decoded = Buffer.from(value, 'base64').toString('utf8').trim();
  return /^[\w-]{10,4000}\.[\w-]{10,12000}\.[\w-]{0,4000}$/.test(decoded) && isJwt(decoded);
}

/** Not a reference, placeholder or run of one character: tokens whose shape the regex already fixed. */
function isProviderValue(value: string): boolean {
  if (isReference(value)) return false;
  const lower = value.toLowerCase();
  if (
    ['example', 'placeholder', 'xxxxx', 'dummy', 'redacted', 'your_', 'your-', 'fake', 'notreal'].some(
      (word) => lower.includes(word),
    )
  )
    return false;
  // Sequences such as 0123456789abcdef or abcdefghij are keyboard filler, not random.
  return !/0123456789|abcdefghij|1234567890/i.test(value);
}

/** A base64 token whose decoded text is a JSON object (Grafana keys, 1Password service accounts). */
function isBase64Json(value: string, from = 0): boolean {
  return decodeJsonObject(value.slice(from).replace(/=+$/, '')) !== undefined;
}

/** Sentry org token: `sntrys_` + base64 JSON naming its issue time and region + `_` + secret. */
function isSentryOrgToken(value: string): boolean {
  const body = value.slice('sntrys_'.length, value.lastIndexOf('_'));
  const decoded = decodeJsonObject(body.replace(/=+$/, ''));
  return decoded !== undefined && 'iat' in decoded;
}

const derLabels = /^(?:RSA |EC |DSA |ENCRYPTED |)PRIVATE KEY$/;

/**
 * A private key block whose body is what its label says: DER (an ASN.1 SEQUENCE) for PKCS#1,
 * PKCS#8 and SEC1 keys, the `openssh-key-v1` magic for OpenSSH keys. Other armours (PGP, PuTTY,
 * vendor labels) only need a long enough base64 body. Truncated and elided bodies (`...`) fail.
 */
function isPrivateKeyBlock(block: string): boolean {
  const text = block.replace(/\\[nr]/g, '\n');
  const label = /-----BEGIN ([ A-Z0-9]{0,60}?)(?: BLOCK)?-----/.exec(text)?.[1]?.trim() ?? '';
  const inner = text.replace(/-----(?:BEGIN|END)[ A-Z0-9]{0,80}-----/g, '\n');
  if (/\.{3}|x{8}|…/i.test(inner)) return false;
  const rows = inner
    .split('\n')
    .map((row) => row.replace(/["',\s]/g, ''))
    .filter((row) => row.length > 0 && !row.startsWith('=') && !/^[\w-]{1,40}:/.test(row));
  const body = rows.join('');
  if (!/^[A-Za-z0-9+/]{40,}={0,2}$/.test(body)) return false;
  const bytes = Buffer.from(body, 'base64');
  if (label === 'OPENSSH PRIVATE KEY') return bytes.subarray(0, 15).toString('latin1') === 'openssh-key-v1\0';
  // An encrypted PEM (Proc-Type header) is DER only after decryption.
  if (derLabels.test(label) && !/Proc-Type:/.test(text)) return bytes[0] === 0x30 && bytes.length >= 64;
  return bytes.length >= 48;
}

/** An Azure storage account key is 64 random bytes in base64. */
function isAzureStorageKey(value: string): boolean {
  return Buffer.from(value, 'base64').length === 64 && isProviderValue(value);
}

/** `user:password` where the password is a real value (not `$PASS`, not a placeholder). */
function isUserPassword(value: string): boolean {
  const colon = value.indexOf(':');
  if (colon < 0) return false;
  const password = value.slice(colon + 1);
  // `x-oauth-basic` is GitHub's fixed word for "the user is the token" (git-url-oauth-token's case).
  if (password.toLowerCase() === 'x-oauth-basic') return false;
  // A run of one character (user:1111@, user:xxxx@) is filler, not a password.
  return isPasswordValue(password) && !/^[$%]/.test(password) && !/^(.)\1*$/.test(password);
}

/** A Kubernetes Secret data value: base64 of a non-placeholder text. */
function isKubernetesSecretValue(value: string): boolean {
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: decoded secrets must be printable text.
  if (decoded.length < 6 || /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(decoded)) return false;
  return isPasswordValue(decoded);
}

const validators: Record<ValidatorName, (secret: string) => boolean> = {
  'github-checksum': (secret) => hasValidTokenChecksum(secret.slice(4)),
  'npm-checksum': (secret) => hasValidTokenChecksum(secret.slice(4)),
  jwt: isJwt,
  // A prefix and an id before the JWT (ghs_<app id>_<jwt>): the JWT starts after the second underscore.
  'prefixed-jwt': (secret) => isJwt(secret.slice(secret.indexOf('_', secret.indexOf('_') + 1) + 1)),
  'base64-jwt': isBase64Jwt,
  'generic-value': isGenericValue,
  'password-value': isPasswordValue,
  'provider-value': isProviderValue,
  'upper-token': (secret) =>
    /[0-9]/.test(secret) && /[A-Z].*[A-Z]/.test(secret.slice(4)) && isProviderValue(secret),
  'base64-json': (secret) => isBase64Json(secret),
  'base64-json-after-prefix': (secret) => isBase64Json(secret, secret.indexOf('_') + 1),
  'sentry-org-token': isSentryOrgToken,
  'private-key-structure': isPrivateKeyBlock,
  'azure-storage-key': isAzureStorageKey,
  'user-password': isUserPassword,
  'kubernetes-secret-value': isKubernetesSecretValue,
};

export function validateSecret(name: ValidatorName, secret: string): boolean {
  return validators[name](secret);
}
