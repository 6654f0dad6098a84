import { describe, expect, it } from 'vitest';
import { compilePattern, patternProblem } from './pattern.js';
import { compilePatternList, PatternListError } from './pattern-list.js';

/** [pattern, path, matches] */
const cases: [string, string, boolean][] = [
  // A bare name matches at any depth, as a file or as a folder (and everything below it).
  ['README.md', 'README.md', true],
  ['README.md', 'docs/README.md', true],
  ['README.md', 'README.md.bak', false],
  ['README.md', 'XREADME.md', false],
  ['apps', 'apps/web/index.ts', true],
  ['apps', 'src/apps/index.ts', true],
  ['apps', 'happs/index.ts', false],
  // A leading slash anchors at the root.
  ['/README.md', 'README.md', true],
  ['/README.md', 'docs/README.md', false],
  ['/docs', 'docs/guide/intro.md', true],
  ['/docs', 'src/docs/intro.md', false],
  // A slash inside anchors too.
  ['docs/guide', 'docs/guide/intro.md', true],
  ['docs/guide', 'site/docs/guide/intro.md', false],
  ['src/index.ts', 'src/index.ts', true],
  ['src/index.ts', 'lib/src/index.ts', false],
  // A trailing slash matches folders only, at any depth unless anchored otherwise.
  ['apps/', 'apps/web/index.ts', true],
  ['apps/', 'deep/nested/apps/x.ts', true],
  ['apps/', 'apps', false],
  ['/build/logs/', 'build/logs/2024/today.log', true],
  ['/build/logs/', 'other/build/logs/today.log', false],
  ['/build/logs/', 'build/logs', false],
  // `*` stays within one segment.
  ['*', 'anything.txt', true],
  ['*', 'deep/down/anything.txt', true],
  ['*.js', 'index.js', true],
  ['*.js', 'src/lib/index.js', true],
  ['*.js', 'index.jsx', false],
  ['*.js', 'src/index.ts', false],
  ['/*.js', 'index.js', true],
  ['/*.js', 'src/index.js', false],
  ['src/*.ts', 'src/a.ts', true],
  ['src/*.ts', 'src/nested/a.ts', false],
  ['test_*_spec.rb', 'spec/test_user_spec.rb', true],
  ['test_*_spec.rb', 'spec/test_user.rb', false],
  ['a*b*c*d', 'axxbyyczzd', true],
  ['a*b*c*d', 'axxbyyczz', false],
  // `dir/*` covers direct children only (GitHub), `/*` the files at the top.
  ['docs/*', 'docs/getting-started.md', true],
  ['docs/*', 'docs/build-app/troubleshooting.md', false],
  ['/*', 'Makefile', true],
  ['/*', 'src/main.c', false],
  ['docs/*/', 'docs/build-app/troubleshooting.md', true],
  // `?` is one character, never a slash.
  ['file?.txt', 'file1.txt', true],
  ['file?.txt', 'file12.txt', false],
  ['a?b', 'a/b', false],
  // `**` spans folders.
  ['**/logs', 'logs/a.log', true],
  ['**/logs', 'build/logs/a.log', true],
  ['**/logs', 'deeply/nested/logs/a.log', true],
  ['**/logs', 'build/catalogs/a.log', false],
  ['/docs/**', 'docs/a.md', true],
  ['/docs/**', 'docs/a/b/c.md', true],
  ['/docs/**', 'docs', false],
  ['docs/**/*.md', 'docs/a.md', true],
  ['docs/**/*.md', 'docs/x/y/a.md', true],
  ['docs/**/*.md', 'docs/x/y/a.txt', false],
  ['a/**/b', 'a/b', true],
  ['a/**/b', 'a/x/b', true],
  ['a/**/b', 'a/x/y/b/c.txt', true],
  ['a/**/b', 'a/x/y/c', false],
  ['**', 'anything/at/all', true],
  ['**/*.go', 'cmd/tool/main.go', true],
  // `**` glued to other characters is a plain star.
  ['a**b', 'axyzb', true],
  ['a**b', 'ax/yb', false],
  // Escapes make wildcards and spaces literal.
  ['\\*.md', '*.md', true],
  ['\\*.md', 'README.md', false],
  ['my\\ file.txt', 'my file.txt', true],
  ['\\#notes', '#notes', true],
  // Case matters.
  ['Readme.md', 'README.md', false],
  // Redundant slashes change nothing.
  ['/src//lib/', 'src/lib/a.ts', true],
  // An empty pattern matches nothing.
  ['/', 'a.txt', false],
];

