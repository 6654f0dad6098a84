/**
 * Sigstore bundles (v0.1–v0.3; DSSE and message signatures) verified offline through
 * @sigstore/verify, against a trusted root given as a file or, by default, the public-good root
 * embedded in @sigstore/tuf (public-good-root.ts). The bundle library parses, the verify
 * library checks signatures, certificate chains, transparency-log inclusion and timestamps;
 * this module maps their failures to shipguard's codes and checks the artefact.
 */
import { createHash, type KeyObject, X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Bundle } from '@sigstore/bundle';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import type { KeyFinderFunc, VerificationPolicy } from '@sigstore/verify';
import { maxEnvelopeBytes } from './dsse.js';
import {
  ProvenanceError,
  VerificationError as ProvenanceVerificationError,
  TrustPolicyError,
} from './errors.js';
import { publicGoodTrustedRoot } from './public-good-root.js';

const maxTrustedRootBytes = 4 * 1024 * 1024;

// The Sigstore libraries are loaded when a bundle is first read, not by every command that reaches
// this module: they are sixty modules. All three are CommonJS, so they load synchronously.
const require = createRequire(import.meta.url);
let libraries:
  | {
      bundle: typeof import('@sigstore/bundle');
      specs: typeof import('@sigstore/protobuf-specs');
      verify: typeof import('@sigstore/verify');
    }
  | undefined;
function sigstore(): NonNullable<typeof libraries> {
  libraries ??= {
    bundle: require('@sigstore/bundle') as typeof import('@sigstore/bundle'),
    specs: require('@sigstore/protobuf-specs') as typeof import('@sigstore/protobuf-specs'),
    verify: require('@sigstore/verify') as typeof import('@sigstore/verify'),
  };
  return libraries;
}

export interface SigstoreVerifyInput {
  bundleText: string;
  artifact: Buffer;
  /** A trusted_root.json; without it, the Sigstore public-good root shipped with @sigstore/tuf. */
  trustedRootText?: string;
  /** For bundles signed with a managed key instead of a Fulcio certificate. */
  publicKey?: KeyObject;
  /** Expected certificate identity (subject alternative name) and OIDC issuer. */
  identity?: string;
  issuer?: string;
}

export interface SigstoreVerified {
  kind: 'dsse' | 'message-signature';
  /** For DSSE bundles: the signed payload and its type (the caller checks the statement). */
  payload?: Buffer;
  payloadType?: string;
  identity?: string;
  issuer?: string;
  /** Which trusted root the bundle was verified against. */
  trustedRoot: TrustedRootUsed;
}

export interface TrustedRootUsed {
  /** `public-good`: the embedded Sigstore public-good root; `given`: the caller's file. */
  kind: 'public-good' | 'given';
  /** Hex SHA-256 of the trusted_root.json text. */
  sha256: string;
  /** For the public-good root: the package and file it was read from. */
  source?: string;
}

function chooseTrustedRoot(text: string | undefined): { text: string; used: TrustedRootUsed } {
  if (text !== undefined) {
    return { text, used: { kind: 'given', sha256: createHash('sha256').update(text, 'utf8').digest('hex') } };
  }
  const root = publicGoodTrustedRoot();
  return { text: root.text, used: { kind: 'public-good', sha256: root.sha256, source: root.source } };
}

