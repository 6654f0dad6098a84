import { maxVersionLength } from '../npm/index.js';

/**
 * Composer order: a leading `v` is dropped (Composer's normalisation), then PHP's
 * version_compare: `-`, `_` and `+` become dots, a dot goes between digits and letters, parts
 * compare numerically, or by stability (dev < alpha = a < beta = b < RC = rc < # < pl = p);
 * a number beats any stability word and an unknown word sorts first.
 */
export function compareComposerVersions(left: string, right: string): number {
  return phpVersionCompare(normalize(left), normalize(right));
}

function normalize(version: string): string {
  const text = version.trim().slice(0, maxVersionLength);
  return /^[vV]\d/.test(text) ? text.slice(1) : text;
}

function isDigit(character: string | undefined): boolean {
  return character !== undefined && character >= '0' && character <= '9';
}

/** PHP's canonical form: separators to dots, dots at digit/non-digit transitions. */
function canonicalize(version: string): string {
  if (version === '') return '';
  let out = version[0] ?? '';
  let previous = version[0] ?? '';
  for (const character of version.slice(1)) {
    const last = out[out.length - 1];
    const previousDigit = isDigit(previous);
    const previousOther = !isDigit(previous) && previous !== '.';
    const currentDigit = isDigit(character);
    const currentOther = !currentDigit && character !== '.';
    if (character === '-' || character === '_' || character === '+') {
      if (last !== '.') out += '.';
    } else if ((previousOther && currentDigit) || (previousDigit && currentOther)) {
      if (last !== '.') out += '.';
      out += character;
    } else if (!/[A-Za-z0-9#]/.test(character)) {
      // `#` is kept: it is version_compare's own marker for "a number here".
      if (last !== '.') out += '.';
    } else {
      out += character;
    }
    previous = character;
  }
  return out;
}

const specialForms: ReadonlyArray<[string, number]> = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];

function specialFormOrder(form: string): number {
  for (const [name, order] of specialForms) if (form.startsWith(name)) return order;
  return -6;
}

function compareSpecialForms(a: string, b: string): number {
  return Math.sign(specialFormOrder(a) - specialFormOrder(b));
}

function compareNumbers(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x === y ? 0 : x < y ? -1 : 1;
}

function phpVersionCompare(left: string, right: string): number {
  if (left === '' || right === '') {
    if (left === '' && right === '') return 0;
    return left === '' ? -1 : 1;
  }
  const a = canonicalize(left).split('.');
  const b = canonicalize(right).split('.');
  let index = 0;
  let result = 0;
  while (index < a.length && index < b.length && result === 0) {
    const x = a[index] ?? '';
    const y = b[index] ?? '';
    const xDigit = isDigit(x[0]);
    const yDigit = isDigit(y[0]);
    if (xDigit && yDigit) result = compareNumbers(x, y);
    else if (!xDigit && !yDigit) result = compareSpecialForms(x, y);
    else if (xDigit) result = compareSpecialForms('#N#', y);
    else result = compareSpecialForms(x, '#N#');
    index++;
  }
  if (result !== 0) return result;
  if (index < a.length) {
    const rest = a[index] ?? '';
    return isDigit(rest[0]) ? 1 : phpVersionCompare(a.slice(index).join('.'), '#N#');
  }
  if (index < b.length) {
    const rest = b[index] ?? '';
    return isDigit(rest[0]) ? -1 : phpVersionCompare('#N#', b.slice(index).join('.'));
  }
  return 0;
}
