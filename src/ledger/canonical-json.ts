/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): object keys sorted by UTF-16 code units, no
 * whitespace, numbers in ECMAScript's shortest round-trip form, strings escaped minimally.
 * Values JCS cannot represent (non-finite numbers, lone surrogates, undefined, functions,
 * bigints, class instances, cycles) are a typed error, never silently changed.
 */
import { LedgerError } from './errors.js';

const maxDepth = 128;

function reject(message: string, path: string): never {
  throw new LedgerError('CANONICAL_JSON_INVALID', `${path}: ${message}`);
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function serializeString(text: string, path: string): string {
  if (loneSurrogate.test(text)) reject('the string contains a lone surrogate (not valid Unicode)', path);
  // For well-formed strings, JSON.stringify escapes exactly what RFC 8785 §3.2.2.2 asks for.
  return JSON.stringify(text);
}

function serializeNumber(value: number, path: string): string {
  if (!Number.isFinite(value)) reject(`${value} is not a finite number`, path);
  // ECMAScript Number-to-String is the serialisation RFC 8785 §3.2.2.3 prescribes; -0 becomes 0.
  return JSON.stringify(value);
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function serialize(value: unknown, path: string, depth: number): string {
  if (depth > maxDepth) reject(`nested deeper than ${maxDepth} levels`, path);
  switch (typeof value) {
    case 'string':
      return serializeString(value, path);
    case 'number':
      return serializeNumber(value, path);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        const items: string[] = [];
        for (let index = 0; index < value.length; index += 1) {
          items.push(serialize(value[index], `${path}[${index}]`, depth + 1));
        }
        return `[${items.join(',')}]`;
      }
      if (!isPlainObject(value)) reject('only plain objects can be canonicalised', path);
      // The default sort compares UTF-16 code units, which is what RFC 8785 §3.2.3 requires.
      const keys = Object.keys(value).sort();
      const members: string[] = [];
      for (const key of keys) {
        const member = value[key];
        if (member === undefined) reject(`key ${JSON.stringify(key)} is undefined`, path);
        members.push(`${serializeString(key, path)}:${serialize(member, `${path}.${key}`, depth + 1)}`);
      }
      return `{${members.join(',')}}`;
    }
    default:
      return reject(`a ${typeof value} has no JSON form`, path);
  }
}

/** The RFC 8785 canonical JSON text of a value. */
export function canonicalize(value: unknown): string {
  return serialize(value, '$', 0);
}

/** The canonical JSON of a value as UTF-8 bytes (what gets hashed). */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalize(value), 'utf8');
}

/** Parses JSON text and says whether it was already canonical. */
export function parseCanonical(text: string): { value: unknown; canonical: boolean } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LedgerError('CANONICAL_JSON_INVALID', 'not JSON', { cause: error });
  }
  return { value, canonical: canonicalize(value) === text };
}
