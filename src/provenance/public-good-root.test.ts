import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProvenanceError } from './errors.js';
import {
  publicGoodTrustedRoot,
  publicGoodTufRepository,
  readPublicGoodTrustedRoot,
} from './public-good-root.js';
import { parseTrustedRoot } from './sigstore.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function writeSeeds(content: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'shipguard-seeds-'));
  folders.push(folder);
  const path = join(folder, 'seeds.json');
  writeFileSync(path, content);
  return path;
}

function seedsWith(target: string | undefined): string {
  const targets: Record<string, string> = target === undefined ? {} : { 'trusted_root.json': target };
  return JSON.stringify({ [publicGoodTufRepository]: { 'root.json': 'e30=', targets } });
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof ProvenanceError ? error.code : `not a ProvenanceError: ${String(error)}`;
  }
}

describe('the Sigstore public-good trusted root', () => {
  it('is read from the installed @sigstore/tuf seeds, offline, and is a usable trusted root', () => {
    const root = publicGoodTrustedRoot();
    expect(root.source).toMatch(/^@sigstore\/tuf \d+\.\d+\.\d+ seeds\.json$/);
    expect(root.sha256).toBe(createHash('sha256').update(root.text, 'utf8').digest('hex'));
    const parsed = parseTrustedRoot(root.text);
    expect(parsed.mediaType).toMatch(/^application\/vnd\.dev\.sigstore\.trustedroot/);
    expect(parsed.certificateAuthorities.length).toBeGreaterThan(0);
    expect(parsed.tlogs.length).toBeGreaterThan(0);
    expect(parsed.ctlogs.length).toBeGreaterThan(0);
    expect(publicGoodTrustedRoot()).toBe(root);
  });

  it('decodes the embedded target exactly', () => {
    const text = '{"mediaType":"x"}';
    const root = readPublicGoodTrustedRoot(writeSeeds(seedsWith(Buffer.from(text).toString('base64'))));
    expect(root.text).toBe(text);
    expect(root.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(root.source).toBe('@sigstore/tuf seeds.json');
  });

  it('refuses seeds that are missing, not JSON, of another shape, without the target, or not base64', () => {
    const missing = join(tmpdir(), 'shipguard-no-such-seeds', 'seeds.json');
    expect(codeOf(() => readPublicGoodTrustedRoot(missing))).toBe('TRUST_ROOT_INVALID');
    expect(codeOf(() => readPublicGoodTrustedRoot(writeSeeds('{')))).toBe('TRUST_ROOT_INVALID');
    expect(codeOf(() => readPublicGoodTrustedRoot(writeSeeds('{"x": 1}')))).toBe('TRUST_ROOT_INVALID');
    expect(codeOf(() => readPublicGoodTrustedRoot(writeSeeds(seedsWith(undefined))))).toBe(
      'TRUST_ROOT_INVALID',
    );
    expect(codeOf(() => readPublicGoodTrustedRoot(writeSeeds(seedsWith('not base64!'))))).toBe(
      'TRUST_ROOT_INVALID',
    );
    expect(codeOf(() => readPublicGoodTrustedRoot(writeSeeds(seedsWith(''))))).toBe('TRUST_ROOT_INVALID');
  });
});