describe('compilePattern', () => {
  it.each(cases)('%s against %s is %s', (pattern, path, expected) => {
    expect(compilePattern(pattern).matches(path)).toBe(expected);
  });

  // The test timeout is the hang guard: a backtracking matcher takes exponential time here.
  it('finishes on patterns built to backtrack', { timeout: 5_000 }, () => {
    const pattern = compilePattern(`${'*a'.repeat(40)}b`);
    expect(pattern.matches('a'.repeat(4000))).toBe(false);
    const nested = compilePattern(`${'**/'.repeat(30)}z`);
    expect(nested.matches(`${'x/'.repeat(500)}y`)).toBe(false);
  });

  it('matches nothing for an over-long pattern or one with too many segments', () => {
    expect(compilePattern('a'.repeat(5000)).matches('a'.repeat(5000))).toBe(false);
    expect(patternProblem('a'.repeat(5000))).toBe('pattern longer than 4096 characters');
    const deep = Array.from({ length: 33 }, (_, index) => `d${index}`);
    expect(patternProblem(`/${deep.join('/')}/`)).toBe('pattern with more than 32 path segments');
    expect(compilePattern(deep.join('/')).matches(deep.join('/'))).toBe(false);
    expect(patternProblem(deep.slice(1).join('//'))).toBeUndefined();
    expect(compilePattern(deep.slice(1).join('/')).matches(deep.slice(1).join('/'))).toBe(true);
  });
});

describe('compilePatternList', () => {
  it.each(cases)('agrees with compilePattern: %s against %s', (pattern, path, expected) => {
    const list = compilePatternList(['/never-matches-anything/', pattern]);
    expect(list.lastMatch(path)).toBe(expected ? 1 : -1);
  });

  it('returns the last matching pattern, whether it matches a folder above or the file itself', () => {
    const list = compilePatternList(['*', '/src/', '*.md', '/src/generated/', 'docs/*']);
    expect(list.lastMatch('Makefile')).toBe(0);
    expect(list.lastMatch('src/a.ts')).toBe(1);
    expect(list.lastMatch('src/README.md')).toBe(2);
    expect(list.lastMatch('src/generated/README.md')).toBe(3);
    expect(list.lastMatch('src/generated/deep/x.ts')).toBe(3);
    expect(list.lastMatch('docs/guide.md')).toBe(4);
    expect(list.lastMatch('docs/deep/guide.md')).toBe(2);
    expect(list.lastMatch('docs/deep/guide.txt')).toBe(0);
    expect(compilePatternList([]).lastMatch('a')).toBe(-1);
  });

  it('agrees with one-at-a-time matching for every pattern list and path order', () => {
    const patterns = [...new Set(cases.map(([pattern]) => pattern))];
    const paths = [...new Set(cases.map(([, path]) => path))];
    // A fixed shuffle: the list keeps a folder stack, so the order must not matter.
    const shuffled = paths.map((path, index) => ({ path, key: (index * 7919) % 101 }));
    shuffled.sort((a, b) => a.key - b.key);
    for (let offset = 0; offset < patterns.length; offset += 5) {
      const chosen = patterns.slice(offset, offset + 8);
      const single = chosen.map((pattern) => compilePattern(pattern));
      const list = compilePatternList(chosen);
      for (const { path } of [...shuffled, ...shuffled.toReversed()]) {
        const expected = single.findLastIndex((pattern) => pattern.matches(path));
        expect([chosen, path, list.lastMatch(path)]).toEqual([chosen, path, expected]);
      }
    }
  });

  it('stops with a typed error once the work budget is spent', () => {
    const list = compilePatternList(['**/a/**/b', '*.md'], 50);
    let thrown: unknown;
    try {
      for (let index = 0; index < 100; index++) list.lastMatch(`a/x${index}/a/y/file.txt`);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PatternListError);
    expect((thrown as PatternListError).code).toBe('PATTERNS_TOO_COSTLY');
  });
});
