import { afterEach, describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../kernel/index.js';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { generateSbom } from './generate.js';
import { readSbomPackages } from './import.js';
import { contentUuid, integrityDigest } from './model.js';
import { cycloneDxValidator } from './schema-validation.js';

const packageLock = JSON.stringify(
  {
    name: 'shop',
    lockfileVersion: 3,
    packages: {
      '': { name: 'shop', dependencies: { express: '^4' }, devDependencies: { '@types/node': '^20' } },
      'node_modules/express': {
        version: '4.17.1',
        integrity: `sha512-${Buffer.alloc(64, 1).toString('base64')}`,
        dependencies: { debug: '2.6.9' },
      },
      'node_modules/debug': { version: '2.6.9' },
      'node_modules/@types/node': { version: '20.1.0', dev: true },
    },
  },
  null,
  2,
);
const cargoLock = `version = 3

[[package]]
name = "app"
version = "0.1.0"
dependencies = ["serde"]

[[package]]
name = "serde"
version = "1.0.0"
source = "registry+https://example.invalid/index"
checksum = "${'ab'.repeat(32)}"
`;

function lineOf(needle: string): number {
  return packageLock.split('\n').findIndex((line) => line.includes(needle)) + 1;
}

let repository: TestRepository | undefined;
afterEach(() => repository?.remove());

async function fixture(): Promise<RepositorySnapshot> {
  repository = createTestRepository();
  repository.write({
    'package-lock.json': packageLock,
    'rust/Cargo.lock': cargoLock,
    'broken/composer.lock': '{"packages": [',
  });
  repository.commit('lockfiles');
  return RepositorySnapshot.open(repository.path);
}

describe('shipguard sbom: CycloneDX 1.6', () => {
  it('validates against the official schema, with the graph, hashes and occurrences', async () => {
    const snapshot = await fixture();
    const sbom = await generateSbom(snapshot, { format: 'cyclonedx', timestamp: '2026-01-01T00:00:00Z' });
    const validate = cycloneDxValidator();
    expect(validate(sbom.document), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const document = sbom.document as {
      components: Array<Record<string, unknown>>;
      dependencies: Array<{ ref: string; dependsOn: string[] }>;
      serialNumber: string;
    };
    expect(document.components.map((component) => component['purl'])).toEqual([
      'pkg:cargo/serde@1.0.0',
      'pkg:npm/%40types/node@20.1.0',
      'pkg:npm/debug@2.6.9',
      'pkg:npm/express@4.17.1',
    ]);
    const express = document.components[3] as Record<string, unknown>;
    expect(express['hashes']).toEqual([{ alg: 'SHA-512', content: '01'.repeat(64) }]);
    expect(express['evidence']).toEqual({
      occurrences: [{ location: 'package-lock.json', line: lineOf('"node_modules/express"') }],
    });
    expect(document.components[1]).toMatchObject({ group: '@types', name: 'node', scope: 'optional' });
    expect(document.dependencies).toContainEqual({
      ref: 'pkg:npm/express@4.17.1',
      dependsOn: ['pkg:npm/debug@2.6.9'],
    });
    expect(document.dependencies[0]?.dependsOn).toEqual([
      'pkg:cargo/serde@1.0.0',
      'pkg:npm/%40types/node@20.1.0',
      'pkg:npm/express@4.17.1',
    ]);
    // The malformed lockfile is reported, the others are in the SBOM.
    expect(sbom.scan.errors.map((error) => [error.code, error.location?.path])).toEqual([
      ['LOCKFILE_MALFORMED', 'broken/composer.lock'],
    ]);
  });

  it('is deterministic: same content, same serial number and bytes; another timestamp changes only it', async () => {
    const snapshot = await fixture();
    const first = await generateSbom(snapshot, { format: 'cyclonedx', timestamp: '2026-01-01T00:00:00Z' });
    const second = await generateSbom(snapshot, { format: 'cyclonedx', timestamp: '2026-01-01T00:00:00Z' });
    const later = await generateSbom(snapshot, { format: 'cyclonedx', timestamp: '2027-01-01T00:00:00Z' });
    expect(second.text).toBe(first.text);
    expect(later.document['serialNumber']).toBe(first.document['serialNumber']);
    expect(String(first.document['serialNumber'])).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const told = await generateSbom(snapshot, {
      format: 'cyclonedx',
      timestamp: 'x',
      serialNumber: contentUuid('x'),
    });
    expect(told.document['serialNumber']).toBe(`urn:uuid:${contentUuid('x')}`);
  });

  it('reads its own output back as packages (CycloneDX and SPDX)', async () => {
    const snapshot = await fixture();
    for (const format of ['cyclonedx', 'spdx'] as const) {
      const sbom = await generateSbom(snapshot, { format, timestamp: '2026-01-01T00:00:00Z' });
      const read = readSbomPackages('bom.json', sbom.text);
      expect(read.format).toBe(format);
      expect(read.packages.map((item) => [item.ecosystem, item.name, item.version])).toEqual([
        ['crates.io', 'serde', '1.0.0'],
        ['npm', '@types/node', '20.1.0'],
        ['npm', 'debug', '2.6.9'],
        ['npm', 'express', '4.17.1'],
      ]);
    }
  });

  it('rejects documents that are no SBOM', () => {
    expect(() => readSbomPackages('x.json', '{"hello": 1}')).toThrowError(
      expect.objectContaining({ code: 'SBOM_UNSUPPORTED' }),
    );
    expect(() => readSbomPackages('x.json', '{')).toThrowError(
      expect.objectContaining({ code: 'SBOM_MALFORMED' }),
    );
  });
});

describe('integrity digests', () => {
  it('turns SRI and prefixed hex into hex digests, and refuses what is not a file digest', () => {
    expect(integrityDigest(`sha256-${Buffer.alloc(32, 2).toString('base64')}`)).toEqual({
      cyclonedx: 'SHA-256',
      spdx: 'SHA256',
      hex: '02'.repeat(32),
    });
    expect(integrityDigest(`sha1:${'a'.repeat(40)}`)?.spdx).toBe('SHA1');
    expect(integrityDigest('h1:abc=')).toBeUndefined();
    expect(integrityDigest('sha512-c2hvcnQ=')).toBeUndefined();
  });
});

describe('shipguard sbom: what the SBOM describes', () => {
  const lockOf = (name: string, version: string) =>
    JSON.stringify({
      name,
      lockfileVersion: 3,
      packages: {
        '': { name, dependencies: { [version === '1.0.0' ? 'a' : 'b']: '*' } },
        [`node_modules/${version === '1.0.0' ? 'a' : 'b'}`]: { version },
      },
    });

  it('names the root component from the manifest and leaves fixtures out unless asked, saying so', async () => {
    repository = createTestRepository();
    repository.write({
      'package.json': JSON.stringify({ name: '@acme/shop', version: '2.3.4', dependencies: { a: '1.0.0' } }),
      'package-lock.json': lockOf('@acme/shop', '1.0.0'),
      'test/fixtures/app/package-lock.json': lockOf('fixture', '9.9.9'),
      'examples/demo/package-lock.json': lockOf('demo', '9.9.8'),
    });
    repository.commit('shop');
    const snapshot = await RepositorySnapshot.open(repository.path);
    const sbom = await generateSbom(snapshot, { format: 'cyclonedx', timestamp: '2026-01-01T00:00:00Z' });
    const document = sbom.document as {
      metadata: { component: { name: string; version?: string } };
      components: Array<{ purl: string }>;
    };
    expect(document.metadata.component).toMatchObject({ name: '@acme/shop', version: '2.3.4' });
    expect(document.components.map((component) => component.purl)).toEqual(['pkg:npm/a@1.0.0']);
    expect(sbom.scan.excluded.map((left) => left.path)).toEqual([
      'examples/demo/package-lock.json',
      'test/fixtures/app/package-lock.json',
    ]);
    expect(sbom.scan.errors).toEqual([]);

    const all = await generateSbom(snapshot, {
      format: 'cyclonedx',
      timestamp: '2026-01-01T00:00:00Z',
      scope: { includeFixtures: true, exclude: ['examples/**'] },
    });
    expect((all.document as typeof document).components.map((component) => component.purl)).toEqual([
      'pkg:npm/a@1.0.0',
      'pkg:npm/b@9.9.9',
    ]);
    expect(all.scan.excluded).toEqual([
      { path: 'examples/demo/package-lock.json', reason: 'excluded by --exclude examples/**' },
    ]);
  });

  it('is an error, not an empty SBOM, when manifests declare dependencies no lockfile fixes', async () => {
    repository = createTestRepository();
    repository.write({
      'package.json': JSON.stringify({ name: 'shop', version: '1.0.0', dependencies: { express: '^4' } }),
      'tools/package.json': JSON.stringify({ name: 'tools', version: '1.0.0' }),
    });
    repository.commit('no lockfile');
    const sbom = await generateSbom(await RepositorySnapshot.open(repository.path), { format: 'cyclonedx' });
    expect(sbom.scan.packages).toEqual([]);
    // The manifest without dependencies needs no lockfile and is not an error.
    expect(sbom.scan.errors.map((error) => [error.code, error.location?.path])).toEqual([
      ['LOCKFILE_MISSING', 'package.json'],
    ]);
  });
});
