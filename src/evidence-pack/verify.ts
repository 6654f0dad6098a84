/**
 * Verifies an evidence pack offline: every file against the manifest's digest, every item's
 * inclusion proof against the pack's checkpoint, the checkpoint's signature against the key the
 * auditor expects, and each item against the ledger entry that vouches for it. Collects every
 * problem, each with a code and the file or item it concerns; never throws on a hostile pack.
 */
import { createHash } from 'node:crypto';
import { type Catalog, type FrameworkStatusView, frameworkStatus, frameworks } from '../catalog/index.js';
import type { Assessment } from '../kernel/index.js';
import {
  canonicalize,
  hashLeaf,
  type NoteVerifier,
  noteKeyId,
  parseCanonical,
  parseInclusionProofFile,
  parseSignedCheckpoint,
  verifyCheckpoint,
  verifyInclusion,
} from '../ledger/index.js';
import { createSignerDirectory, openSignedRecord, type RegisteredSigner } from '../records/index.js';
import { decodeContent, decodePack, itemKinds, type PackDocument, type PackItem } from './format.js';

export const packProblemCodes = [
  'PACK_MALFORMED',
  'FILE_MISSING',
  'FILE_TAMPERED',
  'FILE_UNLISTED',
  'FILE_DUPLICATED',
  'CHECKPOINT_MALFORMED',
  'CHECKPOINT_KEY_MISSING',
  'CHECKPOINT_FOREIGN_KEY',
  'CHECKPOINT_SIGNATURE_INVALID',
  'CHECKPOINT_FOREIGN_LOG',
  'PROOF_MISSING',
  'PROOF_INVALID',
  'ENTRY_MISMATCH',
  'RECORD_SIGNATURE_INVALID',
  'EVIDENCE_MISSING',
  'EVIDENCE_UNREFERENCED',
  'FRAMEWORK_VIEW_MISMATCH',
] as const;
export type PackProblemCode = (typeof packProblemCodes)[number];

export interface PackProblem {
  code: PackProblemCode;
  /** The file path or item (`record <id>`, `assessment <id>`) the problem concerns. */
  subject: string;
  message: string;
}

export interface PackVerification {
  ok: boolean;
  problems: PackProblem[];
  /** What was checked and could not be (and why), when that is not a problem. */
  notes: string[];
  period?: { from: string; to: string };
  checkpoint?: { origin: string; size: number; keyNames: string[] };
  counts: { files: number; assessments: number; records: number; evidence: number };
}

