import type { Kysely } from 'kysely';
import { keepVerifiedProof } from '../kernel/index.js';
import { appendEvents, canonicalize, readEntries } from '../ledger/index.js';
import { keyIdOf, parsePublicKey } from '../provenance/index.js';
import { type Store, type StoreTables, viewTables } from '../store/index.js';
import { kindOf, sha256Hex } from './document.js';
import { RecordError } from './errors.js';
import { checkRecordRules, kindsWithRules } from './rules.js';
import {
  createSignerDirectory,
  openSignedRecord,
  type RegisteredSigner,
  type SignedRecord,
  type SignerDirectory,
  type VerifiedRecord,
} from './signing.js';

type RecordsTable = {
  id: string;
  kind: string;
  subject: string;
  effective: string;
  recorded_at: string;
  signer_key: string;
  digest: string;
  envelope: string;
  ledger_index: number | string | bigint;
};
type RecordSignersTable = {
  key_id: string;
  person_id: string;
  public_key: string;
  ledger_index: number | string | bigint;
};
type RecordEvidenceTable = {
  sha256: string;
  size: number | string | bigint;
  media_type: string;
  content: string;
};
export type RecordTables = {
  records: RecordsTable;
  record_signers: RecordSignersTable;
  record_evidence: RecordEvidenceTable;
};

export const recordEventType = 'record.added';
export const signerEventType = 'record-signer.registered';
/** Evidence files larger than this are refused: records point to large artefacts, they do not hold them. */
export const maxEvidenceBytes = 10 * 1024 * 1024;

function recordsDb(store: Store): Kysely<RecordTables> {
  return viewTables<RecordTables>(store.db);
}

export interface EvidenceContent {
  sha256: string;
  size: number;
  mediaType: string;
  content: Buffer;
}

export function describeEvidence(
  name: string,
  content: Buffer,
  mediaType: string,
): EvidenceContent & { name: string } {
  if (content.length > maxEvidenceBytes) {
    throw new RecordError('EVIDENCE_INVALID', `${name} is larger than ${maxEvidenceBytes} bytes`);
  }
  return { name, sha256: sha256Hex(content), size: content.length, mediaType, content };
}

/** Registers a public key to a roster person, through the ledger. */
export async function registerSigner(store: Store, signer: RegisteredSigner): Promise<string> {
  const keyId = keyIdOf(parsePublicKey(signer.publicKey, `public key of ${signer.person}`));
  const existing = await recordsDb(store)
    .selectFrom('record_signers')
    .selectAll()
    .where('key_id', '=', keyId)
    .executeTakeFirst();
  if (existing) {
    if (existing.person_id !== signer.person)
      throw new RecordError(
        'RECORD_CONFLICT',
        `key ${keyId.slice(0, 16)} is registered to ${existing.person_id}`,
      );
    return keyId;
  }
  const appended = await appendEvents(store, [
    { type: signerEventType, data: { person: signer.person, publicKey: signer.publicKey } },
  ]);
  await recordsDb(store)
    .insertInto('record_signers')
    .values({
      key_id: keyId,
      person_id: signer.person,
      public_key: signer.publicKey,
      ledger_index: appended.firstIndex,
    })
    .execute();
  return keyId;
}

export async function listSigners(store: Store): Promise<RegisteredSigner[]> {
  const rows = await recordsDb(store)
    .selectFrom('record_signers')
    .select(['person_id', 'public_key'])
    .orderBy('key_id')
    .execute();
  return rows.map((row) => ({ person: row.person_id, publicKey: row.public_key }));
}

export async function storeSignerDirectory(store: Store): Promise<SignerDirectory> {
  return createSignerDirectory(await listSigners(store));
}

/**
 * Adds signed records (and their evidence bytes) as one ledger append and one projection write.
 * Each must verify against a registered signer, follow its kind's rules against what is stored,
 * and name only evidence whose bytes are given or already kept. A record id already stored with
 * the same digest is skipped (idempotent); with another digest it is a conflict.
 */
