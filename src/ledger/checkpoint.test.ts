import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { thrownCode } from '../testing/thrown-code.js';
import {
  type Checkpoint,
  formatVerifierKey,
  noteKeyId,
  parseSignedCheckpoint,
  parseVerifierKey,
  rawEd25519PublicKey,
  signCheckpoint,
  verifyCheckpoint,
} from './checkpoint.js';
import { LedgerError } from './errors.js';

function newKey(name: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { signer: { name, privateKey }, verifier: { name, publicKey } };
}

const checkpoint: Checkpoint = {
  origin: 'example.com/shipguard/ledger',
  size: 42,
  root: createHash('sha256').update('root').digest(),
  extensions: [],
};

const codeOf = (run: () => unknown) => thrownCode(LedgerError, run);

describe('signed-note checkpoints', () => {
  const key = newKey('ledger.example');

  it('writes the C2SP layout and verifies its own signature', () => {
    const text = signCheckpoint(checkpoint, [key.signer]);
    const lines = text.split('\n');
    expect(lines[0]).toBe('example.com/shipguard/ledger');
    expect(lines[1]).toBe('42');
    expect(lines[2]).toBe(Buffer.from(checkpoint.root).toString('base64'));
    expect(lines[3]).toBe('');
    expect(lines[4]).toMatch(/^\u2014 ledger\.example [A-Za-z0-9+/]+=*$/);
    const blob = Buffer.from((lines[4] ?? '').split(' ')[2] ?? '', 'base64');
    expect(blob.length).toBe(4 + 64);
    expect(blob.subarray(0, 4)).toEqual(Buffer.from(noteKeyId('ledger.example', key.verifier.publicKey)));
    expect(verifyCheckpoint(text, [key.verifier])).toEqual({
      ...checkpoint,
      root: Buffer.from(checkpoint.root),
    });
  });

  it('derives the key id from name, newline, algorithm byte and key', () => {
    const expected = createHash('sha256')
      .update('ledger.example\n\u0001')
      .update(rawEd25519PublicKey(key.verifier.publicKey))
      .digest()
      .subarray(0, 4);
    expect(Buffer.from(noteKeyId('ledger.example', key.verifier.publicKey))).toEqual(expected);
  });

  it('round-trips the verifier key string', () => {
    const text = formatVerifierKey(key.verifier);
    expect(text).toMatch(/^ledger\.example\+[0-9a-f]{8}\+/);
    const parsed = parseVerifierKey(text);
    expect(parsed.name).toBe('ledger.example');
    expect(verifyCheckpoint(signCheckpoint(checkpoint, [key.signer]), [parsed]).size).toBe(42);
    expect(codeOf(() => parseVerifierKey(text.replace(/\+[0-9a-f]{8}\+/, '+00000000+')))).toBe(
      'CHECKPOINT_MALFORMED',
    );
  });

  it('rejects a changed size, root or origin', () => {
    const text = signCheckpoint(checkpoint, [key.signer]);
    expect(codeOf(() => verifyCheckpoint(text.replace('\n42\n', '\n43\n'), [key.verifier]))).toBe(
      'CHECKPOINT_SIGNATURE_INVALID',
    );
    const otherRoot = Buffer.from(createHash('sha256').update('other').digest()).toString('base64');
    const rootLine = Buffer.from(checkpoint.root).toString('base64');
    expect(codeOf(() => verifyCheckpoint(text.replace(rootLine, otherRoot), [key.verifier]))).toBe(
      'CHECKPOINT_SIGNATURE_INVALID',
    );
    expect(codeOf(() => verifyCheckpoint(text, [key.verifier], { origin: 'elsewhere' }))).toBe(
      'CHECKPOINT_SIGNATURE_INVALID',
    );
  });

  it('needs a signature by a trusted key and ignores unknown ones', () => {
    const other = newKey('other.example');
    const text = signCheckpoint(checkpoint, [other.signer, key.signer]);
    expect(verifyCheckpoint(text, [key.verifier]).size).toBe(42);
    expect(codeOf(() => verifyCheckpoint(signCheckpoint(checkpoint, [other.signer]), [key.verifier]))).toBe(
      'CHECKPOINT_SIGNATURE_INVALID',
    );
    // Same name, different key: the key id differs, so the signature is not counted.
    const impostor = newKey('ledger.example');
    expect(
      codeOf(() => verifyCheckpoint(signCheckpoint(checkpoint, [impostor.signer]), [key.verifier])),
    ).toBe('CHECKPOINT_SIGNATURE_INVALID');
  });

  it('keeps extension lines under the signature', () => {
    const text = signCheckpoint({ ...checkpoint, extensions: ['timestamp 1700000000'] }, [key.signer]);
    expect(verifyCheckpoint(text, [key.verifier]).extensions).toEqual(['timestamp 1700000000']);
    expect(codeOf(() => verifyCheckpoint(text.replace('1700000000', '1700000001'), [key.verifier]))).toBe(
      'CHECKPOINT_SIGNATURE_INVALID',
    );
  });

  it('rejects malformed notes with CHECKPOINT_MALFORMED', () => {
    const text = signCheckpoint(checkpoint, [key.signer]);
    const malformed = [
      text.replace('\n\n', '\n'),
      text.replace('\n42\n', '\n042\n'),
      text.replace('\n42\n', '\n-1\n'),
      text.replace('\u2014', '-'),
      text.slice(0, -1),
      text.replaceAll('\n', '\r\n'),
      `\n${text}`,
    ];
    for (const note of malformed)
      expect(
        codeOf(() => parseSignedCheckpoint(note)),
        note,
      ).toBe('CHECKPOINT_MALFORMED');
  });
});
