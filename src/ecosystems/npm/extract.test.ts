import { describe, expect, it } from 'vitest';
import { EcosystemError } from '../errors.js';
import { extractPackageLock } from './extract.js';
import { compareSemver } from './version.js';

const v3 = `{
  "name": "app",
  "lockfileVersion": 3,
  "packages": {
    "": { "name": "app", "dependencies": { "lodash": "^4.17.0" }, "devDependencies": { "vitest": "^1.0.0" }, "workspaces": ["packages/*"] },
    "packages/lib": { "name": "lib", "dependencies": { "left-pad": "1.3.0" } },
    "node_modules/lib": { "resolved": "packages/lib", "link": true },
    "node_modules/lodash": { "version": "4.17.20", "integrity": "sha512-abc" },
    "node_modules/vitest": { "version": "1.0.0", "dev": true, "dependencies": { "tinypool": "^0.8.0" } },
    "node_modules/vitest/node_modules/tinypool": { "version": "0.8.1", "dev": true },
    "node_modules/tinypool": { "version": "0.7.0", "dev": true },
    "node_modules/left-pad": { "version": "1.3.0" },
    "node_modules/@scope/opt": { "version": "2.0.0", "optional": true }
  }
}`;

describe('package-lock.json', () => {
  it('reads v3: versions, purls, direct (root and workspaces), scopes, integrity, lines, nested resolution', () => {
    const { packages, warnings } = extractPackageLock({ path: 'package-lock.json', text: v3 });
    expect(warnings).toEqual([]);
    const byName = new Map(packages.map((item) => [`${item.name}@${item.version}`, item]));
    expect(byName.get('lodash@4.17.20')).toMatchObject({
      purl: 'pkg:npm/lodash@4.17.20',
      direct: true,
      scope: 'prod',
      integrity: 'sha512-abc',
      location: { path: 'package-lock.json', line: 8 },
    });
    expect(byName.get('left-pad@1.3.0')?.direct).toBe(true);
    expect(byName.get('tinypool@0.7.0')?.direct).toBe(false);
    expect(byName.get('vitest@1.0.0')).toMatchObject({ scope: 'dev', dependencies: ['tinypool@0.8.1'] });
    expect(byName.get('@scope/opt@2.0.0')).toMatchObject({
      scope: 'optional',
      purl: 'pkg:npm/%40scope/opt@2.0.0',
    });
    expect(packages.some((item) => item.name === 'lib')).toBe(false);
  });

  it('reads v1 nested dependencies with package.json telling direct ones', () => {
    const text = JSON.stringify(
      {
        lockfileVersion: 1,
        dependencies: {
          express: {
            version: '4.17.1',
            integrity: 'sha512-x',
            requires: { debug: '2.6.9' },
            dependencies: { debug: { version: '2.6.9' } },
          },
          ms: { version: '2.0.0', dev: true },
        },
      },
      null,
      2,
    );
    const { packages } = extractPackageLock({
      path: 'npm-shrinkwrap.json',
      text,
      readSibling: (name) => (name === 'package.json' ? '{"dependencies":{"express":"^4"}}' : undefined),
    });
    expect(packages.map((item) => [item.name, item.version, item.direct, item.scope])).toEqual([
      ['express', '4.17.1', true, 'prod'],
      ['debug', '2.6.9', false, 'prod'],
      ['ms', '2.0.0', false, 'dev'],
    ]);
    expect(packages[0]?.dependencies).toEqual(['debug@2.6.9']);
  });

  it('warns on an unknown lockfileVersion and still reads it', () => {
    const text = '{"lockfileVersion": 7, "packages": {"node_modules/a": {"version": "1.0.0"}}}';
    const { packages, warnings } = extractPackageLock({ path: 'package-lock.json', text });
    expect(packages).toHaveLength(1);
    expect(warnings[0]?.code).toBe('LOCKFILE_VERSION_UNKNOWN');
  });

  it('turns malformed JSON into LOCKFILE_MALFORMED with the line', () => {
    try {
      extractPackageLock({
        path: 'package-lock.json',
        text: '{\n  "lockfileVersion": 3,\n  "packages": {,\n}',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EcosystemError);
      expect((error as EcosystemError).code).toBe('LOCKFILE_MALFORMED');
      expect((error as EcosystemError).location).toEqual({ path: 'package-lock.json', line: 3 });
    }
  });
});

describe('semver order', () => {
  it('orders prereleases, build metadata and huge numbers', () => {
    expect(compareSemver('1.0.0-alpha', '1.0.0')).toBeLessThan(0);
    expect(compareSemver('1.0.0+a', '1.0.0+b')).toBe(0);
    expect(compareSemver('99999999999999999999.0.0', '99999999999999999998.0.0')).toBeGreaterThan(0);
  });
});

describe('JSON error lines', () => {
  it('finds the line when the JSON error message gives no position', () => {
    expect(() =>
      extractPackageLock({ path: 'package-lock.json', text: '{\n  "packages": [,]\n}' }),
    ).toThrowError(
      expect.objectContaining({
        code: 'LOCKFILE_MALFORMED',
        location: { path: 'package-lock.json', line: 2 },
      }),
    );
  });
});