export async function addRecords(
  store: Store,
  records: readonly SignedRecord[],
  evidence: readonly EvidenceContent[] = [],
): Promise<{ added: number; skipped: number }> {
  const directory = await storeSignerDirectory(store);
  const verified: VerifiedRecord[] = [];
  for (const record of records) verified.push(await openSignedRecord(record.envelope, directory));
  const db = recordsDb(store);
  const ids = verified.map((record) => record.document.id);
  const existing = new Map<string, { digest: string; envelope: string }>();
  for (let start = 0; start < ids.length; start += 500) {
    const rows = await db
      .selectFrom('records')
      .select(['id', 'digest', 'envelope'])
      .where('id', 'in', ids.slice(start, start + 500))
      .execute();
    for (const row of rows) existing.set(row.id, { digest: row.digest, envelope: row.envelope });
  }
  const fresh: VerifiedRecord[] = [];
  const batch = new Set<string>();
  for (const record of verified) {
    const stored = existing.get(record.document.id);
    if (batch.has(record.document.id))
      throw new RecordError('RECORD_CONFLICT', `record ${record.document.id} appears twice`);
    if (stored !== undefined) {
      // The same record signed again later (a re-import) is already recorded; other content is a conflict.
      if (stored.digest === record.signed.digest || (await sameContent(stored.envelope, record, directory)))
        continue;
      throw new RecordError('RECORD_CONFLICT', `record ${record.document.id} exists with different content`);
    }
    batch.add(record.document.id);
    fresh.push(record);
  }
  const known = new Map(evidence.map((file) => [file.sha256, file]));
  for (const file of evidence) {
    if (sha256Hex(file.content) !== file.sha256 || file.content.length !== file.size)
      throw new RecordError(
        'EVIDENCE_INVALID',
        `evidence ${file.sha256.slice(0, 12)} does not match its bytes`,
      );
  }
  for (const record of fresh) {
    for (const file of record.document.evidence) {
      if (known.has(file.sha256)) continue;
      const stored = await db
        .selectFrom('record_evidence')
        .select('sha256')
        .where('sha256', '=', file.sha256)
        .executeTakeFirst();
      if (!stored)
        throw new RecordError(
          'EVIDENCE_INVALID',
          `record ${record.document.id} names evidence ${file.name} whose bytes were not given`,
        );
    }
  }
  if (fresh.length === 0) return { added: 0, skipped: records.length };
  const ruled = [...new Set(fresh.map((record) => record.document.kind))].filter((kind) =>
    kindsWithRules.includes(kind),
  );
  if (ruled.length > 0) checkRecordRules(fresh, await loadVerifiedRecords(store, directory, ruled));
  const appended = await appendEvents(
    store,
    fresh.map((record) => ({
      type: recordEventType,
      data: {
        id: record.document.id,
        kind: record.document.kind,
        digest: `sha256:${record.signed.digest}`,
        // Verified above against a registered signer: kept whole, since redaction could only break
        // the signature (a random base64 signature can look like a credential), not hide a secret.
        envelope: keepVerifiedProof({ ...record.signed.envelope }),
      },
    })),
  );
  await db.transaction().execute(async (trx) => {
    for (const file of evidence) await insertEvidenceRow(trx, file);
    const rows = fresh.map((record, offset) => toRow(record, appended.firstIndex + offset));
    for (let start = 0; start < rows.length; start += 500) {
      await trx
        .insertInto('records')
        .values(rows.slice(start, start + 500))
        .execute();
    }
  });
  return { added: fresh.length, skipped: records.length - fresh.length };
}

/** Whether a stored envelope holds the same record as `record`, apart from when it was recorded. */
async function sameContent(
  storedEnvelope: string,
  record: VerifiedRecord,
  directory: SignerDirectory,
): Promise<boolean> {
  const stored = await openSignedRecord(JSON.parse(storedEnvelope), directory).catch(() => undefined);
  if (!stored) return false;
  return (
    canonicalize({ ...stored.document, recordedAt: '' }) ===
    canonicalize({ ...record.document, recordedAt: '' })
  );
}

