import { describe, expect, it } from 'vitest';
import { rejectedCode } from '../testing/thrown-code.js';
import { parseEnvelope, preAuthenticationEncoding, signEnvelope, verifyEnvelope } from './dsse.js';
import { ProvenanceError } from './errors.js';
import { createSigner, createVerifier, generateKeyObjects, keyTypes } from './keys/index.js';

const codeOf = (run: () => unknown) => rejectedCode(ProvenanceError, run);

describe('DSSE pre-authentication encoding', () => {
  it('is DSSEv1 SP len(type) SP type SP len(body) SP body, lengths in bytes', () => {
    expect(
      preAuthenticationEncoding('http://example.com/HelloWorld', Buffer.from('hello world')).toString(),
    ).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
    expect(preAuthenticationEncoding('t/é', Buffer.from('€')).toString()).toBe('DSSEv1 4 t/é 3 €');
    expect(preAuthenticationEncoding('', new Uint8Array()).toString()).toBe('DSSEv1 0  0 ');
  });
});

describe.each(keyTypes.map((type) => [type]))('DSSE with %s keys', (keyType) => {
  const { privateKey, publicKey } = generateKeyObjects(keyType);
  const signer = createSigner(privateKey);
  const verifier = createVerifier(publicKey);
  const type = 'application/vnd.in-toto+json';

  it('signs and verifies, round-tripping through JSON', async () => {
    const envelope = await signEnvelope(Buffer.from('{"a":1}'), type, [signer]);
    expect(envelope.signatures[0]?.keyid).toBe(signer.keyId);
    const parsed = parseEnvelope(JSON.stringify(envelope));
    const verified = await verifyEnvelope(parsed, [verifier], { payloadType: type });
    expect(verified.payload.toString()).toBe('{"a":1}');
    expect(verified.keyIds).toEqual([signer.keyId]);
  });

  it('rejects a changed payload, a changed type, another key and an expected type mismatch', async () => {
    const envelope = await signEnvelope(Buffer.from('{"a":1}'), type, [signer]);
    const changedPayload = { ...envelope, payload: Buffer.from('{"a":2}').toString('base64') };
    expect(await codeOf(() => verifyEnvelope(changedPayload, [verifier]))).toBe('SIGNATURE_INVALID');
    const changedType = { ...envelope, payloadType: 'application/json' };
    expect(await codeOf(() => verifyEnvelope(changedType, [verifier]))).toBe('SIGNATURE_INVALID');
    const other = createVerifier(generateKeyObjects(keyType).publicKey);
    expect(await codeOf(() => verifyEnvelope(envelope, [other]))).toBe('SIGNATURE_INVALID');
    const otherType = await signEnvelope(Buffer.from('{"a":1}'), 'application/json', [signer]);
    expect(await codeOf(() => verifyEnvelope(otherType, [verifier], { payloadType: type }))).toBe(
      'PAYLOAD_TYPE_MISMATCH',
    );
  });
});

describe('malformed envelopes', () => {
  it('rejects bad JSON, bad shapes, bad base64 and oversized input with typed errors', async () => {
    const good = { payload: 'e30=', payloadType: 'x', signatures: [{ sig: 'AAAA' }] };
    const cases: Array<[string, string]> = [
      ['{', 'ENVELOPE_MALFORMED'],
      ['[]', 'ENVELOPE_MALFORMED'],
      [JSON.stringify({ ...good, signatures: [] }), 'ENVELOPE_MALFORMED'],
      [JSON.stringify({ ...good, payload: 'not base64!' }), 'ENVELOPE_MALFORMED'],
      [JSON.stringify({ ...good, signatures: [{ sig: 'A' }] }), 'ENVELOPE_MALFORMED'],
      [JSON.stringify({ ...good, payloadType: 7 }), 'ENVELOPE_MALFORMED'],
      [`{"payload":"${'A'.repeat(17 * 1024 * 1024)}"}`, 'PAYLOAD_TOO_LARGE'],
    ];
    for (const [text, code] of cases)
      expect(await codeOf(() => parseEnvelope(text)), text.slice(0, 60)).toBe(code);
    expect(parseEnvelope(JSON.stringify(good)).payload).toBe('e30=');
  });
});
