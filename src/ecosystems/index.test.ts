import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { productIds } from '../end-of-life/index.js';
import * as registry from './index.js';
import { buildPurl, parsePurl } from './purl.js';

const folder = fileURLToPath(new URL('.', import.meta.url));
const folders = readdirSync(folder).filter((name) => statSync(`${folder}/${name}`).isDirectory());

describe('ecosystem registry', () => {
  it('registers every folder on disk, under its own id', () => {
    expect(Object.keys(registry.ecosystems).sort()).toEqual(folders.sort());
    for (const [id, module] of Object.entries(registry.ecosystems)) expect(module.id).toBe(id);
  });

  it('gives every folder the same file roles', () => {
    for (const name of folders) {
      const files = readdirSync(`${folder}/${name}`);
      expect(files, name).toEqual(expect.arrayContaining(['index.ts', 'readme.md', 'version.ts']));
      if (registry.ecosystems[name]?.extract) {
        expect(files, name).toEqual(expect.arrayContaining(['extract.ts', 'extract.test.ts']));
      }
    }
  });

  it('declares frameworks by products the end-of-life dataset knows, in the folder of their ecosystem', () => {
    const known: readonly string[] = productIds;
    for (const [id, module] of Object.entries(registry.ecosystems)) {
      for (const framework of module.frameworks ?? []) {
        expect(known, `${id}: ${framework.package}`).toContain(framework.product);
        expect(registry.frameworkOf(module.osvEcosystem, framework.package)).toEqual(framework);
      }
    }
    expect(registry.frameworkOf('PyPI', 'django')?.product).toBe('django');
    expect(registry.frameworkOf('npm', 'django')).toBeUndefined();
  });

  it('keeps each lockfile name in one folder, and names the ones no extractor reads', () => {
    const names = Object.values(registry.ecosystems).flatMap((module) => [
      ...module.lockfileNames,
      ...(module.unreadLockfileNames ?? []),
    ]);
    expect(new Set(names).size).toBe(names.length);
    for (const module of Object.values(registry.ecosystems)) {
      for (const name of module.unreadLockfileNames ?? []) {
        expect(registry.ecosystemForLockfile(name), name).toBeUndefined();
        expect(registry.unreadLockfileEcosystem(name)?.id).toBe(module.id);
      }
    }
    expect(registry.lockfileNamesOf('npm')).toEqual([
      'package-lock.json',
      'npm-shrinkwrap.json',
      'pnpm-lock.yaml',
      'yarn.lock',
      'bun.lock',
      'bun.lockb',
    ]);
  });

  it('finds the extractor of a lockfile by name', () => {
    expect(registry.ecosystemForLockfile('package-lock.json')?.id).toBe('npm');
    expect(registry.ecosystemForLockfile('requirements-dev.txt')?.id).toBe('pypi');
    expect(registry.ecosystemForLockfile('Cargo.lock')?.id).toBe('cargo');
    expect(registry.ecosystemForLockfile('README.md')).toBeUndefined();
  });

  it('orders versions per OSV ecosystem, including qualified ones', () => {
    expect(registry.versionOrderFor('PyPI')?.('1.0rc1', '1.0')).toBeLessThan(0);
    expect(registry.versionOrderFor('Debian:12')?.('1.0~rc1', '1.0')).toBeLessThan(0);
    expect(registry.versionOrderFor('Hex')).toBeUndefined();
  });
});

describe('purl', () => {
  it('encodes npm scopes and versions and reads them back', () => {
    const purl = buildPurl('npm', '@babel', 'core', '7.0.0+build');
    expect(purl).toBe('pkg:npm/%40babel/core@7.0.0%2Bbuild');
    expect(parsePurl(purl)).toEqual({
      type: 'npm',
      namespace: '@babel',
      name: 'core',
      version: '7.0.0+build',
    });
    expect(parsePurl('pkg:golang/github.com/a/b@v1.0.0?x=y')).toEqual({
      type: 'golang',
      namespace: 'github.com/a',
      name: 'b',
      version: 'v1.0.0',
    });
    expect(parsePurl('not-a-purl')).toBeUndefined();
  });
});
