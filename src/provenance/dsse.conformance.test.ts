import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEnvelope, preAuthenticationEncoding, signEnvelope, verifyEnvelope } from './dsse.js';
import { ProvenanceError } from './errors.js';
import { createEcdsaP256Signer, createEcdsaP256Verifier } from './keys/index.js';

const vectorPath = fileURLToPath(new URL('../../../shared/corpora/dsse/vector.json', import.meta.url));
const present = existsSync(vectorPath);

interface Vector {
  payload: string;
  payloadType: string;
  pae: string;
  key: { x: string; y: string; d: string };
  envelope: unknown;
}

/** A decimal integer as 32 big-endian bytes, base64url: a JWK coordinate. */
function toJwkCoordinate(decimal: string): string {
  return Buffer.from(BigInt(decimal).toString(16).padStart(64, '0'), 'hex').toString('base64url');
}

describe.skipIf(!present)('DSSE specification test vector', () => {
  const vector = present ? (JSON.parse(readFileSync(vectorPath, 'utf8')) as Vector) : undefined;
  const jwk = vector
    ? { kty: 'EC', crv: 'P-256', x: toJwkCoordinate(vector.key.x), y: toJwkCoordinate(vector.key.y) }
    : undefined;

  it('computes the published PAE', () => {
    if (!vector) return;
    expect(preAuthenticationEncoding(vector.payloadType, Buffer.from(vector.payload)).toString()).toBe(
      vector.pae,
    );
  });

  it('verifies the published envelope (raw r||s signature) and rejects it with another payload', async () => {
    if (!vector || !jwk) return;
    const verifier = createEcdsaP256Verifier(createPublicKey({ key: jwk, format: 'jwk' }), 'ieee-p1363');
    const envelope = parseEnvelope(JSON.stringify(vector.envelope));
    const verified = await verifyEnvelope(envelope, [verifier], { payloadType: vector.payloadType });
    expect(verified.payload.toString()).toBe(vector.payload);
    const changed = { ...envelope, payload: Buffer.from('hello world!').toString('base64') };
    await expect(verifyEnvelope(changed, [verifier])).rejects.toBeInstanceOf(ProvenanceError);
  });

  it('signs with the published key and verifies (ECDSA nonces are random, so not byte-equal)', async () => {
    if (!vector || !jwk) return;
    const privateKey = createPrivateKey({ key: { ...jwk, d: toJwkCoordinate(vector.key.d) }, format: 'jwk' });
    const signer = createEcdsaP256Signer(privateKey, 'ieee-p1363');
    const envelope = await signEnvelope(Buffer.from(vector.payload), vector.payloadType, [signer]);
    expect(envelope.payload).toBe((vector.envelope as { payload: string }).payload);
    const verifier = createEcdsaP256Verifier(createPublicKey(privateKey), 'ieee-p1363');
    expect((await verifyEnvelope(envelope, [verifier])).keyIds).toEqual([signer.keyId]);
  });
});

if (!present) {
  describe('DSSE specification test vector', () => {
    it.skip(`corpus not found at ${vectorPath}`, () => {});
  });
}
