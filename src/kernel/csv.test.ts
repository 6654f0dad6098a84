import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads quoted cells with commas, escaped quotes and line breaks, and gives each row its first line', () => {
    const table = parseCsv('\uFEFFid,note\r\n1,"a, ""b""\nc"\n\n2,plain\n', 'x.csv');
    expect(table.header).toEqual(['id', 'note']);
    expect(table.rows).toEqual([
      { line: 2, values: { id: '1', note: 'a, "b"\nc' } },
      { line: 5, values: { id: '2', note: 'plain' } },
    ]);
  });

  it('refuses an unclosed quote, a row longer than the header, a repeated column and too many rows', () => {
    expect(() => parseCsv('a\n"open\n', 'x.csv')).toThrow(
      expect.objectContaining({ code: 'CSV_MALFORMED', location: { path: 'x.csv', line: 2 } }),
    );
    expect(() => parseCsv('a,b\n1,2,3\n', 'x.csv')).toThrow(
      expect.objectContaining({ code: 'CSV_MALFORMED', location: { path: 'x.csv', line: 2 } }),
    );
    expect(() => parseCsv('a,a\n', 'x.csv')).toThrow(expect.objectContaining({ code: 'CSV_MALFORMED' }));
    expect(() => parseCsv('a\n1\n2\n3\n', 'x.csv', { maxRows: 2 })).toThrow(
      expect.objectContaining({ code: 'CSV_TOO_LARGE' }),
    );
    expect(() => parseCsv('a\nx"y\n', 'x.csv')).toThrow(expect.objectContaining({ code: 'CSV_MALFORMED' }));
  });
});
