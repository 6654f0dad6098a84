import { createHash } from 'node:crypto';

/** What shipguard shows of a secret: never the whole value. */
export interface RedactedSecret {
  /** At most 4 characters, fewer for short secrets, so that little of it is disclosed. */
  prefix: string;
  length: number;
  /** SHA-256 of the secret (hex), to recognise the same secret elsewhere without showing it. */
  sha256: string;
}

export function redactSecret(secret: string): RedactedSecret {
  const shown = Math.min(4, Math.floor(secret.length / 4));
  return {
    prefix: secret.slice(0, shown),
    length: secret.length,
    sha256: createHash('sha256').update(secret, 'utf8').digest('hex'),
  };
}

/** `ghp_… (40 chars, sha256:1a2b3c4d5e6f)` */
export function describeRedacted(secret: RedactedSecret): string {
  return `${secret.prefix}… (${secret.length} chars, sha256:${secret.sha256.slice(0, 12)})`;
}
