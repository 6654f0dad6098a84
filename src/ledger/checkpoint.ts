/**
 * C2SP checkpoints (c2sp.org/tlog-checkpoint) as signed notes (c2sp.org/signed-note):
 *
 *   <origin>\n<tree size, decimal>\n<root hash, base64>\n[extension lines\n]\n
 *   — <key name> <base64(key id (4 bytes) || Ed25519 signature)>\n
 *
 * The signature covers the note text: everything before the blank line, with its final newline.
 * An Ed25519 note key id is the first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key).
 */
import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { LedgerError } from './errors.js';
import { decodeBase64, encodeBase64 } from './proof-file.js';

export interface Checkpoint {
  origin: string;
  size: number;
  root: Uint8Array;
  /** Optional lines after the root; kept verbatim, each non-empty. */
  extensions: string[];
}

export interface NoteSignature {
  name: string;
  keyId: Uint8Array;
  signature: Uint8Array;
}

export interface SignedCheckpoint {
  checkpoint: Checkpoint;
  /** The exact signed text. */
  body: string;
  signatures: NoteSignature[];
}

/** A key that signs notes: its name and Ed25519 private key. */
export interface NoteSigner {
  name: string;
  privateKey: KeyObject;
}

/** A key that verifies notes: its name and Ed25519 public key. */
export interface NoteVerifier {
  name: string;
  publicKey: KeyObject;
}

const ed25519Algorithm = 0x01;
const signaturePrefix = '\u2014 ';
const maxNoteBytes = 1024 * 1024;
const maxSignatures = 100;
const ed25519SpkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');

function fail(message: string): never {
  throw new LedgerError('CHECKPOINT_MALFORMED', message);
}

function checkKeyName(name: string): void {
  // The signed-note spec: a non-empty string of printable non-space characters, without '+'.
  if (name.length === 0 || name.length > 256 || /[\s+]/u.test(name) || /\p{Cc}/u.test(name)) {
    throw new LedgerError('CHECKPOINT_MALFORMED', `invalid note key name ${JSON.stringify(name)}`);
  }
}

/** The raw 32-byte Ed25519 public key of a KeyObject. */
export function rawEd25519PublicKey(key: KeyObject): Uint8Array {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'ed25519') {
    throw new LedgerError('CHECKPOINT_SIGNATURE_INVALID', 'checkpoint keys must be Ed25519');
  }
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32);
}

/** First 4 bytes of SHA-256(name || 0x0A || 0x01 || public key). */
export function noteKeyId(name: string, publicKey: KeyObject): Uint8Array {
  checkKeyName(name);
  return createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, ed25519Algorithm]))
    .update(rawEd25519PublicKey(publicKey))
    .digest()
    .subarray(0, 4);
}

/** The verifier key string of the signed-note spec: `<name>+<hex key id>+<base64(0x01 || key)>`. */
export function formatVerifierKey(verifier: NoteVerifier): string {
  const raw = Buffer.concat([Buffer.from([ed25519Algorithm]), rawEd25519PublicKey(verifier.publicKey)]);
  return `${verifier.name}+${Buffer.from(noteKeyId(verifier.name, verifier.publicKey)).toString('hex')}+${raw.toString('base64')}`;
}

export function parseVerifierKey(text: string): NoteVerifier {
  // The base64 key may itself contain '+', so split on the first two only.
  const match = /^([^+\s]+)\+([0-9a-fA-F]{8})\+([A-Za-z0-9+/]+=*)$/.exec(text.trim());
  const [, name, hash, key] = match ?? [];
  if (name === undefined || hash === undefined || key === undefined) {
    fail('a verifier key is <name>+<hex key id>+<base64 key>');
  }
  checkKeyName(name);
  const raw = Buffer.from(key, 'base64');
  if (raw.toString('base64') !== key || raw.length !== 33 || raw[0] !== ed25519Algorithm) {
    fail('the verifier key is not an Ed25519 note key');
  }
  const publicKey = createPublicKey({
    key: Buffer.concat([ed25519SpkiPrefix, raw.subarray(1)]),
    format: 'der',
    type: 'spki',
  });
  const verifier = { name, publicKey };
  if (Buffer.from(noteKeyId(name, publicKey)).toString('hex') !== hash.toLowerCase()) {
    fail('the verifier key id does not match its name and key');
  }
  return verifier;
}

/** The note text of a checkpoint (what gets signed). */
export function formatCheckpointBody(checkpoint: Checkpoint): string {
  if (checkpoint.origin.length === 0 || /[\n\r]/.test(checkpoint.origin))
    fail('the origin must be one non-empty line');
  if (!Number.isSafeInteger(checkpoint.size) || checkpoint.size < 0)
    fail('the size must be a non-negative integer');
  if (checkpoint.root.length !== 32) fail('the root hash must be 32 bytes');
  for (const line of checkpoint.extensions) {
    if (line.length === 0 || /[\n\r]/.test(line)) fail('extension lines must be non-empty single lines');
  }
  const lines = [
    checkpoint.origin,
    String(checkpoint.size),
    encodeBase64(checkpoint.root),
    ...checkpoint.extensions,
  ];
  return `${lines.join('\n')}\n`;
}

