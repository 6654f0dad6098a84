/**
 * Builds the auditor's evidence pack for a period from the store: the assessments started in it,
 * the records effective in it with their evidence files, the newest signed ledger checkpoint, the
 * ledger entry and inclusion proof of every item under that checkpoint, and the per-framework
 * status views. Deterministic: the same store, period and `now` give the same bytes.
 */
import { createHash } from 'node:crypto';
import { type Catalog, frameworkStatus, frameworks } from '../catalog/index.js';
import type { Assessment } from '../kernel/index.js';
import {
  canonicalBytes,
  canonicalize,
  findEntriesContaining,
  formatInclusionProofFile,
  latestCheckpoint,
  parseSignedCheckpoint,
  proveInclusion,
  type StoredEntry,
} from '../ledger/index.js';
import { keyIdOf, parsePublicKey } from '../provenance/index.js';
import { listSigners, loadVerifiedRecords, readEvidence } from '../records/index.js';
import type { Store } from '../store/index.js';
import { EvidencePackError } from './errors.js';
import {
  isSafeEntryName,
  maxPackBytes,
  maxPackItems,
  type PackDocument,
  type PackFile,
  type PackItem,
  packSchema,
} from './format.js';
import { verifyEvidencePack } from './verify.js';

export interface PackPeriod {
  /** YYYY-MM-DD, inclusive. */
  from: string;
  /** YYYY-MM-DD, inclusive. */
  to: string;
}

export interface BuildPackOptions {
  period: PackPeriod;
  catalog: Catalog;
  now: Date;
  toolVersion: string;
}

export interface BuiltPack {
  bytes: Buffer;
  sha256: string;
  counts: { assessments: number; records: number; evidence: number; files: number };
  checkpoint: { origin: string; size: number };
}

/** Checks a period of calendar dates; throws PACK_PERIOD_INVALID. */
export function checkPeriod(from: string, to: string): PackPeriod {
  for (const [name, value] of [
    ['--from', from],
    ['--to', to],
  ] as const) {
    const time = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
    if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) {
      throw new EvidencePackError('PACK_PERIOD_INVALID', `${name} must be a calendar date YYYY-MM-DD`);
    }
  }
  if (from > to) throw new EvidencePackError('PACK_PERIOD_INVALID', `--from ${from} is after --to ${to}`);
  return { from, to };
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString();
}

function safeName(id: string, what: string): string {
  const path = `${what}/${id}.json`;
  if (!isSafeEntryName(path)) {
    throw new EvidencePackError(
      'PACK_ITEM_UNPROVEN',
      `${what.slice(0, -1)} id ${JSON.stringify(id.slice(0, 80))} cannot name a file`,
    );
  }
  return path;
}

/** The ledger entry of `type` whose data passes `matches`, found by an exact substring first. */
async function findEntry(
  store: Store,
  needle: string,
  type: string,
  matches: (data: Record<string, unknown>) => boolean,
): Promise<StoredEntry | undefined> {
  for (const entry of await findEntriesContaining(store, needle, 100)) {
    const parsed = JSON.parse(entry.entry) as { type?: unknown; data?: Record<string, unknown> };
    if (parsed.type === type && parsed.data !== undefined && matches(parsed.data)) return entry;
  }
  return undefined;
}

