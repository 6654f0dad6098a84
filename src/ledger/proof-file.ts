/**
 * Proof files for auditors who hold only proof data: the JSON shape of the transparency-dev
 * test vectors (base64 hashes). Inclusion: leafIdx, treeSize, root, leafHash, proof.
 * Consistency: size1, size2, root1, root2, proof. Other keys (desc, …) are ignored.
 */
import { z } from 'zod';
import { LedgerError } from './errors.js';
import type { ConsistencyProof, InclusionProof } from './merkle.js';

/** Proofs are O(log n): 64 hashes cover any tree that fits in a safe integer. */
const maxProofLength = 128;
const maxProofFileBytes = 64 * 1024;

const base64Text = z.string().max(256);
const size = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const inclusionFile = z.object({
  leafIdx: size,
  treeSize: size,
  root: base64Text,
  leafHash: base64Text,
  proof: z.array(base64Text).max(maxProofLength).nullable(),
});

const consistencyFile = z.object({
  size1: size,
  size2: size,
  root1: base64Text,
  root2: base64Text,
  proof: z.array(base64Text).max(maxProofLength).nullable(),
});

/** Strict base64: rejects characters and padding that Buffer.from would silently skip. */
export function decodeBase64(text: string, what: string): Uint8Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) {
    throw new LedgerError('PROOF_MALFORMED', `${what} is not canonical base64`);
  }
  return bytes;
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function parseJson(text: string, path: string): unknown {
  if (Buffer.byteLength(text, 'utf8') > maxProofFileBytes) {
    throw new LedgerError('PROOF_MALFORMED', `proof file is larger than ${maxProofFileBytes} bytes`, {
      location: { path },
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new LedgerError('PROOF_MALFORMED', 'proof file is not JSON', { cause: error, location: { path } });
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

export function parseInclusionProofFile(
  text: string,
  path = '<inclusion proof>',
): InclusionProof & { root: Uint8Array } {
  const parsed = inclusionFile.safeParse(parseJson(text, path));
  if (!parsed.success) {
    throw new LedgerError('PROOF_MALFORMED', `not an inclusion proof: ${describeIssues(parsed.error)}`, {
      location: { path },
    });
  }
  const value = parsed.data;
  return {
    leafIndex: value.leafIdx,
    treeSize: value.treeSize,
    root: decodeBase64(value.root, 'root'),
    leafHash: decodeBase64(value.leafHash, 'leafHash'),
    proof: (value.proof ?? []).map((hash, position) => decodeBase64(hash, `proof[${position}]`)),
  };
}

export function parseConsistencyProofFile(text: string, path = '<consistency proof>'): ConsistencyProof {
  const parsed = consistencyFile.safeParse(parseJson(text, path));
  if (!parsed.success) {
    throw new LedgerError('PROOF_MALFORMED', `not a consistency proof: ${describeIssues(parsed.error)}`, {
      location: { path },
    });
  }
  const value = parsed.data;
  return {
    size1: value.size1,
    size2: value.size2,
    root1: decodeBase64(value.root1, 'root1'),
    root2: decodeBase64(value.root2, 'root2'),
    proof: (value.proof ?? []).map((hash, position) => decodeBase64(hash, `proof[${position}]`)),
  };
}

export function formatInclusionProofFile(proof: InclusionProof & { root: Uint8Array }): string {
  return JSON.stringify(
    {
      leafIdx: proof.leafIndex,
      treeSize: proof.treeSize,
      root: encodeBase64(proof.root),
      leafHash: encodeBase64(proof.leafHash),
      proof: proof.proof.map(encodeBase64),
    },
    null,
    2,
  );
}

export function formatConsistencyProofFile(proof: ConsistencyProof): string {
  return JSON.stringify(
    {
      size1: proof.size1,
      size2: proof.size2,
      root1: encodeBase64(proof.root1),
      root2: encodeBase64(proof.root2),
      proof: proof.proof.map(encodeBase64),
    },
    null,
    2,
  );
}
