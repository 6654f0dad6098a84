import { describe, expect, it } from 'vitest';
import { thrownCode } from '../testing/thrown-code.js';
import { canonicalize, parseCanonical } from './canonical-json.js';
import { LedgerError } from './errors.js';

function fromBits(hex: string): number {
  return Buffer.from(hex, 'hex').readDoubleBE(0);
}

const codeOf = (run: () => unknown) => thrownCode(LedgerError, run);

describe('RFC 8785 canonical JSON', () => {
  it('canonicalises the example of §3.2.2', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        ' "literals": [null, true, false]}',
    );
    expect(canonicalize(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units as in §3.2.3', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    const keys = Object.keys(JSON.parse(canonicalize(input)) as object);
    // Integer-like keys come first in JS property order, so compare the serialised order instead.
    const text = canonicalize(input);
    const order = ['\\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'].map((key) =>
      text.indexOf(`"${key}"`),
    );
    expect(order.every((position, index) => index === 0 || position > (order[index - 1] ?? 0))).toBe(true);
    expect(keys).toHaveLength(7);
  });

  it('serialises numbers as in Appendix B', () => {
    const cases: Array<[string, string]> = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['41b3de4355555553', '333333333.3333332'],
    ];
    for (const [bits, expected] of cases) expect(canonicalize(fromBits(bits)), bits).toBe(expected);
  });

  it('rejects what JCS cannot represent', () => {
    for (const value of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      fromBits('7fffffffffffffff'),
      'lone \ud800 high',
      'lone \udc00 low',
      { key: undefined },
      [() => 1],
      10n,
      new Date(0),
      new Map(),
    ]) {
      expect(
        codeOf(() => canonicalize(value)),
        String(value),
      ).toBe('CANONICAL_JSON_INVALID');
    }
    let deep: unknown = 1;
    for (let i = 0; i < 200; i += 1) deep = [deep];
    expect(codeOf(() => canonicalize(deep))).toBe('CANONICAL_JSON_INVALID');
  });

  it('keeps valid surrogate pairs and escapes control characters in lower case', () => {
    expect(canonicalize('\ud83d\ude00')).toBe('"\ud83d\ude00"');
    expect(canonicalize('\u001f\b\t\f')).toBe('"\\u001f\\b\\t\\f"');
    expect(canonicalize({ b: [1, { d: 1, c: 2 }], a: 'x' })).toBe('{"a":"x","b":[1,{"c":2,"d":1}]}');
  });

  it('tells canonical text from other spellings of the same value', () => {
    expect(parseCanonical('{"a":1,"b":2}').canonical).toBe(true);
    expect(parseCanonical('{"b":2,"a":1}').canonical).toBe(false);
    expect(parseCanonical('{"a": 1}').canonical).toBe(false);
    expect(codeOf(() => parseCanonical('{'))).toBe('CANONICAL_JSON_INVALID');
  });
});
