import { canonicalize } from '../ledger/index.js';
import {
  createVerifier,
  type Envelope,
  keyIdOf,
  parsePublicKey,
  type Signer,
  signEnvelope,
  toEnvelope,
  type Verifier,
  verifyEnvelope,
} from '../provenance/index.js';
import {
  parseRecordDocument,
  type RecordDocument,
  recordBytes,
  recordPayloadType,
  sha256Hex,
} from './document.js';
import { RecordError } from './errors.js';

/**
 * Who may sign records: public keys, each registered to one person of the roster. This is the
 * seam to the identity module: anything that answers these two questions can take its place.
 */
export interface SignerDirectory {
  readonly verifiers: readonly Verifier[];
  /** The roster person a key id is registered to. */
  personOf(keyId: string): string | undefined;
}

export interface RegisteredSigner {
  person: string;
  /** SPKI PEM. */
  publicKey: string;
}

export function createSignerDirectory(signers: readonly RegisteredSigner[]): SignerDirectory {
  const people = new Map<string, string>();
  const verifiers: Verifier[] = [];
  for (const signer of signers) {
    const key = parsePublicKey(signer.publicKey, `signer ${signer.person}`);
    const keyId = keyIdOf(key);
    const owner = people.get(keyId);
    if (owner !== undefined && owner !== signer.person) {
      throw new RecordError(
        'RECORD_SIGNATURE_INVALID',
        `key ${keyId.slice(0, 16)} is registered to both ${owner} and ${signer.person}`,
      );
    }
    if (owner === undefined) verifiers.push(createVerifier(key));
    people.set(keyId, signer.person);
  }
  return { verifiers, personOf: (keyId) => people.get(keyId) };
}

/** A signed record as it is stored, committed and exported: a DSSE envelope as canonical JSON. */
export interface SignedRecord {
  envelope: Envelope;
  /** Canonical JSON of the envelope. */
  text: string;
  /** SHA-256 of `text`: what the ledger vouches for. */
  digest: string;
}

/**
 * Envelopes this process signed, with the document they carry and the signing key: one that is
 * unchanged since needs no second parse nor signature check (a 10,000-row import signs, then adds).
 */
const signedHere = new WeakMap<
  Envelope,
  { payload: string; sig: string; keyId: string; document: RecordDocument; sealed: SignedRecord }
>();

export async function signRecord(document: RecordDocument, signer: Signer): Promise<SignedRecord> {
  const envelope = await signEnvelope(recordBytes(document), recordPayloadType, [signer]);
  const sealed = sealEnvelope(envelope);
  signedHere.set(envelope, {
    payload: envelope.payload,
    sig: envelope.signatures[0]?.sig ?? '',
    keyId: signer.keyId,
    document,
    sealed,
  });
  return sealed;
}

export function sealEnvelope(envelope: Envelope): SignedRecord {
  const text = canonicalize(envelope);
  return { envelope, text, digest: sha256Hex(text) };
}

export interface VerifiedRecord {
  document: RecordDocument;
  signed: SignedRecord;
  signerKeyId: string;
  /** The roster person the signing key is registered to. */
  signer: string;
}

/**
 * Verifies a record envelope: a registered key signed it, its payload is canonical JSON of a
 * valid record. Throws RECORD_SIGNATURE_INVALID or RECORD_INVALID.
 */
export async function openSignedRecord(
  json: unknown,
  directory: SignerDirectory,
  where = '<record>',
): Promise<VerifiedRecord> {
  const known = signedHere.get(json as Envelope);
  const envelope0 = json as Envelope;
  if (
    known !== undefined &&
    known.payload === envelope0.payload &&
    envelope0.signatures.length === 1 &&
    envelope0.signatures[0]?.sig === known.sig &&
    envelope0.payloadType === recordPayloadType &&
    directory.personOf(known.keyId) !== undefined
  ) {
    // Signed in this process by a key the directory registers, and unchanged since.
    return {
      document: known.document,
      signed: known.sealed,
      signerKeyId: known.keyId,
      signer: directory.personOf(known.keyId) ?? '',
    };
  }
  let envelope: Envelope;
  try {
    envelope = toEnvelope(json, where);
  } catch (error) {
    throw new RecordError('RECORD_INVALID', `${where}: not a signed record envelope`, { cause: error });
  }
  let payload: Buffer;
  let keyIds: string[];
  try {
    ({ payload, keyIds } = await verifyEnvelope(envelope, directory.verifiers, {
      payloadType: recordPayloadType,
    }));
  } catch (error) {
    throw new RecordError('RECORD_SIGNATURE_INVALID', `${where}: no registered signer's signature verifies`, {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw new RecordError('RECORD_INVALID', `${where}: the signed payload is not JSON`, { cause: error });
  }
  const document = parseRecordDocument(parsed, where);
  if (recordBytes(document).toString('utf8') !== payload.toString('utf8')) {
    throw new RecordError(
      'RECORD_INVALID',
      `${where}: the signed payload is not the record's canonical form`,
    );
  }
  const signerKeyId = [...keyIds].sort()[0] ?? '';
  const signer = directory.personOf(signerKeyId) ?? '';
  return { document, signed: sealEnvelope(envelope), signerKeyId, signer };
}
