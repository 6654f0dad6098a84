import { nameKey, normaliseName } from '../identity/index.js';

/**
 * Names as people type them: one definition for all of shipguard (src/identity): NFKC, format and
 * control characters removed, white space collapsed. A hidden character never makes a second person.
 */
export { normaliseName };

/** The key two names are compared by: normalised and case-folded. */
export function comparableName(name: string): string {
  return nameKey(name);
}

/** E-mail addresses compare case-insensitively, after the same normalisation as names. */
export function comparableEmail(email: string): string {
  return normaliseName(email).toLowerCase();
}
