/**
 * `shipguard verify`: is this artefact what the attestation says, signed by whom we trust, built
 * from the expected source, by the expected builder, from the expected branch?
 */
import { createHash } from 'node:crypto';
import { type Envelope, verifyEnvelope } from './dsse.js';
import { TrustPolicyError, VerificationError } from './errors.js';
import type { Verifier } from './keys/index.js';
import {
  type SigstoreVerified,
  type SigstoreVerifyInput,
  type TrustedRootUsed,
  verifySigstoreBundle,
} from './sigstore.js';
import { inTotoPayloadType, type ParsedStatement, parseSlsaPredicate, parseStatement } from './statement.js';

export interface Expectations {
  /** Repository the source must come from, e.g. github.com/org/repo (scheme and .git optional). */
  sourceUri?: string;
  /** Builder id; without an `@`, any version of that builder is accepted. */
  builderId?: string;
  /** Branch name or full ref. */
  branch?: string;
}

export interface VerificationResult {
  verified: true;
  artifact: { sha256: string };
  subject: string;
  signer: { keyIds?: string[]; identity?: string; issuer?: string };
  predicateType?: string;
  source?: { repository?: string; ref?: string; commit?: string };
  builderId?: string;
  /** The predicate's resolved dependencies (source, lockfiles, an attested SBOM), as signed. */
  dependencies?: Array<{ name?: string; uri?: string; digest?: Record<string, string> }>;
  /** For Sigstore bundles: the trusted root they were verified against. */
  trustedRoot?: TrustedRootUsed;
}

/** Comparable form of a repository URI: no scheme, no credentials, no `.git`, no `@ref`, lower-case host. */
export function normalizeSourceUri(uri: string): string {
  let text = uri.trim().replace(/^git\+/, '');
  text = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  text = text.replace(/^[^@/]+@/, '');
  const at = text.indexOf('@');
  if (at !== -1) text = text.slice(0, at);
  text = text.replace(/\/+$/, '').replace(/\.git$/, '');
  const slash = text.indexOf('/');
  return slash === -1 ? text.toLowerCase() : `${text.slice(0, slash).toLowerCase()}${text.slice(slash)}`;
}

function stringField(record: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = record?.[key];
  return typeof value === 'string' ? value : undefined;
}

function checkSubject(statement: ParsedStatement, sha256: string): string {
  for (const subject of statement.subject) {
    if (subject.digest['sha256']?.toLowerCase() === sha256) return subject.name ?? '';
  }
  throw new VerificationError(
    'SUBJECT_DIGEST_MISMATCH',
    `no subject of the statement has the artefact's digest sha256:${sha256}`,
  );
}

function checkProvenance(
  statement: ParsedStatement,
  expected: Expectations,
  result: VerificationResult,
): void {
  // Verification is of provenance: a signed statement of any other predicate type (or a malformed
  // SLSA predicate) is refused even when no source or builder was asked for.
  const predicate = parseSlsaPredicate(statement);
  const external = predicate.buildDefinition.externalParameters;
  const workflow = external['workflow'];
  const workflowRecord =
    typeof workflow === 'object' && workflow !== null ? (workflow as Record<string, unknown>) : undefined;
  const repository = stringField(external, 'repository') ?? stringField(workflowRecord, 'repository');
  const ref = stringField(external, 'ref') ?? stringField(workflowRecord, 'ref');
  const commit = stringField(external, 'commit');
  const source: NonNullable<VerificationResult['source']> = {};
  if (repository !== undefined) source.repository = repository;
  if (ref !== undefined) source.ref = ref;
  if (commit !== undefined) source.commit = commit;
  result.source = source;
  result.builderId = predicate.runDetails.builder.id;
  result.dependencies = (predicate.buildDefinition.resolvedDependencies ?? []).map((dependency) => {
    const item: { name?: string; uri?: string; digest?: Record<string, string> } = {};
    if (dependency.name !== undefined) item.name = dependency.name;
    if (dependency.uri !== undefined) item.uri = dependency.uri;
    if (dependency.digest !== undefined) item.digest = { ...dependency.digest };
    return item;
  });

  if (expected.sourceUri !== undefined) {
    const want = normalizeSourceUri(expected.sourceUri);
    const candidates = [
      ...(repository === undefined ? [] : [repository]),
      ...(predicate.buildDefinition.resolvedDependencies ?? [])
        .filter(
          (dependency) => dependency.digest?.['gitCommit'] !== undefined && dependency.uri !== undefined,
        )
        .map((dependency) => dependency.uri ?? ''),
    ];
    if (!candidates.some((candidate) => normalizeSourceUri(candidate) === want)) {
      throw new TrustPolicyError(
        'SOURCE_MISMATCH',
        `built from ${repository ?? 'an unnamed source'}, expected ${expected.sourceUri}`,
      );
    }
  }
  if (expected.builderId !== undefined) {
    const actual = predicate.runDetails.builder.id;
    const matches = expected.builderId.includes('@')
      ? actual === expected.builderId
      : actual === expected.builderId || actual.startsWith(`${expected.builderId}@`);
    if (!matches) {
      throw new TrustPolicyError('BUILDER_MISMATCH', `built by ${actual}, expected ${expected.builderId}`);
    }
  }
  if (expected.branch !== undefined) {
    const want = expected.branch.startsWith('refs/') ? expected.branch : `refs/heads/${expected.branch}`;
    if (ref !== want) {
      throw new TrustPolicyError(
        'BRANCH_MISMATCH',
        `built from ${ref ?? 'an unnamed ref'}, expected ${want}`,
      );
    }
  }
}