export async function buildEvidencePack(store: Store, options: BuildPackOptions): Promise<BuiltPack> {
  const { period, catalog } = options;
  checkPeriod(period.from, period.to);
  const note = await latestCheckpoint(store);
  if (note === undefined) {
    throw new EvidencePackError(
      'PACK_CHECKPOINT_MISSING',
      'the ledger has no signed checkpoint: sign one first (shipguard ledger checkpoint --key … --origin …)',
    );
  }
  const checkpoint = parseSignedCheckpoint(note).checkpoint;

  const files = new Map<string, { bytes: Buffer; mediaType: string }>();
  const items: PackItem[] = [];
  const addFile = (path: string, bytes: Buffer, mediaType: string) => {
    files.set(path, { bytes, mediaType });
  };
  const addItem = async (kind: PackItem['kind'], id: string, path: string, entry: StoredEntry) => {
    if (entry.index >= checkpoint.size) {
      throw new EvidencePackError(
        'PACK_CHECKPOINT_MISSING',
        `${kind} ${id} (ledger entry ${entry.index}) came after the newest checkpoint (${checkpoint.size} entries): sign a new one first (shipguard ledger checkpoint)`,
      );
    }
    const proof = await proveInclusion(store, entry.index, checkpoint.size);
    const entryPath = `ledger/entries/${entry.index}.json`;
    const proofPath = `ledger/proofs/${entry.index}.json`;
    addFile(entryPath, Buffer.from(entry.entry, 'utf8'), 'application/json');
    addFile(proofPath, Buffer.from(formatInclusionProofFile(proof), 'utf8'), 'application/json');
    items.push({ kind, id, path, ledgerIndex: entry.index, entry: entryPath, proof: proofPath });
    if (items.length > maxPackItems) {
      throw new EvidencePackError(
        'PACK_TOO_LARGE',
        `the period holds more than ${maxPackItems} items: pack a shorter one`,
      );
    }
  };

  // Assessments started in the period, oldest first; each must be the one its ledger entry vouches for.
  const summaries = await store.listAssessments({
    startedFrom: `${period.from}T00:00:00Z`,
    startedBefore: nextDay(period.to),
    limit: 10_000,
  });
  if (summaries.length === 10_000) {
    throw new EvidencePackError(
      'PACK_TOO_LARGE',
      'the period holds 10,000 assessments or more: pack a shorter one',
    );
  }
  const latestPerRepository = new Map<string, Assessment>();
  for (const summary of [...summaries].reverse()) {
    const assessment = await store.getAssessment(summary.id);
    if (assessment === undefined) continue;
    const path = safeName(summary.id, 'assessments');
    const bytes = canonicalBytes(assessment);
    const digest = `sha256:${sha256Hex(bytes)}`;
    const entry = await findEntry(
      store,
      `"assessmentId":${JSON.stringify(summary.id)}`,
      'assessment.completed',
      (data) => data['assessmentId'] === summary.id,
    );
    if (entry === undefined) {
      throw new EvidencePackError('PACK_ITEM_UNPROVEN', `assessment ${summary.id} has no ledger entry`);
    }
    if ((JSON.parse(entry.entry) as { data: { digest?: unknown } }).data.digest !== digest) {
      throw new EvidencePackError(
        'PACK_ITEM_UNPROVEN',
        `assessment ${summary.id} in the store differs from the one ledger entry ${entry.index} vouches for`,
      );
    }
    addFile(path, bytes, 'application/json');
    await addItem('assessment', summary.id, path, entry);
    latestPerRepository.set(summary.repository, assessment);
  }

  // Records effective in the period, each the record its ledger entry holds, with its evidence.
  const records = (await loadVerifiedRecords(store))
    .filter((record) => record.document.effective >= period.from && record.document.effective <= period.to)
    .sort((a, b) => a.document.id.localeCompare(b.document.id));
  for (const record of records) {
    const id = record.document.id;
    const path = safeName(id, 'records');
    const entry = await findEntry(
      store,
      `"id":${JSON.stringify(id)}`,
      'record.added',
      (data) => data['id'] === id && canonicalize(data['envelope']) === record.signed.text,
    );
    if (entry === undefined) {
      throw new EvidencePackError('PACK_ITEM_UNPROVEN', `record ${id} has no ledger entry holding it`);
    }
    addFile(path, Buffer.from(record.signed.text, 'utf8'), 'application/json');
    await addItem('record', id, path, entry);
    for (const file of record.document.evidence) {
      const evidencePath = `evidence/${file.sha256}`;
      if (files.has(evidencePath)) continue;
      const stored = await readEvidence(store, file.sha256);
      if (stored === undefined || sha256Hex(stored.content) !== file.sha256) {
        throw new EvidencePackError(
          'PACK_ITEM_UNPROVEN',
          `record ${id}: evidence ${file.name} is ${stored === undefined ? 'missing from' : 'altered in'} the store`,
        );
      }
      addFile(evidencePath, stored.content, stored.mediaType);
    }
  }

  // The registration of every key that signed a packed record, so its signature checks offline.
  const signerKeys = new Set(records.map((record) => record.signerKeyId));
  for (const signer of await listSigners(store)) {
    const keyId = keyIdOf(parsePublicKey(signer.publicKey));
    if (!signerKeys.has(keyId)) continue;
    const entry = await findEntry(
      store,
      `"publicKey":${JSON.stringify(signer.publicKey)}`,
      'record-signer.registered',
      (data) => data['publicKey'] === signer.publicKey && data['person'] === signer.person,
    );
    if (entry === undefined) {
      throw new EvidencePackError(
        'PACK_ITEM_UNPROVEN',
        `the signer key of ${signer.person} has no ledger entry`,
      );
    }
    const path = `signers/${keyId}.json`;
    const data = (JSON.parse(entry.entry) as { data: unknown }).data;
    addFile(path, canonicalBytes(data), 'application/json');
    await addItem('signer', keyId, path, entry);
  }

  addFile('ledger/checkpoint.txt', Buffer.from(note, 'utf8'), 'text/plain');
  const repositories = [...latestPerRepository.keys()].sort();
  if (repositories.length > 0) {
    for (const framework of frameworks) {
      const views = repositories.map((repository) => ({
        repository,
        view: frameworkStatus(catalog, latestPerRepository.get(repository) as Assessment, framework),
      }));
      addFile(
        `frameworks/${framework}.json`,
        canonicalBytes({ schemaVersion: 1, framework, views }),
        'application/json',
      );
    }
  }

  const paths = [...files.keys()].sort();
  const manifestFiles: PackFile[] = paths.map((path) => {
    const file = files.get(path) as { bytes: Buffer; mediaType: string };
    return { path, sha256: sha256Hex(file.bytes), size: file.bytes.length, mediaType: file.mediaType };
  });
  const document: PackDocument = {
    schema: packSchema,
    manifest: {
      period,
      createdAt: options.now.toISOString(),
      toolVersion: options.toolVersion,
      catalogVersion: catalog.version,
      origin: checkpoint.origin,
      checkpoint: 'ledger/checkpoint.txt',
      items: items.sort((a, b) => a.path.localeCompare(b.path)),
      files: manifestFiles,
    },
    contents: paths.map((path) => ({
      path,
      base64: (files.get(path) as { bytes: Buffer }).bytes.toString('base64'),
    })),
  };
  const bytes = Buffer.from(canonicalize(document), 'utf8');
  if (bytes.length > maxPackBytes) {
    throw new EvidencePackError(
      'PACK_TOO_LARGE',
      `the pack would be ${bytes.length} bytes, more than ${maxPackBytes}`,
    );
  }
  // Fail closed: a pack that would not verify is never handed to an auditor.
  const check = await verifyEvidencePack(bytes, { catalog, skipSignature: true });
  if (!check.ok) {
    const first = check.problems
      .slice(0, 3)
      .map((problem) => `${problem.code} ${problem.subject}: ${problem.message}`);
    throw new EvidencePackError('PACK_SELF_CHECK_FAILED', `the pack does not verify: ${first.join('; ')}`);
  }
  return {
    bytes,
    sha256: sha256Hex(bytes),
    counts: {
      assessments: check.counts.assessments,
      records: check.counts.records,
      evidence: check.counts.evidence,
      files: paths.length,
    },
    checkpoint: { origin: checkpoint.origin, size: checkpoint.size },
  };
}
