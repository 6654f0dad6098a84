import { describe, expect, it } from 'vitest';
import { measureCoverage } from './coverage.js';
import type { CodeownersRule } from './parse.js';
import { compilePatternList, type PatternListError } from './pattern-list.js';

function rules(...lines: [string, ...string[]][]): CodeownersRule[] {
  return lines.map(([pattern, ...owners], index) => ({ line: index + 1, pattern, owners }));
}

describe('measureCoverage', () => {
  const files = [
    'README.md',
    'src/a.ts',
    'src/b.ts',
    'src/generated/c.ts',
    'docs/x.md',
    'tools/y.sh',
    'LICENSE',
  ];

  it('counts files whose last matching rule names an owner', () => {
    const coverage = measureCoverage(rules(['/src/', '@core'], ['*.md', '@docs']), files);
    expect(coverage.ownedFiles).toBe(5);
    expect(coverage.totalFiles).toBe(7);
    expect(coverage.uncoveredFolders).toEqual([
      { folder: '(root)', files: 1 },
      { folder: 'tools/', files: 1 },
    ]);
    expect(coverage.uncoveredFolderCount).toBe(2);
  });

  it('lets a later rule without owners take files back', () => {
    const coverage = measureCoverage(rules(['*', '@everyone'], ['/src/generated/']), files);
    expect(coverage.ownedFiles).toBe(6);
    expect(coverage.uncoveredFolders).toEqual([{ folder: 'src/', files: 1 }]);
  });

  it('lets a later owned rule win over an earlier unowned one', () => {
    const coverage = measureCoverage(rules(['/src/'], ['*.ts', '@ts']), files);
    expect(coverage.ownedFiles).toBe(3);
  });

  it('samples at most ten uncovered folders, largest first', () => {
    const many = Array.from({ length: 30 }, (_, index) => `folder${index}/${'f'.repeat(1)}${index}.txt`);
    many.push('folder7/extra.txt');
    const coverage = measureCoverage([], many);
    expect(coverage.uncoveredFolders).toHaveLength(10);
    expect(coverage.uncoveredFolders[0]).toEqual({ folder: 'folder7/', files: 2 });
    expect(coverage.uncoveredFolderCount).toBe(30);
  });

  it('measures 100k files against 200 rules well under a second', () => {
    const paths: string[] = [];
    for (let team = 0; team < 100; team++) {
      for (let module = 0; module < 20; module++) {
        for (let file = 0; file < 50; file++)
          paths.push(`services/team${team}/module${module}/src/file${file}.ts`);
      }
    }
    const lines: [string, ...string[]][] = [['*', '@acme/all']];
    for (let team = 0; team < 150; team++) lines.push([`/services/team${team}/`, `@acme/team${team}`]);
    for (let index = 0; index < 30; index++) lines.push([`**/module${index}/**/*.generated.ts`]);
    for (let index = 0; index < 19; index++) lines.push([`*.ext${index}`, '@acme/ext']);
    expect(lines).toHaveLength(200);
    expect(paths).toHaveLength(100_000);
    const started = performance.now();
    const coverage = measureCoverage(rules(...lines), paths);
    const elapsed = performance.now() - started;
    expect(coverage.ownedFiles).toBe(100_000);
    expect(elapsed).toBeLessThan(1000);
  });

  it('does little work when every file sits in its own folder', () => {
    const paths: string[] = [];
    for (let index = 0; index < 100_000; index++) paths.push(`pkg${index % 1000}/sub${index}/index.ts`);
    paths.sort();
    const patterns = ['*'];
    for (let team = 0; team < 100; team++) patterns.push(`/pkg${team}/`);
    for (let index = 0; index < 50; index++) patterns.push(`**/docs${index}/**`);
    for (let index = 0; index < 49; index++) patterns.push(`*.ext${index}`);
    const list = compilePatternList(patterns);
    const started = performance.now();
    let wrong = 0;
    for (const path of paths) {
      const team = Number(path.slice(3, path.indexOf('/')));
      if (list.lastMatch(path) !== (team < 100 ? team + 1 : 0)) wrong++;
    }
    expect(wrong).toBe(0);
    // Work is deterministic; time depends on the machine, so its bound is loose.
    expect(list.work).toBeLessThan(20_000_000);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('does little work for a thousand patterns that apply at any depth', () => {
    const paths: string[] = [];
    for (let index = 0; index < 100_000; index++)
      paths.push(`x${index % 50}/y${index % 700}/z${index}/f.txt`);
    paths.sort();
    const list = compilePatternList(Array.from({ length: 1000 }, (_, index) => `**/name${index}/`));
    const matched = paths.filter((path) => list.lastMatch(path) !== -1);
    expect(matched).toEqual([]);
    expect(list.work).toBeLessThan(1_000_000);
  });

  it('gives up with a typed error, in bounded time, on patterns built to be slow', () => {
    const paths: string[] = [];
    for (let index = 0; index < 100_000; index++)
      paths.push(`a/b${index % 500}/a/c${index}/a/file${index}.txt`);
    paths.sort();
    const hostile = `${'**/a/'.repeat(15)}z`;
    const lines: [string, ...string[]][] = Array.from({ length: 200 }, (_, index) => [
      `${hostile}${index}`,
      '@x',
    ]);
    const started = performance.now();
    let thrown: unknown;
    try {
      measureCoverage(rules(...lines), paths);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as PatternListError).code).toBe('PATTERNS_TOO_COSTLY');
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