function checkStatement(
  payload: Buffer,
  payloadType: string | undefined,
  sha256: string,
  expected: Expectations,
  result: Omit<VerificationResult, 'subject'>,
): VerificationResult {
  if (payloadType !== undefined && payloadType !== inTotoPayloadType) {
    throw new VerificationError(
      'PAYLOAD_TYPE_MISMATCH',
      `the envelope signs ${payloadType}, not an in-toto statement`,
    );
  }
  const statement = parseStatement(payload);
  const full: VerificationResult = { ...result, subject: checkSubject(statement, sha256) };
  full.predicateType = statement.predicateType;
  checkProvenance(statement, expected, full);
  return full;
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** What an attestation must name: the artefact's bytes, or only its digest (`sha256:<hex>`). */
export type AttestationSubject = Buffer | { sha256: string };

const sha256Pattern = /^[0-9a-f]{64}$/;

/** The subject's SHA-256 (lower-case hex); a digest that is not 64 hex digits is refused. */
export function subjectDigest(subject: AttestationSubject): string {
  if (Buffer.isBuffer(subject)) return sha256Hex(subject);
  const sha256 = subject.sha256.toLowerCase().replace(/^sha256:/, '');
  if (!sha256Pattern.test(sha256)) {
    throw new VerificationError(
      'SUBJECT_DIGEST_MISMATCH',
      'the artefact digest is not sha256:<64 hex digits>',
    );
  }
  return sha256;
}

/**
 * Verifies a DSSE envelope holding an in-toto statement for an artefact given as bytes or as its
 * digest: the signature with `verifiers`, the subject digest, then the expectations (source,
 * builder, branch). `shipguard verify` and the deploy gate both call this one function.
 */
export async function verifyAttestation(input: {
  artifact: AttestationSubject;
  envelope: Envelope;
  verifiers: readonly Verifier[];
  expected: Expectations;
}): Promise<VerificationResult> {
  const sha256 = subjectDigest(input.artifact);
  const verified = await verifyEnvelope(input.envelope, input.verifiers, { payloadType: inTotoPayloadType });
  return checkStatement(verified.payload, verified.payloadType, sha256, input.expected, {
    verified: true,
    artifact: { sha256 },
    signer: { keyIds: verified.keyIds },
  });
}

export function verifyBundle(input: SigstoreVerifyInput & { expected: Expectations }): VerificationResult {
  const sha256 = sha256Hex(input.artifact);
  const verified: SigstoreVerified = verifySigstoreBundle(input);
  const signer: VerificationResult['signer'] = {};
  if (verified.identity !== undefined) signer.identity = verified.identity;
  if (verified.issuer !== undefined) signer.issuer = verified.issuer;
  const base = { verified: true as const, artifact: { sha256 }, signer, trustedRoot: verified.trustedRoot };
  if (verified.kind === 'dsse' && verified.payload !== undefined) {
    return checkStatement(verified.payload, verified.payloadType, sha256, input.expected, base);
  }
  const { sourceUri, builderId, branch } = input.expected;
  if (sourceUri !== undefined)
    throw new TrustPolicyError('SOURCE_MISMATCH', 'a plain signature names no source');
  if (builderId !== undefined)
    throw new TrustPolicyError('BUILDER_MISMATCH', 'a plain signature names no builder');
  if (branch !== undefined)
    throw new TrustPolicyError('BRANCH_MISMATCH', 'a plain signature names no branch');
  return { ...base, subject: '' };
}
