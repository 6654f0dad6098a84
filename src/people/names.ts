/**
 * Names as people type them: NFKC folds compatibility forms (full-width letters, ligatures) and
 * format characters (zero-width joiners, bidirectional marks) are removed, so two spellings that
 * look the same compare the same and a hidden character cannot make a second "person".
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** The key two names are compared by: normalised and case-folded. */
export function comparableName(name: string): string {
  return normaliseName(name).toLocaleLowerCase('en');
}

/** E-mail addresses compare case-insensitively, after the same normalisation as names. */
export function comparableEmail(email: string): string {
  return normaliseName(email).toLowerCase();
}
