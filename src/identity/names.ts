/**
 * Names as people type them are display text, never identity: two names that look the same must
 * compare the same. NFKC folds compatibility forms (full-width letters, ligatures); format
 * characters (zero-width space and joiners, soft hyphen, bidi controls) and control characters are
 * removed; runs of white space become one space.
 */
const invisible = /[\p{Cf}\p{Cc}\p{Zl}\p{Zp}]/gu;

export function normaliseName(text: string): string {
  return text.normalize('NFKC').replace(invisible, '').replace(/\s+/gu, ' ').trim().slice(0, 200);
}

/** The form two names are compared in: normalised, then case-folded. */
export function nameKey(text: string): string {
  return normaliseName(text).toLowerCase().normalize('NFKC');
}

export function sameName(a: string, b: string): boolean {
  const left = nameKey(a);
  return left !== '' && left === nameKey(b);
}

/** `Name <email>` split into its parts, each normalised; either may be empty. */
export function splitNameAndEmail(text: string): { name: string; email: string } {
  const normalised = normaliseName(text);
  const open = normalised.indexOf('<');
  const close = normalised.indexOf('>', open);
  if (open === -1 || close === -1) {
    return normalised.includes('@') && !normalised.includes(' ')
      ? { name: '', email: normalised.toLowerCase() }
      : { name: normalised, email: '' };
  }
  return {
    name: normalised.slice(0, open).trim(),
    email: normalised
      .slice(open + 1, close)
      .trim()
      .toLowerCase(),
  };
}

/** Same person by name or e-mail (normalised, case-insensitive); `Name <email>` matches either part. */
export function samePersonName(a: string, b: string): boolean {
  const left = personKeys(a);
  return personKeys(b).some((key) => left.includes(key));
}

function personKeys(text: string): string[] {
  const { name, email } = splitNameAndEmail(text);
  return [nameKey(name), email].filter((key) => key !== '');
}
