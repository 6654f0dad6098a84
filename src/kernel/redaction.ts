import { createHash } from 'node:crypto';

/**
 * The redaction boundary: every string that came from a scanned repository passes through
 * `redactText` before it can reach an output, a log, an error, a store row or a ledger entry.
 * It is applied centrally (error construction, the assessment the engine returns, every store
 * and ledger write, every write of the command line to stdout, stderr or `--out`), so a new
 * message that quotes a repository line is covered without anyone remembering to call it.
 *
 * It recognises credentials by shape, with linear regular expressions only (no nested
 * quantifiers): a credential is replaced by its first characters, its length and a short
 * SHA-256, as `shipguard secrets` shows them.
 */

interface CredentialShape {
  kind: string;
  pattern: RegExp;
  /** Which capture group holds the value to hide; 0 (the whole match) by default. */
  group?: number;
  /** A second look at the value, for shapes too common to trust on their own. */
  accept?: (value: string) => boolean;
}

/**
 * Exactly 40 characters of base64 standing alone. Bounded on both sides by look-arounds, not by a
 * greedy `{40,}`: V8 keeps a backtrack entry per character of a greedy run, so a run of a few MB
 * (an upload, a minified file) overflowed the stack and redaction threw instead of answering.
 */
const base64Run = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/g;

