import { afterEach, describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../../kernel/index.js';
import { defaultPolicy } from '../../policy/index.js';
import { testNow } from '../../testing/evaluate-collector.js';
import { createTestRepository, type TestRepository } from '../../testing/git-repository.js';
import { sbomCollector } from './index.js';

let repository: TestRepository | undefined;
afterEach(() => repository?.remove());

async function evaluate(files: Record<string, string>) {
  repository = createTestRepository();
  repository.write(files);
  repository.commit('files');
  const facts = await sbomCollector.collect(await RepositorySnapshot.open(repository.path), defaultPolicy(), {
    now: testNow,
  });
  return sbomCollector.checks[0]?.evaluate(facts, defaultPolicy(), { now: new Date('2026-06-01T00:00:00Z') });
}

describe('sbom/generated', () => {
  it('fails, not not-applicable, for dependencies declared without a lockfile', async () => {
    const result = await evaluate({ 'package.json': '{"name":"x","dependencies":{"left-pad":"^1.3.0"}}\n' });
    expect(result?.status).toBe('fail');
    expect(result?.summary).toContain('without a lockfile');
    expect(result?.findings[0]?.location).toEqual({ path: 'package.json' });
  });

  it('passes with the digest of the SBOM built from the lockfiles', async () => {
    const result = await evaluate({
      'Cargo.lock': 'version = 3\n\n[[package]]\nname = "a"\nversion = "1.0.0"\nsource = "registry+x"\n',
    });
    expect(result?.status).toBe('pass');
    expect(result?.evidence[0]).toMatchObject({
      kind: 'digest',
      algorithm: 'sha256',
      subject: 'CycloneDX 1.6 SBOM of 1 packages from 1 lockfile(s)',
    });
    const digest = result?.evidence[0];
    expect(digest && 'value' in digest ? digest.value : '').toMatch(/^[0-9a-f]{64}$/);
  });

  it('fails with the file and line of a malformed lockfile', async () => {
    const result = await evaluate({ 'composer.lock': '{\n  "packages": [,]\n}' });
    expect(result?.status).toBe('fail');
    expect(result?.findings[0]?.location).toEqual({ path: 'composer.lock', line: 2 });
  });

  it('passes on a committed SBOM, and is not applicable with neither', async () => {
    const bom = {
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      components: [{ type: 'library', name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0' }],
    };
    const committed = await evaluate({ 'release/bom.cdx.json': JSON.stringify(bom) });
    expect(committed?.status).toBe('pass');
    expect(committed?.summary).toBe('SBOM kept in release/bom.cdx.json');
    repository?.remove();
    expect((await evaluate({ 'README.md': 'hello' }))?.status).toBe('not-applicable');
  });

  it('fails a committed SBOM file that lists nothing or is not an SBOM', async () => {
    const result = await evaluate({
      'bom.json': '{}',
      'release/sbom.cdx.json': JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [] }),
    });
    expect(result?.status).toBe('fail');
    expect(result?.findings.map((finding) => finding.location?.path)).toEqual([
      'bom.json',
      'release/sbom.cdx.json',
    ]);
    expect(result?.findings[1]?.message).toContain('lists no component');
  });
});