export interface VerifyPackOptions {
  /** The checkpoint keys the auditor trusts (signed-note verifier keys). None: CHECKPOINT_KEY_MISSING. */
  verifiers?: readonly NoteVerifier[];
  /** The log origin the auditor expects; when given, a checkpoint of another origin is foreign. */
  origin?: string;
  /** The catalog to recompute the framework views with; they are compared when its version matches. */
  catalog?: Catalog;
  /** Internal (the builder's self-check): skip the signature, which needs the auditor's key. */
  skipSignature?: boolean;
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** At most this many problems are listed: a pack with thousands of bad files is bad enough. */
const maxProblems = 1_000;

export async function verifyEvidencePack(
  bytes: Uint8Array,
  options: VerifyPackOptions = {},
): Promise<PackVerification> {
  const counts = { files: 0, assessments: 0, records: 0, evidence: 0 };
  const decoded = decodePack(bytes);
  if (!decoded.ok) {
    return {
      ok: false,
      problems: [{ code: 'PACK_MALFORMED', subject: '(pack)', message: decoded.message }],
      notes: [],
      counts,
    };
  }
  const problems: PackProblem[] = [];
  const notes: string[] = [];
  const problem = (code: PackProblemCode, subject: string, message: string) => {
    if (problems.length < maxProblems) problems.push({ code, subject, message });
  };
  const { manifest } = decoded.pack;
  const files = checkFiles(decoded.pack, problem);
  counts.files = files.size;

  const checkpoint = checkCheckpoint(files.get(manifest.checkpoint), manifest.checkpoint, options, problem);

  const referencedEvidence = new Set<string>();
  const assessments = new Map<string, Assessment>();
  const seenItems = new Set<string>();
  // Signers first: a record's signature is checked against the registrations the pack proves.
  const order = (item: PackItem) => itemKinds.indexOf(item.kind);
  const items = [...manifest.items].sort((a, b) => order(a) - order(b));
  const signers: RegisteredSigner[] = [];
  let directory: ReturnType<typeof createSignerDirectory> | undefined;
  for (const item of items) {
    const subject = `${item.kind} ${item.id}`;
    if (seenItems.has(item.path)) {
      problem('FILE_DUPLICATED', item.path, `${item.path} is listed as two items`);
      continue;
    }
    seenItems.add(item.path);
    const content = files.get(item.path);
    if (content === undefined) {
      problem('FILE_MISSING', subject, `the item's file ${item.path} is not in the pack`);
      continue;
    }
    const entry = checkInclusion(item, subject, files, checkpoint, problem);
    if (entry === undefined) continue;
    const binding: Binding = { item, subject, content, entry: parseEntry(entry), problem };
    if (item.kind === 'signer') {
      const signer = bindSigner(binding);
      if (signer !== undefined) signers.push(signer);
      continue;
    }
    if (item.kind === 'assessment') {
      if (!bindAssessment(binding)) continue;
      counts.assessments += 1;
      assessments.set(item.id, parseCanonical(content.toString('utf8')).value as Assessment);
      continue;
    }
    if (!bindRecord(binding)) continue;
    try {
      directory ??= createSignerDirectory(signers);
      const verified = await openSignedRecord(JSON.parse(content.toString('utf8')), directory, subject);
      counts.records += 1;
      for (const file of verified.document.evidence) {
        referencedEvidence.add(file.sha256);
        if (!files.has(`evidence/${file.sha256}`))
          problem(
            'EVIDENCE_MISSING',
            subject,
            `the record names evidence ${file.name} (${file.sha256}) that is not in the pack`,
          );
      }
    } catch (error) {
      problem(
        'RECORD_SIGNATURE_INVALID',
        subject,
        `no signer the pack proves signed it: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  for (const path of files.keys()) {
    if (/^(assessments|records|signers)\//.test(path) && !seenItems.has(path)) {
      problem(
        'PROOF_MISSING',
        path,
        `${path} is not an item of the manifest: no ledger proof vouches for it`,
      );
    }
    if (path.startsWith('evidence/')) {
      counts.evidence += 1;
      if (!referencedEvidence.has(path.slice('evidence/'.length)))
        problem('EVIDENCE_UNREFERENCED', path, `no proven record names ${path}, so nothing vouches for it`);
    }
  }
  checkFrameworkViews(decoded.pack, files, assessments, options.catalog, problem, notes);

  return {
    ok: problems.length === 0,
    problems,
    notes,
    period: manifest.period,
    ...(checkpoint === undefined
      ? {}
      : {
          checkpoint: {
            origin: checkpoint.origin,
            size: checkpoint.size,
            keyNames: checkpoint.keyNames,
          },
        }),
    counts,
  };
}

type Report = (code: PackProblemCode, subject: string, message: string) => void;

/** Every manifest file's bytes, checked against its digest and size; contents nobody listed are named. */
function checkFiles(pack: PackDocument, problem: Report): Map<string, Buffer> {
  const contents = new Map<string, string>();
  for (const content of pack.contents) {
    if (contents.has(content.path))
      problem('FILE_DUPLICATED', content.path, 'the pack holds this file twice');
    else contents.set(content.path, content.base64);
  }
  const files = new Map<string, Buffer>();
  const listed = new Set<string>();
  for (const file of pack.manifest.files) {
    if (listed.has(file.path)) {
      problem('FILE_DUPLICATED', file.path, 'the manifest lists this file twice');
      continue;
    }
    listed.add(file.path);
    const text = contents.get(file.path);
    if (text === undefined) {
      problem('FILE_MISSING', file.path, 'the manifest lists this file but the pack does not hold it');
      continue;
    }
    const bytes = decodeContent(text);
    if (bytes === undefined) {
      problem('FILE_TAMPERED', file.path, 'the content is not canonical base64');
      continue;
    }
    const digest = sha256Hex(bytes);
    if (digest !== file.sha256 || bytes.length !== file.size) {
      problem(
        'FILE_TAMPERED',
        file.path,
        `SHA-256 ${digest.slice(0, 16)}…, ${bytes.length} bytes; the manifest says ${file.sha256.slice(0, 16)}…, ${file.size} bytes`,
      );
      continue;
    }
    files.set(file.path, bytes);
  }
  for (const path of contents.keys()) {
    if (!listed.has(path))
      problem('FILE_UNLISTED', path, 'the pack holds this file but the manifest does not list it');
  }
  return files;
}

interface CheckedCheckpoint {
  origin: string;
  size: number;
  root: Uint8Array;
  keyNames: string[];
}

function checkCheckpoint(
  bytes: Buffer | undefined,
  path: string,
  options: VerifyPackOptions,
  problem: Report,
): CheckedCheckpoint | undefined {
  if (bytes === undefined) {
    problem('CHECKPOINT_MALFORMED', path, 'the pack has no readable checkpoint');
    return undefined;
  }
  const text = bytes.toString('utf8');
  let note: ReturnType<typeof parseSignedCheckpoint>;
  try {
    note = parseSignedCheckpoint(text);
  } catch (error) {
    problem('CHECKPOINT_MALFORMED', path, error instanceof Error ? error.message : String(error));
    return undefined;
  }
  const checked = {
    origin: note.checkpoint.origin,
    size: note.checkpoint.size,
    root: note.checkpoint.root,
    keyNames: [...new Set(note.signatures.map((signature) => signature.name))],
  };
  if (options.origin !== undefined && note.checkpoint.origin !== options.origin) {
    problem(
      'CHECKPOINT_FOREIGN_LOG',
      path,
      `the checkpoint is of log ${JSON.stringify(note.checkpoint.origin)}, not ${JSON.stringify(options.origin)}`,
    );
  }
  if (options.skipSignature) return checked;
  const verifiers = options.verifiers ?? [];
  if (verifiers.length === 0) {
    problem(
      'CHECKPOINT_KEY_MISSING',
      path,
      `no checkpoint key given (--checkpoint-key): the signature by ${checked.keyNames.join(', ')} was not checked`,
    );
    return checked;
  }
  const byTrustedKey = note.signatures.some((signature) =>
    verifiers.some(
      (verifier) =>
        verifier.name === signature.name &&
        Buffer.compare(noteKeyId(verifier.name, verifier.publicKey), signature.keyId) === 0,
    ),
  );
  if (!byTrustedKey) {
    problem(
      'CHECKPOINT_FOREIGN_KEY',
      path,
      `the checkpoint is signed by ${checked.keyNames.join(', ')}, none of them the key you expect (${verifiers.map((verifier) => verifier.name).join(', ')})`,
    );
    return checked;
  }
  try {
    verifyCheckpoint(text, verifiers);
  } catch (error) {
    problem('CHECKPOINT_SIGNATURE_INVALID', path, error instanceof Error ? error.message : String(error));
  }
  return checked;
}

/** The item's ledger entry text, once its proof leads from that entry to the checkpoint's root. */
function checkInclusion(
  item: PackItem,
  subject: string,
  files: ReadonlyMap<string, Buffer>,
  checkpoint: CheckedCheckpoint | undefined,
  problem: Report,
): string | undefined {
  const proofBytes = files.get(item.proof);
  if (proofBytes === undefined) {
    problem('PROOF_MISSING', subject, `the inclusion proof ${item.proof} is not in the pack`);
    return undefined;
  }
  const entryBytes = files.get(item.entry);
  if (entryBytes === undefined) {
    problem('PROOF_MISSING', subject, `the ledger entry ${item.entry} is not in the pack`);
    return undefined;
  }
  let proof: ReturnType<typeof parseInclusionProofFile>;
  try {
    proof = parseInclusionProofFile(proofBytes.toString('utf8'), item.proof);
  } catch (error) {
    problem('PROOF_INVALID', subject, error instanceof Error ? error.message : String(error));
    return undefined;
  }
  if (proof.leafIndex !== item.ledgerIndex) {
    problem(
      'PROOF_INVALID',
      subject,
      `the proof is for entry ${proof.leafIndex}, the item says ${item.ledgerIndex}`,
    );
    return undefined;
  }
  if (Buffer.compare(hashLeaf(entryBytes), proof.leafHash) !== 0) {
    problem('ENTRY_MISMATCH', subject, `${item.entry} does not hash to the leaf the proof proves`);
    return undefined;
  }
  try {
    verifyInclusion(proof);
  } catch (error) {
    problem('PROOF_INVALID', subject, error instanceof Error ? error.message : String(error));
    return undefined;
  }
  if (checkpoint === undefined) return undefined;
  if (proof.treeSize !== checkpoint.size || Buffer.compare(proof.root, checkpoint.root) !== 0) {
    problem(
      'CHECKPOINT_FOREIGN_LOG',
      subject,
      `the proof leads to a tree of ${proof.treeSize} entries with another root than the checkpoint (${checkpoint.size} entries of ${JSON.stringify(checkpoint.origin)})`,
    );
    return undefined;
  }
  return entryBytes.toString('utf8');
}

/** A ledger entry as the pack carries it, before anything in it is trusted. */
type PackedEntry = { index?: unknown; type?: unknown; data?: Record<string, unknown> };

function parseEntry(text: string): PackedEntry | undefined {
  try {
    const parsed = parseCanonical(text);
    if (!parsed.canonical || typeof parsed.value !== 'object' || parsed.value === null) return undefined;
    return parsed.value as PackedEntry;
  } catch {
    return undefined;
  }
}

/** A pack item, its bytes and the ledger entry that should vouch for them; `problem` takes a refusal. */
interface Binding {
  item: PackItem;
  subject: string;
  content: Buffer;
  entry: PackedEntry | undefined;
  problem: Report;
}

/** `value` as canonical JSON; undefined when there is none or it has no canonical form. */
function canonicalOrUndefined(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  try {
    return canonicalize(value);
  } catch {
    return undefined;
  }
}

function bindAssessment({ item, subject, content, entry, problem }: Binding): boolean {
  const digest = `sha256:${sha256Hex(content)}`;
  if (
    entry?.index !== item.ledgerIndex ||
    entry.type !== 'assessment.completed' ||
    entry.data?.['assessmentId'] !== item.id ||
    entry.data?.['digest'] !== digest
  ) {
    problem(
      'ENTRY_MISMATCH',
      subject,
      `ledger entry ${item.ledgerIndex} does not vouch for ${item.path} (${digest.slice(0, 19)}…)`,
    );
    return false;
  }
  const parsed = safeCanonical(content);
  if (parsed === undefined || (parsed as { id?: unknown }).id !== item.id) {
    problem('ENTRY_MISMATCH', subject, `${item.path} is not the canonical assessment ${item.id}`);
    return false;
  }
  return true;
}

function bindRecord({ item, subject, content, entry, problem }: Binding): boolean {
  const ledgered = canonicalOrUndefined(entry?.data?.['envelope']);
  if (
    entry?.index !== item.ledgerIndex ||
    entry.type !== 'record.added' ||
    entry.data?.['id'] !== item.id ||
    ledgered !== content.toString('utf8')
  ) {
    problem('ENTRY_MISMATCH', subject, `ledger entry ${item.ledgerIndex} does not vouch for ${item.path}`);
    return false;
  }
  return true;
}

function bindSigner({ item, subject, content, entry, problem }: Binding): RegisteredSigner | undefined {
  const ledgered = canonicalOrUndefined(entry?.data);
  const person = entry?.data?.['person'];
  const publicKey = entry?.data?.['publicKey'];
  if (
    entry?.index !== item.ledgerIndex ||
    entry.type !== 'record-signer.registered' ||
    ledgered !== content.toString('utf8') ||
    typeof person !== 'string' ||
    typeof publicKey !== 'string'
  ) {
    problem('ENTRY_MISMATCH', subject, `ledger entry ${item.ledgerIndex} does not vouch for ${item.path}`);
    return undefined;
  }
  return { person, publicKey };
}

function safeCanonical(content: Buffer): unknown {
  try {
    return parseCanonical(content.toString('utf8')).value;
  } catch {
    return undefined;
  }
}

/** Recomputes each framework view from the pack's own proven assessments, when the catalogs match. */
function checkFrameworkViews(
  pack: PackDocument,
  files: ReadonlyMap<string, Buffer>,
  assessments: ReadonlyMap<string, Assessment>,
  catalog: Catalog | undefined,
  problem: Report,
  notes: string[],
): void {
  for (const framework of frameworks) {
    const path = `frameworks/${framework}.json`;
    const bytes = files.get(path);
    if (bytes === undefined) {
      if (assessments.size > 0)
        problem('FILE_MISSING', path, `the ${framework} status view is not in the pack`);
      continue;
    }
    if (catalog === undefined || catalog.version !== pack.manifest.catalogVersion) {
      notes.push(
        `${path} not recomputed: the pack was built with catalog ${pack.manifest.catalogVersion}${catalog === undefined ? '' : `, this shipguard has ${catalog.version}`}`,
      );
      continue;
    }
    const stored = safeCanonical(bytes) as { views?: Array<{ view?: FrameworkStatusView }> } | undefined;
    const views = Array.isArray(stored?.views) ? stored.views : [];
    const expected = [...assessments.values()]
      .filter((assessment) => views.some((entry) => entry.view?.assessment?.id === assessment.id))
      .map((assessment) => frameworkStatus(catalog, assessment, framework));
    const recomputed = views.map((entry) => {
      const match = expected.find((view) => view.assessment.id === entry.view?.assessment?.id);
      return match === undefined ? undefined : canonicalize(match);
    });
    if (views.length === 0 && assessments.size > 0) {
      problem('FRAMEWORK_VIEW_MISMATCH', path, 'the view holds no assessment although the pack does');
      continue;
    }
    views.forEach((entry, position) => {
      let given: string | undefined;
      try {
        given = canonicalize(entry.view);
      } catch {
        given = undefined;
      }
      if (recomputed[position] === undefined || recomputed[position] !== given) {
        problem(
          'FRAMEWORK_VIEW_MISMATCH',
          path,
          `view ${position + 1} does not follow from a proven assessment of the pack and the catalog`,
        );
      }
    });
  }
}
