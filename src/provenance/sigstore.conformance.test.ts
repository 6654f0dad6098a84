import { createPublicKey } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ProvenanceError } from './errors.js';
import { verifyBundle } from './verify.js';

// sigstore-conformance bundle-verify cases, at ../shared/corpora relative to the repository root.
const corpus = fileURLToPath(new URL('../../../shared/corpora/sigstore-bundles/', import.meta.url));
const present = existsSync(corpus);
const defaultIdentity =
  'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const defaultIssuer = 'https://token.actions.githubusercontent.com';
/**
 * Cases without their own trusted_root.json expect the Sigstore public-good root. shipguard does
 * not bundle one (it would come from @sigstore/tuf, which is not a dependency), so those run only
 * when a copy is named by SHIPGUARD_SIGSTORE_PUBLIC_GOOD_ROOT; otherwise they are listed as gaps.
 */
const publicGoodRoot = process.env['SHIPGUARD_SIGSTORE_PUBLIC_GOOD_ROOT'];

function optionalText(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}

interface Case {
  name: string;
  folder: string;
  mustFail: boolean;
  trustedRoot: string | undefined;
}

const cases: Case[] = present
  ? readdirSync(corpus)
      .filter((name) => statSync(join(corpus, name)).isDirectory())
      .sort()
      .map((name) => {
        const folder = join(corpus, name);
        const ownRoot = join(folder, 'trusted_root.json');
        return {
          name,
          folder,
          mustFail: name.endsWith('_fail'),
          trustedRoot: existsSync(ownRoot)
            ? readFileSync(ownRoot, 'utf8')
            : publicGoodRoot && readFileSync(publicGoodRoot, 'utf8'),
        };
      })
  : [];

function run(testCase: Case, trustedRootText: string): ProvenanceError | undefined {
  const { folder } = testCase;
  const artifactPath = existsSync(join(folder, 'artifact'))
    ? join(folder, 'artifact')
    : join(corpus, 'a.txt');
  const keyText = optionalText(join(folder, 'key.pub'));
  const input: Parameters<typeof verifyBundle>[0] = {
    bundleText: readFileSync(join(folder, 'bundle.sigstore.json'), 'utf8'),
    artifact: readFileSync(artifactPath),
    trustedRootText,
    expected: {},
  };
  if (keyText === undefined) {
    input.identity = optionalText(join(folder, 'identity')) ?? defaultIdentity;
    input.issuer = optionalText(join(folder, 'issuer')) ?? defaultIssuer;
  } else {
    input.publicKey = createPublicKey(keyText);
  }
  try {
    verifyBundle(input);
    return undefined;
  } catch (error) {
    if (error instanceof ProvenanceError) return error;
    throw error;
  }
}

describe.skipIf(!present)('Sigstore conformance bundles (sigstore/sigstore-conformance)', () => {
  const runnable = cases.filter((testCase) => testCase.trustedRoot !== undefined);
  const gaps = cases.filter((testCase) => testCase.trustedRoot === undefined);

  it.each(runnable.map((testCase) => [testCase.name, testCase]))('%s', (_name, testCase) => {
    const error = run(testCase, testCase.trustedRoot ?? '');
    if (testCase.mustFail) expect(error, 'must be rejected').toBeInstanceOf(ProvenanceError);
    else expect(error?.message).toBeUndefined();
  });

  // Known gap, named rather than silently skipped: these need the public-good trusted root.
  it.skip.each(gaps.map((testCase) => [testCase.name]))(
    '%s (known gap: needs the Sigstore public-good trusted root, not available offline)',
    () => {},
  );
});

if (!present) {
  describe('Sigstore conformance bundles', () => {
    it.skip(`corpus not found at ${corpus}`, () => {});
  });
}
