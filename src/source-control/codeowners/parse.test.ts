import { describe, expect, it } from 'vitest';
import { isOwner, parseCodeowners } from './parse.js';

describe('parseCodeowners', () => {
  it('reads rules with their line numbers, skipping comments and blank lines', () => {
    const parsed = parseCodeowners(
      [
        '# owners',
        '',
        '*       @acme/platform',
        '/docs/  docs@example.com @writer # inline',
        '/vendor/',
      ].join('\n'),
    );
    expect(parsed.invalidLines).toEqual([]);
    expect(parsed.rules).toEqual([
      { line: 3, pattern: '*', owners: ['@acme/platform'] },
      { line: 4, pattern: '/docs/', owners: ['docs@example.com', '@writer'] },
      { line: 5, pattern: '/vendor/', owners: [] },
    ]);
  });

  it('keeps escaped spaces and hashes inside patterns', () => {
    const parsed = parseCodeowners('my\\ file.txt @a\n\\#hash @b\r\n');
    expect(parsed.rules.map((rule) => rule.pattern)).toEqual(['my\\ file.txt', '\\#hash']);
  });

  it('reports negation, character ranges, bad owners and over-long lines with their line', () => {
    const parsed = parseCodeowners(
      [
        '!secret.txt @a',
        '*.[ch] @b',
        'src/ owner-without-at',
        `${'x'.repeat(5000)} @c`,
        'ok @d',
        `${'a/'.repeat(40)} @e`,
      ].join('\n'),
    );
    expect(parsed.invalidLines.map((invalid) => invalid.line)).toEqual([1, 2, 3, 4, 6]);
    expect(parsed.invalidLines[4]?.reason).toBe('pattern with more than 32 path segments');
    expect(parsed.invalidLines[2]?.reason).toContain('owner-without-at');
    expect(parsed.invalidLines[3]?.text.length).toBe(200);
    expect(parsed.rules).toEqual([{ line: 5, pattern: 'ok', owners: ['@d'] }]);
  });

  it('gives GitLab section default owners to rules without owners', () => {
    const parsed = parseCodeowners(
      ['[Docs] @docs-team', '/docs/', '/guide/ @writer', '^[Optional][2]', '/misc/'].join('\n'),
    );
    expect(parsed.invalidLines).toEqual([]);
    expect(parsed.rules).toEqual([
      { line: 2, pattern: '/docs/', owners: ['@docs-team'], section: 'Docs' },
      { line: 3, pattern: '/guide/', owners: ['@writer'] },
      { line: 5, pattern: '/misc/', owners: [] },
    ]);
  });

  it('recognises owner forms', () => {
    expect(isOwner('@octocat')).toBe(true);
    expect(isOwner('@acme/platform-team')).toBe(true);
    expect(isOwner('@group/sub/group')).toBe(true);
    expect(isOwner('@@maintainer')).toBe(true);
    expect(isOwner('dev@example.co.uk')).toBe(true);
    expect(isOwner('octocat')).toBe(false);
    expect(isOwner('@')).toBe(false);
    expect(isOwner('dev@localhost')).toBe(false);
  });
});
