import { describe, expect, it } from 'vitest';
import { findCatastrophicBacktracking } from './regex-safety.js';

describe('findCatastrophicBacktracking', () => {
  it.each([
    '(a|aa)+$',
    '(a+)+$',
    '(\\w+\\s?)*$',
    '(?:a{2,5})+',
    '(?:x|xy){20}',
    '^(?:[a-z]+\\.?)*$',
    '(.*a){30}',
  ])('refuses %s', (source) => {
    expect(findCatastrophicBacktracking(source)).toBeDefined();
  });

  it.each([
    'ghp_[0-9a-zA-Z]{36}',
    '(?:-|_)+',
    '(?:\\.[A-Za-z]\\w+)+',
    '[a-z0-9]{8}-([a-z0-9]{4}-){3}[a-z0-9]{12}',
    '(?i)\\b(?:api|token)[\\w.-]{0,20}["\']?\\s*[:=]\\s*([A-Za-z0-9]{32})',
    'xox[pe](?:-[0-9]{10,13}){3}-[a-zA-Z0-9-]{28,34}',
  ])('accepts %s', (source) => {
    expect(findCatastrophicBacktracking(source)).toBeUndefined();
  });

  it('reads an unclosed \\u{ escape in one pass (it used to step back and loop forever)', () => {
    expect(findCatastrophicBacktracking('(abc)+\\u{12')).toBeUndefined();
    expect(findCatastrophicBacktracking('(a|aa)+\\u{')).toBeDefined();
  });
});