function toRow(record: VerifiedRecord, ledgerIndex: number): RecordsTable {
  const kind = kindOf(record.document.kind);
  return {
    id: record.document.id,
    kind: record.document.kind,
    subject: kind.subject(record.document.data),
    effective: record.document.effective,
    recorded_at: record.document.recordedAt,
    signer_key: record.signerKeyId,
    digest: record.signed.digest,
    envelope: record.signed.text,
    ledger_index: ledgerIndex,
  };
}

/** Every stored record, verified against the registered signers (optionally of some kinds only). */
export async function loadVerifiedRecords(
  store: Store,
  directory?: SignerDirectory,
  kinds?: readonly string[],
): Promise<VerifiedRecord[]> {
  const signers = directory ?? (await storeSignerDirectory(store));
  let query = recordsDb(store)
    .selectFrom('records')
    .select(['id', 'envelope'])
    .orderBy('effective')
    .orderBy('id');
  if (kinds !== undefined) query = query.where('kind', 'in', kinds.length > 0 ? [...kinds] : ['']);
  const rows = await query.execute();
  const records: VerifiedRecord[] = [];
  for (const row of rows)
    records.push(await openSignedRecord(JSON.parse(row.envelope), signers, `record ${row.id}`));
  return records;
}

/**
 * Keeps evidence bytes content-addressed by their SHA-256, in the same table records use, so an
 * upload and a record naming the same file share one copy. Idempotent; the caller computed the
 * hash from the bytes. Pass a transaction to commit the bytes with the caller's other rows.
 */
export async function keepEvidence(db: Kysely<StoreTables>, file: EvidenceContent): Promise<void> {
  if (file.size > maxEvidenceBytes) {
    throw new RecordError(
      'EVIDENCE_INVALID',
      `evidence ${file.sha256.slice(0, 12)} is larger than ${maxEvidenceBytes} bytes`,
    );
  }
  if (sha256Hex(file.content) !== file.sha256) {
    throw new RecordError(
      'EVIDENCE_INVALID',
      `evidence ${file.sha256.slice(0, 12)} does not match its bytes`,
    );
  }
  await insertEvidenceRow(viewTables<RecordTables>(db), file);
}

/** One evidence file, content-addressed: the same bytes are kept once. */
async function insertEvidenceRow(db: Kysely<RecordTables>, file: EvidenceContent): Promise<void> {
  await db
    .insertInto('record_evidence')
    .values({
      sha256: file.sha256,
      size: file.size,
      media_type: file.mediaType,
      content: file.content.toString('base64'),
    })
    .onConflict((conflict) => conflict.column('sha256').doNothing())
    .execute();
}

export async function readEvidence(store: Store, sha256: string): Promise<EvidenceContent | undefined> {
  const row = await recordsDb(store)
    .selectFrom('record_evidence')
    .selectAll()
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    sha256: row.sha256,
    size: Number(row.size),
    mediaType: row.media_type,
    content: Buffer.from(row.content, 'base64'),
  };
}

export async function listEvidence(store: Store): Promise<EvidenceContent[]> {
  const rows = await recordsDb(store).selectFrom('record_evidence').selectAll().orderBy('sha256').execute();
  return rows.map((row) => ({
    sha256: row.sha256,
    size: Number(row.size),
    mediaType: row.media_type,
    content: Buffer.from(row.content, 'base64'),
  }));
}

interface ProjectedRecord {
  index: number;
  id: string;
  digest: string;
  envelope: string;
}

