/**
 * Detectors of real-looking personal data in test data. Each is a bounded regular expression
 * plus a validity test (Luhn, mod-97, prefix rules), so that random digits are not reported.
 * Values are never returned whole: only a masked form.
 */

export type PersonalDataKind =
  | 'email'
  | 'card-number'
  | 'uk-national-insurance'
  | 'iban'
  | 'phone'
  | 'sql-user-dump';

export interface PersonalDataMatch {
  kind: PersonalDataKind;
  line: number;
  column: number;
  masked: string;
}

export interface DetectOptions {
  allowEmailDomains: readonly string[];
}

const reservedDomain = /(^|\.)(example\.(com|org|net)|example|test|invalid|localhost|local)$/i;
const emailPattern = /\b[A-Za-z0-9._%+-]{1,64}@((?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24})\b/g;
const nonPersonalLocalPart =
  /^(noreply|no-reply|donotreply|git|root|admin|postmaster|hostmaster|webmaster|security|support|info|abuse)$/i;

/** Well-known test values published by payment providers and banks, allowed by design. */
const knownTestCards = new Set([
  '4111111111111111',
  '4242424242424242',
  '4012888888881881',
  '4000056655665556',
  '4000000000000002',
  '4000000000009995',
  '5555555555554444',
  '5105105105105100',
  '5200828282828210',
  '2223003122003222',
  '378282246310005',
  '371449635398431',
  '6011111111111117',
  '6011000990139424',
  '3530111333300000',
  '3566002020360505',
]);
const knownTestIbans = new Set([
  'GB82WEST12345698765432',
  'DE89370400440532013000',
  'GB33BUKB20201555555555',
  'FR1420041010050500013M02606',
]);

