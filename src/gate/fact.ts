/** Gathered facts: a value, or why it could not be had (see `Fact` in decide.ts). */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Fact } from './decide.js';
import { GateError, type GateErrorCode } from './errors.js';

export interface ArtifactFact {
  sha256: string;
}

/** Codes that mean "the evidence is not there" (fail, exit 1) rather than "could not be read". */
const absentEvidence = new Set<GateErrorCode>([
  'GATE_NO_PROTECTED_POLICY',
  'GATE_PROVENANCE_MISSING',
  'GATE_SBOM_UNBOUND',
  'GATE_VEX_UNTRUSTED',
  'GATE_ADVISORIES_UNKNOWN',
  'GATE_CHANGE_NOT_FOUND',
]);

export function failed<T>(error: unknown): Fact<T> {
  const text = error instanceof Error ? error.message : String(error);
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  const fact: Fact<T> = { ok: false, error: `${text.slice(0, 500)}${code ? ` [${code}]` : ''}` };
  if (error instanceof GateError && absentEvidence.has(error.code)) return { ...fact, missing: true };
  return fact;
}

export async function attempt<T>(read: () => Promise<T>): Promise<Fact<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    return failed(error);
  }
}

export async function readArtifact(artifact: string): Promise<ArtifactFact> {
  const digest = /^sha256:([0-9a-f]{64})$/.exec(artifact.toLowerCase())?.[1];
  if (digest) return { sha256: digest };
  // Streamed: an artefact of any size is hashed in bounded memory, and verified by its digest.
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(artifact)) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex') };
}
