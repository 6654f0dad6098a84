import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { appendEvents, canonicalize, hashLeaf, readEntries } from '../ledger/index.js';
import { type Signer, signEnvelope, toEnvelope, verifyEnvelope } from '../provenance/index.js';
import { type SignerDirectory, storeSignerDirectory } from '../records/index.js';
import { type Store, viewTables } from '../store/index.js';
import { EvidenceImportError } from './errors.js';
import * as model from './model.js';
import { cleanText } from './parse-support.js';

type EvidenceImportsTable = {
  id: string;
  format: string;
  kind: string;
  tool: string;
  ran_at: string;
  ran_at_source: string;
  commit_sha: string;
  commit_source: string;
  sha256: string;
  size: number | string | bigint;
  file_name: string;
  imported_at: string;
  summary: string;
  envelope: string | null;
  signer_key: string | null;
  ledger_index: number | string | bigint;
};
type EvidenceImportTables = { evidence_imports: EvidenceImportsTable };

/** The ledger event of one import; its data is the import as stored, minus the ledger index. */
export const evidenceImportedEvent = 'evidence.imported';
/** The DSSE payload type of a signed import: the import as canonical JSON. */
export const evidenceImportPayloadType = 'application/vnd.shipguard.evidence-import+json';

function importsDb(store: Store): Kysely<EvidenceImportTables> {
  return viewTables<EvidenceImportTables>(store.db);
}

export interface ImportInput {
  parsed: model.ParsedEvidence;
  bytes: Buffer;
  /** The file's name as the operator gave it (its base name is kept, redacted). */
  fileName: string;
  /** The commit the evidence is for: the file's own when it names one, else this (--commit or HEAD). */
  commit: string;
  commitSource: Exclude<model.CommitSource, 'file'>;
  /** --tool: names the tool when the file does not (a file's own name wins only when no --tool). */
  tool?: string;
  now: Date;
  /** Signs the import; its key must be registered to a person (`records signer add`). */
  signer?: Signer;
}

/**
 * Records one evidence file: a ledger entry (`evidence.imported`) holding what was read, then
 * its row. The file's own commit wins over `--commit`/HEAD: a SARIF log that says it ran on
 * another commit is evidence about that commit, whatever the operator typed.
 */
export async function importEvidence(store: Store, input: ImportInput): Promise<model.EvidenceImport> {
  const fileCommit = input.parsed.commit;
  const commit = (fileCommit ?? input.commit).toLowerCase();
  if (!/^[0-9a-f]{7,64}$/.test(commit)) {
    throw new EvidenceImportError('EVIDENCE_COMMIT_INVALID', `"${cleanText(commit, 80)}" is not a commit id`);
  }
  const base = input.fileName.split(/[\\/]/).pop() ?? input.fileName;
  const record: Omit<model.EvidenceImport, 'ledgerIndex'> = {
    id: randomUUID(),
    format: input.parsed.format,
    kind: model.kindOfFormat[input.parsed.format],
    tool: cleanText(input.tool ?? input.parsed.tool ?? input.parsed.format, 100),
    ranAt: input.parsed.ranAt ?? input.now.toISOString(),
    ranAtSource: input.parsed.ranAt === undefined ? 'import' : 'file',
    commit,
    commitSource: fileCommit === undefined ? input.commitSource : 'file',
    sha256: createHash('sha256').update(input.bytes).digest('hex'),
    size: input.bytes.length,
    fileName: cleanText(base, 200),
    importedAt: input.now.toISOString(),
    summary: input.parsed.summary,
  };
  const stored: Omit<model.EvidenceImport, 'ledgerIndex'> = { ...record };
  if (input.signer) {
    const directory = await storeSignerDirectory(store);
    if (directory.personOf(input.signer.keyId) === undefined) {
      throw new EvidenceImportError(
        'EVIDENCE_SIGNER_UNKNOWN',
        `the key ${input.signer.keyId.slice(0, 16)} is not registered to anyone; register it with \`shipguard records signer add\``,
      );
    }
    const envelope = await signEnvelope(
      Buffer.from(canonicalize(record), 'utf8'),
      evidenceImportPayloadType,
      [input.signer],
    );
    stored.signature = { envelope: canonicalize(envelope), keyId: input.signer.keyId };
  }
  const appended = await appendEvents(
    store,
    [{ type: evidenceImportedEvent, data: { ...stored } as unknown as Record<string, unknown> }],
    { now: () => input.now },
  );
  await importsDb(store)
    .insertInto('evidence_imports')
    .values({
      id: record.id,
      format: record.format,
      kind: record.kind,
      tool: record.tool,
      ran_at: record.ranAt,
      ran_at_source: record.ranAtSource,
      commit_sha: record.commit,
      commit_source: record.commitSource,
      sha256: record.sha256,
      size: record.size,
      file_name: record.fileName,
      imported_at: record.importedAt,
      summary: JSON.stringify(record.summary),
      envelope: stored.signature?.envelope ?? null,
      signer_key: stored.signature?.keyId ?? null,
      ledger_index: appended.firstIndex,
    })
    .execute();
  const result: model.EvidenceImport = { ...stored, ledgerIndex: appended.firstIndex };
  if (input.signer) {
    const person = (await storeSignerDirectory(store)).personOf(input.signer.keyId);
    if (person !== undefined) result.signedBy = person;
  }
  return result;
}

export interface ListImportsQuery {
  /** Only imports for this commit (full id, or a prefix of at least 7 characters). */
  commit?: string;
  kind?: model.EvidenceKind;
  /** Newest imports first; default 50, at most 1000. */
  limit?: number;
}

