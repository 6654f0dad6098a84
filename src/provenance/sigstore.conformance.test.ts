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
          // Without one, the case expects the public-good root: shipguard's default.
          trustedRoot: existsSync(ownRoot) ? readFileSync(ownRoot, 'utf8') : undefined,
        };
      })
  : [];

function run(testCase: Case): ProvenanceError | undefined {
  const { folder, trustedRoot } = testCase;
  const artifactPath = existsSync(join(folder, 'artifact'))
    ? join(folder, 'artifact')
    : join(corpus, 'a.txt');
  const keyText = optionalText(join(folder, 'key.pub'));
  const input: Parameters<typeof verifyBundle>[0] = {
    bundleText: readFileSync(join(folder, 'bundle.sigstore.json'), 'utf8'),
    artifact: readFileSync(artifactPath),
    expected: {},
  };
  if (trustedRoot !== undefined) input.trustedRootText = trustedRoot;
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

/**
 * Why each `_fail` case must be rejected: shipguard's code, and for SIGSTORE_VERIFICATION_FAILED
 * the @sigstore/verify code in the message, so a case rejected for another reason fails.
 */
const expectedRejections: Readonly<Record<string, string>> = {
  'bundle-empty-certificate-chain_fail': 'ENVELOPE_MALFORMED',
  'bundle-invalid-base64-signature_fail': 'SIGSTORE_VERIFICATION_FAILED (TLOG_INCLUSION_PROMISE_ERROR)',
  'bundle-negative-log-index_fail': 'SIGSTORE_VERIFICATION_FAILED (TLOG_INCLUSION_PROMISE_ERROR)',
  'bundle-with-root-cert_fail': 'SIGSTORE_VERIFICATION_FAILED self-signed root',
  'checkpoint-bad-keyhint_fail': 'SIGSTORE_VERIFICATION_FAILED (TLOG_INCLUSION_PROOF_ERROR)',
  'dsse-invalid-sig_fail': 'SIGSTORE_VERIFICATION_FAILED (TLOG_BODY_ERROR)',
  'dsse-mismatch-sig_fail': 'SIGSTORE_VERIFICATION_FAILED (TLOG_BODY_ERROR)',
  'inclusion-proof-corrupted-hash_fail': 'SIGSTORE_VERIFICATION_FAILED (TLOG_INCLUSION_PROOF_ERROR)',
  'integrated-time-in-future_fail': 'SIGSTORE_VERIFICATION_FAILED (CERTIFICATE_ERROR)',
  'intoto-log-entry-mismatch_fail': 'SIGSTORE_VERIFICATION_FAILED (TLOG_BODY_ERROR)',
  'intoto-set-outside-signing-cert-validity_fail': 'SIGSTORE_VERIFICATION_FAILED (CERTIFICATE_ERROR)',
  'invalid-ct-key_fail': 'SIGSTORE_VERIFICATION_FAILED (CERTIFICATE_ERROR)',
  'managed-key-no-key_fail': 'KEY_INVALID',
  'message-digest-mismatch_fail': 'SUBJECT_DIGEST_MISMATCH',
  'rekor2-checkpoint-missing-log-signature_fail': 'SIGSTORE_VERIFICATION_FAILED (TLOG_INCLUSION_PROOF_ERROR)',
  'rekor2-checkpoint-missing-root-hash_fail': 'SIGSTORE_VERIFICATION_FAILED (TLOG_INCLUSION_PROOF_ERROR)',
  'rekor2-dsse-invalid-sig_fail': 'SIGSTORE_VERIFICATION_FAILED (TLOG_BODY_ERROR)',
  'rekor2-dsse-mismatch-sig_fail': 'SIGSTORE_VERIFICATION_FAILED (TLOG_BODY_ERROR)',
  'rekor2-no-inclusion-proof_fail': 'ENVELOPE_MALFORMED',
  'rekor2-timestamp-outside-trust-root-tsa-validity_fail': 'SIGSTORE_VERIFICATION_FAILED (TIMESTAMP_ERROR)',
  'rekor2-timestamp-payload-mismatch_fail': 'SIGSTORE_VERIFICATION_FAILED (TIMESTAMP_ERROR)',
  'rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail':
    'SIGSTORE_VERIFICATION_FAILED (TIMESTAMP_ERROR)',
  'signature-mismatch_fail': 'SIGSTORE_VERIFICATION_FAILED (TLOG_BODY_ERROR)',
  'wrong-hashedrekord-artifact_fail': 'SIGSTORE_VERIFICATION_FAILED (TLOG_BODY_ERROR)',
  'wrong-hashedrekord-entry_fail': 'SIGSTORE_VERIFICATION_FAILED (TLOG_BODY_ERROR)',
};

describe.skipIf(!present)('Sigstore conformance bundles (sigstore/sigstore-conformance)', () => {
  // Every case runs: those without their own trusted_root.json use the embedded public-good root.
  it.each(cases.map((testCase) => [testCase.name, testCase]))('%s', (_name, testCase) => {
    const error = run(testCase);
    if (!testCase.mustFail) {
      expect(error?.message).toBeUndefined();
      return;
    }
    expect(error, 'must be rejected').toBeInstanceOf(ProvenanceError);
    const expected = expectedRejections[testCase.name];
    expect(expected, 'a new _fail case: add its expected rejection').toBeDefined();
    const [code = '', ...detail] = (expected ?? '').split(' ');
    expect(error?.code).toBe(code);
    expect(error?.message).toContain(detail.join(' '));
  });

  it('knows every case it expects a rejection for', () => {
    const names = new Set(cases.map((testCase) => testCase.name));
    expect(Object.keys(expectedRejections).filter((name) => !names.has(name))).toEqual([]);
  });
});

if (!present) {
  describe('Sigstore conformance bundles', () => {
    it.skip(`corpus not found at ${corpus}`, () => {});
  });
}
