import { describe, expect, it } from 'vitest';
import { extractPnpmLock } from './extract.js';
import { pnpmLockedVersions } from './versions.js';

const v9 = `lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      express:
        specifier: ^4.18.0
        version: 4.18.2
    devDependencies:
      typescript:
        specifier: ^5.0.0
        version: 5.4.5

  packages/web:
    dependencies:
      react:
        specifier: ^18
        version: 18.2.0

packages:

  express@4.18.2:
    resolution: {integrity: sha512-express}

  debug@2.6.9:
    resolution: {integrity: sha512-debug}

  typescript@5.4.5:
    resolution: {integrity: sha512-ts}

  react@18.2.0:
    resolution: {integrity: sha512-react}

snapshots:

  express@4.18.2:
    dependencies:
      debug: 2.6.9

  debug@2.6.9: {}

  typescript@5.4.5: {}

  react@18.2.0: {}
`;

const v6 = `lockfileVersion: '6.0'

dependencies:
  lodash:
    specifier: ^4.17.0
    version: 4.17.21

packages:

  /lodash@4.17.21:
    resolution: {integrity: sha512-lodash}
    dev: false
`;

describe('pnpm-lock.yaml', () => {
  it('reads v9 with workspaces: direct from importers, scope through the graph, edges from snapshots', () => {
    const { packages, warnings } = extractPnpmLock({ path: 'pnpm-lock.yaml', text: v9 });
    expect(warnings).toEqual([]);
    const summary = packages.map((item) => [
      item.name,
      item.version,
      item.direct,
      item.scope,
      item.location.line,
    ]);
    expect(summary).toEqual([
      ['express', '4.18.2', true, 'prod', 23],
      ['debug', '2.6.9', false, 'prod', 26],
      ['typescript', '5.4.5', true, 'dev', 29],
      ['react', '18.2.0', true, 'prod', 32],
    ]);
    expect(packages[0]).toMatchObject({ integrity: 'sha512-express', dependencies: ['debug@2.6.9'] });
  });

  it('reads v6 keys with a leading slash', () => {
    const { packages } = extractPnpmLock({ path: 'pnpm-lock.yaml', text: v6 });
    expect(packages).toMatchObject([
      { name: 'lodash', version: '4.17.21', direct: true, scope: 'prod', location: { line: 10 } },
    ]);
  });

  it('rejects a YAML merge key, which a package manager reading YAML 1.1 merges and YAML 1.2 does not', () => {
    // js-yaml (YAML 1.1) merges the hidden entries into packages; read as YAML 1.2 they are one
    // key named "<<", and the package they lock would be missing from the SBOM and the scan.
    const text = `lockfileVersion: '9.0'
x-hidden: &hidden
  lodash@4.17.20:
    resolution: {integrity: sha512-lodash}
importers:
  .:
    dependencies:
      express:
        specifier: 4.18.2
        version: 4.18.2
packages:
  <<: *hidden
  express@4.18.2:
    resolution: {integrity: sha512-express}
snapshots:
  express@4.18.2:
    dependencies:
      lodash: 4.17.20
  lodash@4.17.20: {}
`;
    expect(() => extractPnpmLock({ path: 'pnpm-lock.yaml', text })).toThrowError(
      expect.objectContaining({ code: 'LOCKFILE_MALFORMED', location: { path: 'pnpm-lock.yaml', line: 12 } }),
    );
  });

  it('warns on an unknown version and rejects broken YAML with a line', () => {
    expect(extractPnpmLock({ path: 'p.yaml', text: "lockfileVersion: '42.0'\n" }).warnings[0]?.code).toBe(
      'LOCKFILE_VERSION_UNKNOWN',
    );
    expect(() => extractPnpmLock({ path: 'p.yaml', text: 'a: [\nb: }' })).toThrowError(
      expect.objectContaining({ code: 'LOCKFILE_MALFORMED' }),
    );
  });
});

describe('pnpm npm aliases', () => {
  it('reads an importer dependency installed under an alias as the real package (v9 and v6)', () => {
    const v9Alias = `lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      orm-old:
        specifier: npm:orm@^0.27.2
        version: orm@0.27.2(pg@8.16.0)
      pg:
        specifier: ^8
        version: 8.16.0

packages:

  orm@0.27.2:
    resolution: {integrity: sha512-orm}

  pg@8.16.0:
    resolution: {integrity: sha512-pg}

snapshots:

  orm@0.27.2(pg@8.16.0):
    dependencies:
      pg: 8.16.0

  pg@8.16.0: {}
`;
    const result = extractPnpmLock({ path: 'pnpm-lock.yaml', text: v9Alias });
    expect(result.packages.map((item) => [item.name, item.version, item.direct]).sort()).toEqual([
      ['orm', '0.27.2', true],
      ['pg', '8.16.0', true],
    ]);

    const v6Alias = `lockfileVersion: '6.0'

dependencies:
  orm-old:
    specifier: npm:orm@^0.27.2
    version: /orm@0.27.2

packages:

  /orm@0.27.2:
    resolution: {integrity: sha512-orm}
    dev: false
`;
    const v6 = extractPnpmLock({ path: 'pnpm-lock.yaml', text: v6Alias });
    expect(v6.packages.map((item) => [item.name, item.version, item.direct])).toEqual([
      ['orm', '0.27.2', true],
    ]);
  });
});

describe('pnpm locked versions by lines', () => {
  it('finds the same names and versions as the full extractor, in v9 and v6', () => {
    for (const text of [v9]) {
      const full = extractPnpmLock({ path: 'pnpm-lock.yaml', text })
        .packages.map((item) => `${item.name}@${item.version}`)
        .sort();
      const quick = pnpmLockedVersions({ path: 'pnpm-lock.yaml', text })
        .map((item) => `${item.name}@${item.version}`)
        .sort();
      expect(quick).toEqual(full);
      expect(quick.length).toBeGreaterThan(2);
    }
    const v6 =
      "lockfileVersion: '6.0'\n\npackages:\n\n  /left-pad@1.3.0:\n    resolution: {integrity: sha512-x}\n\n  '/@scope/util@2.0.0(react@18.2.0)':\n    resolution: {integrity: sha512-y}\n    dependencies:\n      left-pad: 1.3.0\n";
    expect(pnpmLockedVersions({ path: 'pnpm-lock.yaml', text: v6 })).toEqual([
      { name: 'left-pad', version: '1.3.0' },
      { name: '@scope/util', version: '2.0.0' },
    ]);
    expect(() => pnpmLockedVersions({ path: 'pnpm-lock.yaml', text: 'not: a lockfile\n' })).toThrow();
  });
});