export interface ListedImports {
  imports: model.EvidenceImport[];
  /** Rows whose ledger entry is missing or says something else: they do not count. */
  unverified: { id: string; reason: string }[];
}

/**
 * Stored imports, newest first, each checked against its ledger entry: what has no matching
 * entry does not count (DESIGN.md: the ledger is the source of truth), and is listed as such.
 */
export async function listImports(store: Store, query: ListImportsQuery = {}): Promise<ListedImports> {
  let select = importsDb(store).selectFrom('evidence_imports').selectAll();
  if (query.commit !== undefined) {
    const commit = query.commit.toLowerCase();
    select =
      commit.length >= 40
        ? select.where('commit_sha', '=', commit)
        : select.where('commit_sha', 'like', `${commit.replace(/[^0-9a-f]/g, '')}%`);
  }
  if (query.kind !== undefined) select = select.where('kind', '=', query.kind);
  const rows = await select
    .orderBy('imported_at', 'desc')
    .orderBy('ledger_index', 'desc')
    .limit(Math.min(Math.max(query.limit ?? 50, 1), 1000))
    .execute();
  const imports: model.EvidenceImport[] = [];
  const unverified: ListedImports['unverified'] = [];
  let directory: SignerDirectory | undefined;
  for (const row of rows) {
    const stored = toImport(row);
    if (typeof stored === 'string') {
      unverified.push({ id: row.id, reason: stored });
      continue;
    }
    const problem = await ledgerMismatch(store, stored);
    if (problem) {
      unverified.push({ id: row.id, reason: problem });
      continue;
    }
    if (stored.signature) {
      directory ??= await storeSignerDirectory(store);
      const signer = await verifiedSigner(stored, directory);
      if ('problem' in signer) {
        unverified.push({ id: row.id, reason: signer.problem });
        continue;
      }
      stored.signedBy = signer.person;
    }
    imports.push(stored);
  }
  return { imports, unverified };
}

/**
 * The registered person whose key signed this import, or the problem: the signature does not
 * verify, signs something else than the stored import, or its key is no longer registered.
 */
async function verifiedSigner(
  stored: model.EvidenceImport,
  directory: SignerDirectory,
): Promise<{ person: string } | { problem: string }> {
  const { signature, ledgerIndex: _ledgerIndex, signedBy: _signedBy, ...signed } = stored;
  if (!signature) return { problem: 'not signed' };
  try {
    const envelope = toEnvelope(JSON.parse(signature.envelope));
    const verified = await verifyEnvelope(envelope, directory.verifiers, {
      payloadType: evidenceImportPayloadType,
    });
    if (Buffer.from(verified.payload).toString('utf8') !== canonicalize(signed)) {
      return { problem: 'the signature is over something else than the stored import' };
    }
    for (const keyId of verified.keyIds) {
      const person = directory.personOf(keyId);
      if (person !== undefined) return { person };
    }
    return { problem: 'the signing key is not registered' };
  } catch {
    return {
      problem: `the signature of key ${signature.keyId.slice(0, 16)} does not verify against any registered key`,
    };
  }
}

async function ledgerMismatch(store: Store, stored: model.EvidenceImport): Promise<string | undefined> {
  const [entry] = await readEntries(store, stored.ledgerIndex, 1);
  if (!entry || entry.index !== stored.ledgerIndex) return `ledger entry ${stored.ledgerIndex} is missing`;
  // An entry edited in place no longer hashes to its leaf (the tree above it is `ledger verify`'s job).
  if (hashLeaf(Buffer.from(entry.entry, 'utf8')).toString('hex') !== entry.leafHash) {
    return `ledger entry ${stored.ledgerIndex} does not match its leaf hash`;
  }
  let parsed: { type?: unknown; data?: unknown };
  try {
    parsed = JSON.parse(entry.entry) as { type?: unknown; data?: unknown };
  } catch {
    return `ledger entry ${stored.ledgerIndex} is not JSON`;
  }
  if (parsed.type !== evidenceImportedEvent) return `ledger entry ${stored.ledgerIndex} is not an import`;
  const { ledgerIndex: _ledgerIndex, signedBy: _signedBy, ...withoutIndex } = stored;
  if (canonicalize(parsed.data) !== canonicalize(withoutIndex)) {
    return `the row differs from ledger entry ${stored.ledgerIndex}`;
  }
  return undefined;
}

function toImport(row: EvidenceImportsTable): model.EvidenceImport | string {
  if (!(model.evidenceFormats as readonly string[]).includes(row.format))
    return `unknown format ${row.format}`;
  if (!(model.evidenceKinds as readonly string[]).includes(row.kind)) return `unknown kind ${row.kind}`;
  let summary: model.EvidenceSummary;
  try {
    summary = JSON.parse(row.summary) as model.EvidenceSummary;
  } catch {
    return 'the summary is not JSON';
  }
  const stored: model.EvidenceImport = {
    id: row.id,
    format: row.format as model.EvidenceFormat,
    kind: row.kind as model.EvidenceKind,
    tool: row.tool,
    ranAt: row.ran_at,
    ranAtSource: row.ran_at_source as model.RanAtSource,
    commit: row.commit_sha,
    commitSource: row.commit_source as model.CommitSource,
    sha256: row.sha256,
    size: Number(row.size),
    fileName: row.file_name,
    importedAt: row.imported_at,
    summary,
    ledgerIndex: Number(row.ledger_index),
  };
  if (row.envelope !== null && row.signer_key !== null) {
    stored.signature = { envelope: row.envelope, keyId: row.signer_key };
  }
  return stored;
}
