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

/** A JWT's header decodes to a JSON object naming its algorithm. */
function isJwt(value: string): boolean {
  const header = value.slice(0, value.indexOf('.'));
  try {
    const decoded: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    return (
      typeof decoded === 'object' &&
      decoded !== null &&
      typeof (decoded as Record<string, unknown>)['alg'] === 'string'
    );
  } catch {
    return false;
  }
}

const validators: Record<ValidatorName, (secret: string) => boolean> = {
  'github-checksum': (secret) => hasValidTokenChecksum(secret.slice(4)),
  'npm-checksum': (secret) => hasValidTokenChecksum(secret.slice(4)),
  jwt: isJwt,
  'generic-value': isGenericValue,
  'password-value': isPasswordValue,
};

export function validateSecret(name: ValidatorName, secret: string): boolean {
  return validators[name](secret);
}
