import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob } from './glob.js';

/** The regular expression such globs were matched with: right on short inputs, exponential on long ones. */
function regexOf(pattern: string): RegExp {
  const source = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${source}$`);
}

describe('compileGlob', () => {
  it('matches as `*` within a segment and `**` across segments do', () => {
    expect(compileGlob('ci/*.yml')('ci/a.yml')).toBe(true);
    expect(compileGlob('ci/*.yml')('ci/a/b.yml')).toBe(false);
    expect(compileGlob('ci/**.yml')('ci/a/b.yml')).toBe(true);
    expect(compileGlob('ci/**/x.yml')('ci/a/b/x.yml')).toBe(true);
    expect(compileGlob('a.b')('axb')).toBe(false);
    expect(compileGlob('')('')).toBe(true);
    expect(compileGlob('*')('')).toBe(true);
    expect(compileGlob('*')('a/b')).toBe(false);
  });

  it('agrees with the regular expression on short paths and patterns', () => {
    const text = (chars: string[], maxLength: number) =>
      fc.array(fc.constantFrom(...chars), { maxLength }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(
        text(['a', 'b', '/', '.', '*', '**'], 8),
        text(['a', 'b', '/', '.'], 12),
        (pattern, path) => {
          expect(compileGlob(pattern)(path)).toBe(regexOf(pattern).test(path));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('answers a pattern that backtracks catastrophically as a regular expression at once', () => {
    const started = Date.now();
    expect(compileGlob(`${'*a'.repeat(20)}x`)('a'.repeat(4000))).toBe(false);
    expect(compileGlob(`${'**a'.repeat(20)}x`)(`${'a/'.repeat(2000)}`)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