function parseJson(
  text: string,
  limit: number,
  what: string,
  code: 'ENVELOPE_MALFORMED' | 'TRUST_ROOT_INVALID',
): unknown {
  if (Buffer.byteLength(text, 'utf8') > limit) {
    throw new ProvenanceError(
      code === 'ENVELOPE_MALFORMED' ? 'PAYLOAD_TOO_LARGE' : code,
      `${what} is larger than ${limit} bytes`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ProvenanceError(code, `${what} is not JSON`, { cause: error });
  }
}

export function parseBundle(text: string): Bundle {
  const json = parseJson(text, maxEnvelopeBytes, 'the bundle', 'ENVELOPE_MALFORMED');
  try {
    return sigstore().bundle.bundleFromJSON(json);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ProvenanceError('ENVELOPE_MALFORMED', `not a Sigstore bundle: ${detail}`, { cause: error });
  }
}

export function parseTrustedRoot(text: string): TrustedRoot {
  const json = parseJson(text, maxTrustedRootBytes, 'the trusted root', 'TRUST_ROOT_INVALID');
  try {
    return sigstore().specs.TrustedRoot.fromJSON(json);
  } catch (error) {
    throw new ProvenanceError('TRUST_ROOT_INVALID', 'not a Sigstore trusted root', { cause: error });
  }
}

function toProvenanceError(error: unknown): ProvenanceError {
  if (error instanceof ProvenanceError) return error;
  const { PolicyError, VerificationError } = sigstore().verify;
  if (error instanceof PolicyError) {
    return new TrustPolicyError('IDENTITY_MISMATCH', error.message, { cause: error });
  }
  if (error instanceof VerificationError) {
    const code = error.code === 'SIGNATURE_ERROR' ? 'SIGNATURE_INVALID' : 'SIGSTORE_VERIFICATION_FAILED';
    return new ProvenanceVerificationError(code, `${error.message} (${error.code})`, { cause: error });
  }
  // Malformed content deep inside a bundle (bad base64, bad ASN.1) surfaces as a plain error.
  const detail = error instanceof Error ? error.message : String(error);
  return new ProvenanceError('ENVELOPE_MALFORMED', `the bundle could not be verified: ${detail}`, {
    cause: error,
  });
}

/**
 * A bundle's chain must stop below the trusted root: a self-signed certificate in it is refused
 * (sigstore-conformance `bundle-with-root-cert_fail`), so trust never comes from the bundle itself.
 */
function checkNoRootInChain(bundle: Bundle): void {
  const material = bundle.verificationMaterial.content;
  if (material.$case !== 'x509CertificateChain') return;
  for (const [position, certificate] of material.x509CertificateChain.certificates.entries()) {
    let parsed: X509Certificate;
    try {
      parsed = new X509Certificate(certificate.rawBytes);
    } catch (error) {
      throw new ProvenanceError(
        'ENVELOPE_MALFORMED',
        `certificate ${position} of the bundle is not X.509 DER`,
        {
          cause: error,
        },
      );
    }
    if (parsed.subject === parsed.issuer && parsed.verify(parsed.publicKey)) {
      throw new ProvenanceVerificationError(
        'SIGSTORE_VERIFICATION_FAILED',
        `certificate ${position} of the bundle's chain is a self-signed root; roots come only from the trusted root`,
      );
    }
  }
}

export function verifySigstoreBundle(input: SigstoreVerifyInput): SigstoreVerified {
  const bundle = parseBundle(input.bundleText);
  checkNoRootInChain(bundle);
  const chosenRoot = chooseTrustedRoot(input.trustedRootText);
  const trustedRoot = parseTrustedRoot(chosenRoot.text);
  const usesKey = bundle.verificationMaterial.content.$case === 'publicKey';
  if (usesKey && input.publicKey === undefined) {
    throw new ProvenanceError('KEY_INVALID', 'the bundle is signed with a managed key: give it with --key');
  }
  if (!usesKey && (input.identity === undefined || input.issuer === undefined)) {
    throw new TrustPolicyError(
      'IDENTITY_MISMATCH',
      'a certificate-signed bundle needs --certificate-identity and --certificate-oidc-issuer',
    );
  }
  const { toSignedEntity, toTrustMaterial, VerificationError, Verifier } = sigstore().verify;
  const publicKey = input.publicKey;
  const keyFinder: KeyFinderFunc = (hint) => {
    if (publicKey === undefined) {
      throw new VerificationError({ code: 'PUBLIC_KEY_ERROR', message: `no key given for hint ${hint}` });
    }
    return { publicKey, validFor: () => true };
  };
  try {
    const content = bundle.content;
    if (content.$case === 'messageSignature') {
      const digest = content.messageSignature.messageDigest;
      const actual = createHash('sha256').update(input.artifact).digest();
      if (digest === undefined || Buffer.compare(Buffer.from(digest.digest), actual) !== 0) {
        throw new ProvenanceVerificationError(
          'SUBJECT_DIGEST_MISMATCH',
          "the bundle's message digest is not the artefact's SHA-256",
        );
      }
    }
    const trustMaterial = toTrustMaterial(trustedRoot, keyFinder);
    const entity = toSignedEntity(bundle, input.artifact);
    const policy: VerificationPolicy = {};
    if (!usesKey && input.identity !== undefined) policy.subjectAlternativeName = input.identity;
    if (!usesKey && input.issuer !== undefined) policy.extensions = { issuer: input.issuer };
    const signer = new Verifier(trustMaterial).verify(entity, policy);
    const verified: SigstoreVerified = {
      kind: content.$case === 'dsseEnvelope' ? 'dsse' : 'message-signature',
      trustedRoot: chosenRoot.used,
    };
    if (content.$case === 'dsseEnvelope') {
      verified.payload = Buffer.from(content.dsseEnvelope.payload);
      verified.payloadType = content.dsseEnvelope.payloadType;
    }
    const identity = signer.identity?.subjectAlternativeName;
    const issuer = signer.identity?.extensions?.issuer;
    if (identity !== undefined) verified.identity = identity;
    if (issuer !== undefined) verified.issuer = issuer;
    return verified;
  } catch (error) {
    throw toProvenanceError(error);
  }
}