export function signCheckpoint(checkpoint: Checkpoint, signers: readonly NoteSigner[]): string {
  const body = formatCheckpointBody(checkpoint);
  const lines = signers.map((signer) => {
    const keyId = noteKeyId(signer.name, signer.privateKey);
    const signature = sign(null, Buffer.from(body, 'utf8'), signer.privateKey);
    return `${signaturePrefix}${signer.name} ${Buffer.concat([keyId, signature]).toString('base64')}\n`;
  });
  return `${body}\n${lines.join('')}`;
}

/** Parses a signed checkpoint without checking signatures. */
export function parseSignedCheckpoint(text: string): SignedCheckpoint {
  if (Buffer.byteLength(text, 'utf8') > maxNoteBytes) fail(`the note is larger than ${maxNoteBytes} bytes`);
  if (text.includes('\r')) fail('the note contains a carriage return');
  const split = text.lastIndexOf('\n\n');
  if (split === -1) fail('the note has no blank line before its signatures');
  const body = text.slice(0, split + 1);
  const signatureText = text.slice(split + 2);
  if (!signatureText.endsWith('\n')) fail('the note does not end with a newline');
  const bodyLines = body.slice(0, -1).split('\n');
  const [origin, sizeText, rootText, ...extensions] = bodyLines;
  if (origin === undefined || origin.length === 0) fail('the checkpoint has no origin line');
  if (sizeText === undefined || !/^(0|[1-9][0-9]{0,15})$/.test(sizeText))
    fail('the tree size is not a decimal number');
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) fail('the tree size is too large');
  if (rootText === undefined) fail('the checkpoint has no root hash');
  let root: Uint8Array;
  try {
    root = decodeBase64(rootText, 'root hash');
  } catch {
    fail('the root hash is not base64');
  }
  if (root.length !== 32) fail('the root hash is not 32 bytes');
  if (extensions.some((line) => line.length === 0)) fail('the checkpoint has an empty extension line');
  const signatureLines = signatureText.slice(0, -1).split('\n');
  if (signatureLines.length > maxSignatures) fail(`the note has more than ${maxSignatures} signatures`);
  const signatures: NoteSignature[] = [];
  for (const line of signatureLines) {
    if (!line.startsWith(signaturePrefix))
      fail('a signature line does not start with an em dash and a space');
    const rest = line.slice(signaturePrefix.length);
    const space = rest.indexOf(' ');
    if (space <= 0) fail('a signature line has no key name');
    const name = rest.slice(0, space);
    let blob: Uint8Array;
    try {
      blob = decodeBase64(rest.slice(space + 1), 'signature');
    } catch {
      fail('a signature is not base64');
    }
    if (blob.length < 5) fail('a signature is too short');
    signatures.push({ name, keyId: blob.subarray(0, 4), signature: blob.subarray(4) });
  }
  return { checkpoint: { origin, size, root, extensions }, body, signatures };
}

/**
 * Parses a signed checkpoint and checks it: at least one signature must come from one of the
 * `verifiers` (same name and key id) and every such signature must be valid. Signatures by
 * other keys are ignored, as the signed-note spec says. `origin`, when given, must match.
 */
export function verifyCheckpoint(
  text: string,
  verifiers: readonly NoteVerifier[],
  expected: { origin?: string } = {},
): Checkpoint {
  const note = parseSignedCheckpoint(text);
  if (expected.origin !== undefined && note.checkpoint.origin !== expected.origin) {
    throw new LedgerError(
      'CHECKPOINT_SIGNATURE_INVALID',
      `the checkpoint is for origin ${JSON.stringify(note.checkpoint.origin)}, expected ${JSON.stringify(expected.origin)}`,
    );
  }
  let verified = 0;
  for (const signature of note.signatures) {
    for (const verifier of verifiers) {
      if (verifier.name !== signature.name) continue;
      if (Buffer.compare(noteKeyId(verifier.name, verifier.publicKey), signature.keyId) !== 0) continue;
      if (!verify(null, Buffer.from(note.body, 'utf8'), verifier.publicKey, signature.signature)) {
        throw new LedgerError(
          'CHECKPOINT_SIGNATURE_INVALID',
          `the signature by ${signature.name} is not valid`,
        );
      }
      verified += 1;
    }
  }
  if (verified === 0) {
    throw new LedgerError('CHECKPOINT_SIGNATURE_INVALID', 'the checkpoint has no signature by a trusted key');
  }
  return note.checkpoint;
}