/** The records and signers as the ledger says they are. */
async function projectFromLedger(store: Store): Promise<{
  records: Map<string, ProjectedRecord>;
  signers: Map<string, { person: string; publicKey: string; index: number }>;
}> {
  const records = new Map<string, ProjectedRecord>();
  const signers = new Map<string, { person: string; publicKey: string; index: number }>();
  for (let from = 0; ; ) {
    const entries = await readEntries(store, from, 10_000);
    if (entries.length === 0) break;
    for (const entry of entries) {
      const isRecord = entry.entry.includes(`"type":"${recordEventType}"`);
      const isSigner = entry.entry.includes(`"type":"${signerEventType}"`);
      if (!isRecord && !isSigner) continue;
      const parsed = JSON.parse(entry.entry) as { type: string; data: Record<string, unknown> };
      if (parsed.type === recordEventType) {
        const id = String(parsed.data['id']);
        const envelope = canonicalize(parsed.data['envelope']);
        records.set(id, { index: entry.index, id, digest: sha256Hex(envelope), envelope });
      } else if (parsed.type === signerEventType) {
        const publicKey = String(parsed.data['publicKey']);
        signers.set(keyIdOf(parsePublicKey(publicKey)), {
          person: String(parsed.data['person']),
          publicKey,
          index: entry.index,
        });
      }
    }
    from = (entries.at(-1)?.index ?? from) + 1;
  }
  return { records, signers };
}

export interface RecordsVerification {
  records: number;
  problems: string[];
}

/**
 * Checks every stored record against the ledger (each row must be its ledger entry, byte for
 * byte, and every ledgered record must have its row), every signature against the registered
 * signers, and every evidence file's bytes against its hash. Run `ledger verify` as well: it
 * proves the ledger itself was not rewritten.
 */
export async function verifyRecords(store: Store): Promise<RecordsVerification> {
  const expected = await projectFromLedger(store);
  const db = recordsDb(store);
  const problems: string[] = [];
  const signerRows = await db.selectFrom('record_signers').selectAll().execute();
  for (const row of signerRows) {
    const want = expected.signers.get(row.key_id);
    if (!want || want.person !== row.person_id || want.publicKey !== row.public_key)
      problems.push(`signer key ${row.key_id.slice(0, 16)} (${row.person_id}) differs from the ledger`);
  }
  if (signerRows.length !== expected.signers.size)
    problems.push(`${expected.signers.size} signers in the ledger, ${signerRows.length} in the table`);
  const directory = createSignerDirectory([...expected.signers.values()]);
  const rows = await db.selectFrom('records').selectAll().orderBy('id').execute();
  const seen = new Set<string>();
  for (const row of rows) {
    seen.add(row.id);
    const want = expected.records.get(row.id);
    if (!want) {
      problems.push(`record ${row.id} is in the records table but not in the ledger`);
      continue;
    }
    if (
      want.envelope !== row.envelope ||
      want.digest !== row.digest ||
      sha256Hex(row.envelope) !== row.digest ||
      Number(row.ledger_index) !== want.index
    ) {
      problems.push(`record ${row.id} differs from its ledger entry ${want.index}`);
      continue;
    }
    try {
      const verified = await openSignedRecord(JSON.parse(row.envelope), directory, `record ${row.id}`);
      const projected = toRow(verified, want.index);
      for (const column of ['kind', 'subject', 'effective', 'recorded_at', 'signer_key'] as const) {
        if (projected[column] !== row[column])
          problems.push(`record ${row.id}: column ${column} differs from the signed record`);
      }
      for (const file of verified.document.evidence) {
        const stored = await readEvidence(store, file.sha256);
        if (!stored) problems.push(`record ${row.id}: evidence ${file.name} is missing`);
        else if (sha256Hex(stored.content) !== file.sha256 || stored.size !== file.size)
          problems.push(`record ${row.id}: evidence ${file.name} does not match its hash`);
      }
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  for (const id of expected.records.keys())
    if (!seen.has(id)) problems.push(`record ${id} is in the ledger but missing from the records table`);
  return { records: rows.length, problems };
}
