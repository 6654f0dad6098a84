/**
 * DSSE (Dead Simple Signing Envelope, secure-systems-lab/dsse, protocol v1): the signature
 * covers PAE(payloadType, payload), never the JSON of the envelope, so what is signed cannot be
 * reinterpreted as another type.
 */
import { z } from 'zod';
import { ProvenanceError, VerificationError } from './errors.js';
import type { Signer, Verifier } from './keys/index.js';

export interface EnvelopeSignature {
  keyid?: string;
  sig: string;
}

/** The JSON envelope: payload and signatures are base64. */
export interface Envelope {
  payload: string;
  payloadType: string;
  signatures: EnvelopeSignature[];
}

/** Envelopes (and so payloads) larger than this are refused before parsing. */
export const maxEnvelopeBytes = 16 * 1024 * 1024;
const maxSignatures = 32;

/** "DSSEv1" SP len(type) SP type SP len(body) SP body, lengths in bytes as ASCII decimal. */
export function preAuthenticationEncoding(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'utf8'),
    type,
    Buffer.from(` ${payload.length} `, 'utf8'),
    payload,
  ]);
}

const base64Pattern = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Decodes standard or URL-safe base64 (both are allowed by DSSE), refusing anything else. */
function decodeBase64(text: string, what: string): Buffer {
  if (!base64Pattern.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
    throw new ProvenanceError('ENVELOPE_MALFORMED', `${what} is not base64`);
  }
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

const envelopeSchema = z.object({
  payload: z.string(),
  payloadType: z.string().min(1).max(1024),
  signatures: z
    .array(
      z.object({
        keyid: z.string().max(1024).optional(),
        sig: z
          .string()
          .min(1)
          .max(64 * 1024),
      }),
    )
    .min(1)
    .max(maxSignatures),
});

/** Parses envelope JSON text: bounded size, shape checked, base64 checked. */
export function parseEnvelope(text: string, path = '<envelope>'): Envelope {
  if (Buffer.byteLength(text, 'utf8') > maxEnvelopeBytes) {
    throw new ProvenanceError('PAYLOAD_TOO_LARGE', `the envelope is larger than ${maxEnvelopeBytes} bytes`, {
      location: { path },
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ProvenanceError('ENVELOPE_MALFORMED', 'the envelope is not JSON', {
      cause: error,
      location: { path },
    });
  }
  return toEnvelope(json, path);
}

export function toEnvelope(json: unknown, path = '<envelope>'): Envelope {
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new ProvenanceError('ENVELOPE_MALFORMED', `not a DSSE envelope: ${detail.join('; ')}`, {
      location: { path },
    });
  }
  const envelope: Envelope = {
    payload: parsed.data.payload,
    payloadType: parsed.data.payloadType,
    signatures: parsed.data.signatures.map((signature) =>
      signature.keyid === undefined ? { sig: signature.sig } : { keyid: signature.keyid, sig: signature.sig },
    ),
  };
  decodeBase64(envelope.payload, 'payload');
  for (const signature of envelope.signatures) decodeBase64(signature.sig, 'signature');
  return envelope;
}

export async function signEnvelope(
  payload: Uint8Array,
  payloadType: string,
  signers: readonly Signer[],
): Promise<Envelope> {
  if (payload.length > maxEnvelopeBytes / 2) {
    throw new ProvenanceError(
      'PAYLOAD_TOO_LARGE',
      `the payload is larger than ${maxEnvelopeBytes / 2} bytes`,
    );
  }
  const message = preAuthenticationEncoding(payloadType, payload);
  const signatures: EnvelopeSignature[] = [];
  for (const signer of signers) {
    signatures.push({ keyid: signer.keyId, sig: Buffer.from(await signer.sign(message)).toString('base64') });
  }
  return { payload: Buffer.from(payload).toString('base64'), payloadType, signatures };
}

export interface VerifiedEnvelope {
  payload: Buffer;
  payloadType: string;
  /** Key ids of the verifiers whose signature checked out. */
  keyIds: string[];
}

/**
 * Accepts the envelope when at least one signature verifies with one of `verifiers`, then
 * checks the payload type. Key ids in the envelope are unauthenticated hints, so every
 * verifier is tried against every signature.
 */
export async function verifyEnvelope(
  envelope: Envelope,
  verifiers: readonly Verifier[],
  expected: { payloadType?: string } = {},
): Promise<VerifiedEnvelope> {
  const payload = decodeBase64(envelope.payload, 'payload');
  const message = preAuthenticationEncoding(envelope.payloadType, payload);
  const keyIds = new Set<string>();
  for (const signature of envelope.signatures) {
    const bytes = decodeBase64(signature.sig, 'signature');
    for (const verifier of verifiers) {
      if (await verifier.verify(message, bytes)) keyIds.add(verifier.keyId);
    }
  }
  if (keyIds.size === 0) {
    throw new VerificationError(
      'SIGNATURE_INVALID',
      'no signature on the envelope verifies with the given key',
    );
  }
  if (expected.payloadType !== undefined && envelope.payloadType !== expected.payloadType) {
    throw new VerificationError(
      'PAYLOAD_TYPE_MISMATCH',
      `the envelope signs ${JSON.stringify(envelope.payloadType)}, expected ${JSON.stringify(expected.payloadType)}`,
    );
  }
  return { payload, payloadType: envelope.payloadType, keyIds: [...keyIds] };
}
