import { crc32 } from 'node:zlib';

const base62Alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Base62 of a non-negative integer, left-padded with zeros to `width`. */
export function encodeBase62(value: number, width: number): string {
  let text = '';
  let rest = value;
  while (rest > 0) {
    text = base62Alphabet[rest % 62] + text;
    rest = Math.floor(rest / 62);
  }
  return text.padStart(width, '0');
}

/**
 * The checksum GitHub (ghp_, gho_, ghu_, ghs_, ghr_) and npm (npm_) put in their tokens: CRC32 of
 * the 30 random characters, in base62, as the last 6 characters.
 */
export function tokenChecksum(random: string): string {
  return encodeBase62(crc32(random) >>> 0, 6);
}

/** True when `body` (the part after the prefix) is 30 random characters plus their checksum. */
export function hasValidTokenChecksum(body: string): boolean {
  if (body.length !== 36) return false;
  return tokenChecksum(body.slice(0, 30)) === body.slice(30);
}
