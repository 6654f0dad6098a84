/**
 * Inputs the caller hands the gate are worth nothing until something signed vouches for them:
 * the SBOM must be the one the verified provenance attests (same SHA-256), and a VEX document
 * counts only inside a DSSE envelope that verifies with a key the protected policy trusts for the
 * product. Everything here is pure except the reads the caller passes in.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { VerificationResult } from '../provenance/index.js';
import {
  createVerifier,
  parseEnvelope,
  parsePublicKey,
  type Verifier,
  verifyEnvelope,
} from '../provenance/index.js';
import { readSbomPackages } from '../sbom/index.js';
import type { CheckedPackage } from '../vulns/index.js';
import { parseVex, type VexStatement } from '../vulns/index.js';
import { GateError } from './errors.js';

const maxInputBytes = 64 * 1024 * 1024;

/** Reads a caller's file with a bound: a larger one is refused, never cut. */
export async function readBounded(path: string, maxBytes = maxInputBytes): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > maxBytes)
      throw new GateError('GATE_ARTIFACT_INVALID', `${path} is larger than ${maxBytes} bytes`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** PEM public keys (as read from the protected branch) as verifiers. */
export function verifiersFrom(keys: ReadonlyArray<{ path: string; pem: Buffer }>): Verifier[] {
  return keys.map((key) => createVerifier(parsePublicKey(key.pem.toString('utf8'), key.path)));
}

export interface AttestedSbom {
  name: string;
  sha256: string;
}

const sbomNamePattern = /(sbom|bom|\.cdx|\.spdx)[^/]*\.json$/i;

/** The SBOMs the verified provenance names among its resolved dependencies, with their digests. */
export function attestedSboms(verified: VerificationResult): AttestedSbom[] {
  return (verified.dependencies ?? []).flatMap((dependency) => {
    const sha256 = dependency.digest?.['sha256']?.toLowerCase();
    return dependency.name !== undefined && sha256 !== undefined && sbomNamePattern.test(dependency.name)
      ? [{ name: dependency.name, sha256 }]
      : [];
  });
}

export interface BoundSbom {
  source: string;
  sha256: string;
  packages: CheckedPackage[];
}

/**
 * The SBOM the gate may use: `--sbom`'s bytes, accepted only when their SHA-256 is that of an SBOM
 * the verified provenance attests. Otherwise GATE_SBOM_UNBOUND, saying what would be accepted.
 */
export function bindSbom(
  attested: readonly AttestedSbom[],
  given: { path: string; bytes: Buffer } | undefined,
): BoundSbom {
  if (attested.length === 0) {
    throw new GateError(
      'GATE_SBOM_UNBOUND',
      'the verified provenance attests no SBOM (sign it with `shipguard attest --sbom FILE`)',
    );
  }
  const wanted = attested.map((item) => `${item.name} (sha256:${item.sha256})`).join(', ');
  if (given === undefined) {
    throw new GateError('GATE_SBOM_UNBOUND', `give the attested SBOM with --sbom: ${wanted}`);
  }
  const sha256 = createHash('sha256').update(given.bytes).digest('hex');
  const match = attested.find((item) => item.sha256 === sha256);
  if (!match) {
    throw new GateError(
      'GATE_SBOM_UNBOUND',
      `${given.path} (sha256:${sha256}) is not the SBOM the provenance attests: ${wanted}`,
    );
  }
  const read = readSbomPackages(given.path, given.bytes.toString('utf8'));
  return {
    source: `${match.name}, attested (sha256:${sha256})`,
    sha256,
    packages: read.packages.map((item) => ({ ...item, location: { path: match.name } })),
  };
}

/**
 * VEX statements from DSSE envelopes that verify with the product's trusted keys. A plain VEX
 * document, or one signed by anyone else, is refused (GATE_VEX_UNTRUSTED), never silently used.
 */
export async function readSignedVex(
  files: ReadonlyArray<{ path: string; bytes: Buffer }>,
  verifiers: readonly Verifier[],
): Promise<VexStatement[]> {
  const statements: VexStatement[] = [];
  for (const file of files) {
    if (verifiers.length === 0) {
      throw new GateError(
        'GATE_VEX_UNTRUSTED',
        `${file.path}: no key is trusted to sign VEX for this environment (vexTrustedKeys or trustedKeys)`,
      );
    }
    let payload: Buffer;
    try {
      payload = (await verifyEnvelope(parseEnvelope(file.bytes.toString('utf8'), file.path), verifiers))
        .payload;
    } catch (error) {
      throw new GateError(
        'GATE_VEX_UNTRUSTED',
        `${file.path}: a VEX document counts only as a DSSE envelope signed by a trusted key`,
        { cause: error, location: { path: file.path } },
      );
    }
    statements.push(...parseVex(file.path, payload.toString('utf8')));
  }
  return statements;
}