/** Kinds covered; the hostile-input suite plants one of each in every file type. */
export const credentialShapes: readonly CredentialShape[] = [
  {
    kind: 'private-key',
    pattern:
      /-----BEGIN[A-Z ]{0,40}PRIVATE KEY-----[\s\S]{0,16384}?(?:-----END[A-Z ]{0,40}PRIVATE KEY-----|$)/g,
  },
  { kind: 'github-token', pattern: /(?:gh[pousr]_[A-Za-z0-9]{16,255}|github_pat_[A-Za-z0-9_]{22,255})/g },
  { kind: 'gitlab-token', pattern: /gl(?:pat|dt|rt|cbt|ptt)-[A-Za-z0-9_-]{20,255}/g },
  { kind: 'slack-token', pattern: /xox[abposrce]-[A-Za-z0-9-]{10,255}|xapp-[A-Za-z0-9-]{10,255}/g },
  { kind: 'slack-webhook', pattern: /hooks\.slack\.com\/(?:services|workflows)\/[A-Za-z0-9/_+-]{20,255}/g },
  {
    kind: 'aws-access-key-id',
    pattern: /(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z2-7]{16}\b/g,
  },
  {
    // 40 characters of base64 standing alone, mixing cases and digits: the shape of an AWS secret
    // access key. Git object names are lowercase hexadecimal and never match.
    kind: 'aws-secret-access-key',
    pattern: base64Run,
    accept: (value) => /[a-z]/.test(value) && /[A-Z]/.test(value) && /[0-9/+]/.test(value),
  },
  {
    // A longer base64 run right after a word that says AWS or secret (`aws_secret=` + a secret
    // glued to other base64): the whole run is hidden, since where the secret starts is unknowable.
    kind: 'aws-secret-in-run',
    // The word must begin its own token: "aws" met inside random base64 (a signature) is not one.
    pattern:
      /(?<![A-Za-z0-9/+])(?:aws|secret)[A-Za-z0-9_.-]{0,40}["']?[ \t]{0,5}(?::|=|:=|=>)?[ \t]{0,5}["']?([A-Za-z0-9/+]{41,512})/gi,
    group: 1,
    accept: (value) => /[a-z]/.test(value) && /[A-Z]/.test(value) && /[0-9/+]/.test(value),
  },
  { kind: 'stripe-key', pattern: /(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,255}/g },
  { kind: 'npm-token', pattern: /npm_[A-Za-z0-9]{36}\b/g },
  { kind: 'pypi-token', pattern: /pypi-AgE[A-Za-z0-9_-]{50,4096}/g },
  // shipguard serve's own API tokens (src/server/api/tokens.ts): `sgp_` + 43 base64url characters.
  { kind: 'shipguard-api-token', pattern: /sgp_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g },
  { kind: 'google-api-key', pattern: /AIza[0-9A-Za-z_-]{35}/g },
  { kind: 'openai-key', pattern: /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{32,255}/g },
  // Each part bounded (64 KiB is far beyond any token a provider issues): V8 keeps a backtrack
  // entry per character of an unbounded run, so a run of a few MB overflowed the stack.
  { kind: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,65536}\.eyJ[A-Za-z0-9_-]{8,65536}\.[A-Za-z0-9_-]{8,65536}/g },
  {
    // The user information of a URL (`https://token@host`, `https://user:password@host`); a short
    // plain user name such as `git@` is kept, it is not a secret.
    kind: 'url-credentials',
    pattern: /\b[a-z][a-z0-9+.-]{0,30}:\/\/([^\s/@"'\\<>`]{1,1024})@/gi,
    group: 1,
    // `user:***` is a password already masked (the store's own messages): nothing left to hide.
    accept: (value) => !value.endsWith(':***') && (value.includes(':') || value.length >= 16),
  },
  {
    // `password = …`, `api_key: …`, `token=…`: the value after a name that says it is secret.
    kind: 'assigned-secret',
    pattern:
      /(?:secret|passw(?:or)?d|pwd|token|api[_-]?key|access[_-]?key|auth[_-]?key|credential|private[_-]?key)[A-Za-z0-9_.-]{0,30}["']?[ \t]{0,5}(?::|=|:=|=>)[ \t]{0,5}["']?([^\s"'`,;<>]{8,1024})/gi,
    group: 1,
    accept: (value) => /[0-9A-Z/+_-]/.test(value) && !value.includes('…') && !isDigest(value),
  },
];

/** Digests (git object names, SHA-256) are not secrets, whatever name they are given. */
function isDigest(value: string): boolean {
  return /^(?:sha(?:1|256|512)[:-])?(?:[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$/.test(value);
}

/** `ghp_… (40 chars, sha256:1a2b3c4d5e6f)`: the same shape `shipguard secrets` prints. */
export function describeHiddenValue(value: string): string {
  const shown = Math.min(4, Math.floor(value.length / 4));
  const digest = createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 12);
  return `${value.slice(0, shown)}… (${value.length} chars, sha256:${digest})`;
}

/** Replaces every credential-shaped part of `text`; text without one comes back unchanged. */
export function redactText(text: string): string {
  if (text.length < 8) return text;
  try {
    return replaceCredentials(text);
  } catch (error) {
    // Text that could not be checked is not let through: the boundary fails closed.
    if (error instanceof RangeError)
      return `[${text.length} characters withheld: they could not be checked for credentials]`;
    throw error;
  }
}

function replaceCredentials(text: string): string {
  let result = text;
  for (const shape of credentialShapes) {
    shape.pattern.lastIndex = 0;
    result = result.replace(shape.pattern, (match: string, ...rest: unknown[]) => {
      const group = shape.group ?? 0;
      const value = group === 0 ? match : rest[group - 1];
      if (typeof value !== 'string' || value.length === 0) return match;
      if (shape.accept && !shape.accept(value)) return match;
      // A multi-line value (a private key) keeps its line breaks, so later line numbers still hold.
      const hidden = describeHiddenValue(value) + '\n'.repeat(countLineBreaks(value));
      if (group === 0) return hidden;
      const at = match.lastIndexOf(value);
      return `${match.slice(0, at)}${hidden}${match.slice(at + value.length)}`;
    });
  }
  return result;
}

function countLineBreaks(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count += 1;
  return count;
}

/** True when `text` holds something `redactText` would hide. */
export function containsCredential(text: string): boolean {
  return redactText(text) !== text;
}

/**
 * Proofs shipguard has itself verified and keeps on purpose as evidence (a CI workload's ID token
 * behind a ledgered approval: signed by its issuer, short-lived, honoured once). They pass the
 * boundary whole, because a redacted proof can no longer be verified by an auditor. Marked by
 * object identity, so repository text can never mark itself.
 */
const verifiedProofs = new WeakSet<object>();

/** Marks `proof` as verified evidence that `redactDeep` keeps whole; returns it. */
export function keepVerifiedProof<T extends object>(proof: T): T {
  verifiedProofs.add(proof);
  return proof;
}

/**
 * A copy of `value` with every string (and every object key) passed through `redactText`,
 * except proofs marked with `keepVerifiedProof`.
 * Walks with an explicit stack, so a deep document cannot overflow the call stack.
 */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (value === null || typeof value !== 'object') return value;
  const root: { value: unknown } = { value: undefined };
  const pending: Array<{ source: unknown; assign: (copy: unknown) => void }> = [
    { source: value, assign: (copy) => (root.value = copy) },
  ];
  while (pending.length > 0) {
    const { source, assign } = pending.pop() as (typeof pending)[number];
    if (typeof source === 'string') {
      assign(redactText(source));
    } else if (typeof source === 'object' && source !== null && verifiedProofs.has(source)) {
      assign(source);
    } else if (Array.isArray(source)) {
      const copy: unknown[] = new Array(source.length);
      assign(copy);
      for (const [index, item] of source.entries()) {
        pending.push({ source: item, assign: (next) => (copy[index] = next) });
      }
    } else if (
      source !== null &&
      typeof source === 'object' &&
      !(source instanceof Date) &&
      !ArrayBuffer.isView(source)
    ) {
      const copy: Record<string, unknown> = {};
      assign(copy);
      for (const [key, item] of Object.entries(source)) {
        const safeKey = redactText(key);
        pending.push({ source: item, assign: (next) => (copy[safeKey] = next) });
      }
    } else {
      assign(source);
    }
  }
  return root.value as T;
}
