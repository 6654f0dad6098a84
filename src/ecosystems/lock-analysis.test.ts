import { describe, expect, it } from 'vitest';
import {
  analyzePom,
  analyzeRequirements,
  composerNeedsLock,
  countIntegrity,
  declaresWorkspaces,
  goModNeedsLock,
  packageJsonNeedsLock,
} from './lock-analysis.js';

describe('analyzeRequirements', () => {
  it('accepts exact pins, with extras, markers, hashes and continuation lines', () => {
    const text = [
      '# pinned',
      'requests==2.32.3',
      'uvicorn[standard] == 0.30.1 ; python_version >= "3.9"',
      'django===5.0.6',
      'cryptography==43.0.0 \\',
      '    --hash=sha256:0123abcd',
      '-r base.txt',
      '--index-url https://packages.example.com/simple',
      '-e .',
      './local-package',
      '',
    ].join('\n');
    expect(analyzeRequirements(text)).toEqual({ requirements: 4, unpinned: [] });
  });

  it('reports every line that leaves the version open, with its line number', () => {
    const text = [
      'flask',
      'requests>=2.0',
      'numpy==1.*',
      'pandas~=2.2',
      'six==1.16.0',
      'tool @ https://example.com/tool.tar.gz',
      'other @ git+https://example.com/other.git@0123456789abcdef0123456789abcdef01234567',
    ].join('\n');
    const { requirements, unpinned } = analyzeRequirements(text);
    expect(requirements).toBe(7);
    expect(unpinned.map((line) => line.line)).toEqual([1, 2, 3, 4, 6]);
    expect(unpinned[0]).toEqual({ line: 1, text: 'flask', reason: 'no exact == version' });
    expect(unpinned[4]?.reason).toBe('direct reference without a commit or hash');
  });

  it('reports an over-long line instead of matching it', () => {
    const { unpinned } = analyzeRequirements(`${'a'.repeat(5000)}==1`);
    expect(unpinned[0]?.reason).toBe('line too long to read');
    expect(unpinned[0]?.text).toHaveLength(200);
  });
});

describe('analyzePom', () => {
  it('accepts literal versions and properties', () => {
    const pom = [
      '<project>',
      '  <version>1.0.0-SNAPSHOT</version>',
      '  <properties><junit.version>5.10.2</junit.version></properties>',
      // A property reference, as Maven writes it.
      `  <dependency><artifactId>junit</artifactId><version>${'$'}{junit.version}</version></dependency>`,
      '  <dependency>',
      '    <version>[1.2.3]</version>',
      '  </dependency>',
      '</project>',
    ].join('\n');
    expect(analyzePom(pom)).toEqual([]);
  });

  it('reports ranges and moving versions in elements and properties, by line', () => {
    const pom = [
      '<project>',
      '  <properties>',
      '    <guava.version>[31.0,33.0)</guava.version>',
      '  </properties>',
      '  <dependency><version>LATEST</version></dependency>',
      '  <dependency><version>(,2.0]</version></dependency>',
      '  <dependency><version>RELEASE</version></dependency>',
      '</project>',
    ].join('\n');
    const lines = analyzePom(pom);
    expect(lines.map((line) => [line.line, line.reason])).toEqual([
      [3, 'version range [31.0,33.0)'],
      [5, 'moving version LATEST'],
      [6, 'version range (,2.0]'],
      [7, 'moving version RELEASE'],
    ]);
  });
});

describe('manifest needs', () => {
  it('knows when a package.json needs a lockfile', () => {
    expect(packageJsonNeedsLock({ name: 'x', scripts: { test: 'true' } })).toBe(false);
    expect(packageJsonNeedsLock({ dependencies: {} })).toBe(false);
    expect(packageJsonNeedsLock({ devDependencies: { vitest: '1.0.0' } })).toBe(true);
    expect(packageJsonNeedsLock({ workspaces: ['packages/*'] })).toBe(true);
    expect(packageJsonNeedsLock({ dependencies: 'not an object', workspaces: { packages: ['a'] } })).toBe(
      true,
    );
    expect(packageJsonNeedsLock([1, 2])).toBe(true);
    expect(declaresWorkspaces({ workspaces: { packages: ['apps/*'] } })).toBe(true);
    expect(declaresWorkspaces({ workspaces: [] })).toBe(false);
  });

  it('knows when composer.json and go.mod need a lockfile', () => {
    expect(composerNeedsLock({ require: { php: '>=8.2', 'ext-json': '*' } })).toBe(false);
    expect(composerNeedsLock({ 'require-dev': { 'phpunit/phpunit': '^11' } })).toBe(true);
    expect(goModNeedsLock('module example.com/x\n\ngo 1.22\n')).toBe(false);
    expect(goModNeedsLock('module example.com/x\n\nrequire (\n\tgolang.org/x/text v0.14.0\n)\n')).toBe(true);
  });
});

describe('countIntegrity', () => {
  it('counts registry entries without integrity in a version 3 lockfile', () => {
    const lock = {
      lockfileVersion: 3,
      packages: {
        '': { name: 'root' },
        'node_modules/a': {
          version: '1.0.0',
          resolved: 'https://registry.example/a.tgz',
          integrity: 'sha512-x',
        },
        'node_modules/b': { version: '1.0.0', resolved: 'https://registry.example/b.tgz' },
        'node_modules/c': { version: '1.0.0' },
        'node_modules/local': { link: true },
        'node_modules/git': { resolved: 'git+ssh://git@example.com/x.git#abc' },
        'node_modules/d/node_modules/e': { inBundle: true },
      },
    };
    expect(countIntegrity(lock)).toEqual({ entries: 3, withoutIntegrity: 2 });
  });

  it('walks nested dependencies of a version 1 lockfile', () => {
    const lock = {
      lockfileVersion: 1,
      dependencies: {
        a: { version: '1.0.0', integrity: 'sha512-x', dependencies: { b: { version: '2.0.0' } } },
        c: { version: 'file:../c' },
        d: { version: '1.0.0', bundled: true },
      },
    };
    expect(countIntegrity(lock)).toEqual({ entries: 2, withoutIntegrity: 1 });
  });

  it('returns undefined for something that is not a lockfile', () => {
    expect(countIntegrity('text')).toBeUndefined();
  });
});