const cardPattern = /(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])/g;
const ninoPattern = /\b([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])\b/g;
const ibanPattern = /\b([A-Z]{2})(\d{2})((?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?)\b/g;
const phonePattern = /(?<![\w+])\+(\d{1,3})[ .-]?(?:\(0?\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){1,4}\b/g;
const sqlInsert =
  /\bINSERT\s+INTO\s+[`"[]?(?:\w+[`"\]]?\.)?[`"[]?(users?|customers?|accounts?|people|persons?|members?|employees?|clients?|patients?|contacts?|profiles?)[`"\]]?/i;
const dumpHeader = /^-- (MySQL dump|PostgreSQL database dump|Dump(ed)? (from|of)|MariaDB dump)/m;

const ibanLengths: Readonly<Record<string, number>> = {
  GB: 22,
  DE: 22,
  FR: 27,
  ES: 24,
  IT: 27,
  NL: 18,
  BE: 16,
  IE: 22,
  PT: 25,
  AT: 20,
  CH: 21,
  SE: 24,
  NO: 15,
  DK: 18,
  FI: 18,
  PL: 28,
  LU: 20,
  CZ: 24,
  GR: 27,
  HU: 28,
  RO: 24,
  SK: 24,
  SI: 19,
  HR: 21,
  BG: 22,
  LT: 20,
  LV: 21,
  EE: 20,
  MT: 31,
  CY: 28,
  IS: 26,
  LI: 21,
  MC: 27,
  SM: 27,
  AD: 24,
  GI: 23,
};

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Issuer prefixes and lengths of the common card schemes. */
function plausibleCard(digits: string): boolean {
  const length = digits.length;
  if (/^4/.test(digits)) return length === 13 || length === 16 || length === 19;
  if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(digits)) return length === 16;
  if (/^3[47]/.test(digits)) return length === 15;
  if (/^(6011|65|64[4-9])/.test(digits)) return length === 16 || length === 19;
  if (/^35(2[89]|[3-8]\d)/.test(digits)) return length === 16;
  return false;
}

export function ibanValid(iban: string): boolean {
  const compact = iban.replace(/ /g, '');
  const expected = ibanLengths[compact.slice(0, 2)];
  if (expected === undefined || compact.length !== expected) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const character of rearranged) {
    const value = /[A-Z]/.test(character) ? String(character.charCodeAt(0) - 55) : character;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

const invalidNinoPrefixes = new Set(['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ']);

/** Ofcom's drama ranges and the North American 555-01xx range are fictional by design. */
function fictionalPhone(digits: string): boolean {
  if (/^447700900\d{3}$/.test(digits)) return true;
  if (
    /^44(1134960|1144960|1154960|1164960|1174960|1184960|1214960|1314960|1414960|1514960|1614960|2079460|2890180|2920180|1632960|8081570909|9098790)\d*$/.test(
      digits,
    )
  )
    return true;
  if (/^1\d{3}55501\d{2}$/.test(digits)) return true;
  return false;
}

function maskDigits(value: string): string {
  const digits = value.replace(/\D/g, '');
  return `${'*'.repeat(Math.max(0, digits.length - 4))}${digits.slice(-4)}`;
}

function maskText(value: string): string {
  const compact = value.replace(/ /g, '');
  return compact.length <= 6
    ? '******'
    : `${compact.slice(0, 2)}${'*'.repeat(compact.length - 4)}${compact.slice(-2)}`;
}

const maxLineLength = 10_000;

/** Finds personal data in one file's text; lines with `shipguard:allow` are skipped. */
export function detectPersonalData(text: string, options: DetectOptions): PersonalDataMatch[] {
  const matches: PersonalDataMatch[] = [];
  const allowedDomains = options.allowEmailDomains.map((domain) => domain.toLowerCase());
  const lines = text.split('\n');
  let userInserts = 0;
  let firstInsert: { line: number; column: number } | undefined;
  for (const [index, line] of lines.entries()) {
    if (line.length > maxLineLength || line.includes('shipguard:allow')) continue;
    const at = (column: number) => ({ line: index + 1, column: column + 1 });
    for (const match of line.matchAll(emailPattern)) {
      const domain = (match[1] ?? '').toLowerCase();
      const local = match[0].slice(0, match[0].indexOf('@'));
      if (reservedDomain.test(domain) || nonPersonalLocalPart.test(local)) continue;
      if (allowedDomains.some((allowed) => domain === allowed || domain.endsWith(`.${allowed}`))) continue;
      if (domain.endsWith('noreply.github.com')) continue;
      matches.push({ kind: 'email', ...at(match.index ?? 0), masked: `${local.slice(0, 1)}***@${domain}` });
    }
    for (const match of line.matchAll(cardPattern)) {
      const digits = match[0].replace(/[ -]/g, '');
      if (knownTestCards.has(digits) || !plausibleCard(digits) || !luhnValid(digits)) continue;
      // Separators must group consistently (4-4-4-4 or none), not be a list of numbers.
      if (/[ -]/.test(match[0]) && !/^\d{4}([ -])\d{4,6}\1\d{4,5}(\1\d{1,4})?$/.test(match[0])) continue;
      matches.push({ kind: 'card-number', ...at(match.index ?? 0), masked: maskDigits(digits) });
    }
    for (const match of line.matchAll(ninoPattern)) {
      if (invalidNinoPrefixes.has(match[1] ?? '')) continue;
      matches.push({ kind: 'uk-national-insurance', ...at(match.index ?? 0), masked: maskText(match[0]) });
    }
    for (const match of line.matchAll(ibanPattern)) {
      const compact = match[0].replace(/ /g, '');
      if (knownTestIbans.has(compact) || !ibanValid(compact)) continue;
      matches.push({ kind: 'iban', ...at(match.index ?? 0), masked: maskText(compact) });
    }
    for (const match of line.matchAll(phonePattern)) {
      const digits = match[0].replace(/\D/g, '');
      if (digits.length < 10 || digits.length > 15 || fictionalPhone(digits)) continue;
      matches.push({ kind: 'phone', ...at(match.index ?? 0), masked: `+${maskDigits(digits)}` });
    }
    const insert = sqlInsert.exec(line);
    if (insert) {
      userInserts += 1;
      firstInsert ??= at(insert.index);
    }
  }
  // A dump of a user table is reported once per file: as a dump, or when it holds many rows.
  if (firstInsert && (dumpHeader.test(text) || userInserts >= 100)) {
    matches.push({
      kind: 'sql-user-dump',
      ...firstInsert,
      masked: `${userInserts} INSERT statement(s) into a user table`,
    });
  }
  return matches;
}
