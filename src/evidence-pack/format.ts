/**
 * The evidence pack's one-file format: a canonical JSON document (RFC 8785) holding a manifest
 * (every file's path, SHA-256 and size, and the items the ledger proves) and the files' bytes in
 * base64. Docs: docs/evidence-pack.md; why JSON: docs/decisions/0008-evidence-pack.md.
 *
 * The reader treats a pack as hostile: it bounds the document's bytes before parsing, every
 * count and size in it, and accepts only entry names from a closed grammar (no absolute paths,
 * no `.` or `..` segments, no backslashes or control characters).
 */
import { z } from 'zod';

export const packSchema = 'shipguard.evidence-pack/v1';

/** The largest pack a verifier reads: evidence files are at most 10 MiB each, records point to larger ones. */
export const maxPackBytes = 256 * 1024 * 1024;
export const maxPackFiles = 100_000;
export const maxPackItems = 50_000;
/** One file's largest size: an evidence file is at most 10 MiB, an assessment document may be larger. */
export const maxFileBytes = 32 * 1024 * 1024;

/**
 * Entry names: 2 to 4 segments of letters, digits, `.`, `_`, `:`, `-`, under a known top folder,
 * never `.` or `..`, at most 300 characters. Nothing a file system could read as another place.
 */
const segment = '[A-Za-z0-9_:-][A-Za-z0-9._:-]{0,159}';
const pathPattern = new RegExp(
  `^(assessments|records|signers|evidence|ledger|frameworks)(/${segment}){1,3}$`,
);

export function isSafeEntryName(path: string): boolean {
  return (
    path.length <= 300 &&
    pathPattern.test(path) &&
    path.split('/').every((part) => part !== '.' && part !== '..' && !/^\.+$/.test(part))
  );
}

const entryName = z.string().max(300).refine(isSafeEntryName, 'not a safe entry name');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const calendarDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const PackFile = z.strictObject({
  path: entryName,
  sha256,
  size: z.number().int().nonnegative().max(maxFileBytes),
  mediaType: z
    .string()
    .max(255)
    .regex(/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i),
});
export type PackFile = z.infer<typeof PackFile>;

export const itemKinds = ['signer', 'assessment', 'record'] as const;
export type ItemKind = (typeof itemKinds)[number];

export const PackItem = z.strictObject({
  kind: z.enum(itemKinds),
  id: z.string().min(1).max(256),
  /** The file holding the item: `signers/<key id>.json`, `assessments/<id>.json`, `records/<id>.json`. */
  path: entryName,
  ledgerIndex: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  /** The ledger entry's canonical text and the inclusion proof of that entry under the checkpoint. */
  entry: entryName,
  proof: entryName,
});
export type PackItem = z.infer<typeof PackItem>;

export const PackManifest = z.strictObject({
  period: z.strictObject({ from: calendarDay, to: calendarDay }),
  createdAt: z.string().max(40),
  toolVersion: z.string().max(100),
  catalogVersion: z.string().max(100),
  /** The ledger origin the pack claims; the checkpoint's own line is what counts. */
  origin: z.string().max(1000),
  checkpoint: entryName,
  items: z.array(PackItem).max(maxPackItems),
  files: z.array(PackFile).max(maxPackFiles),
});
export type PackManifest = z.infer<typeof PackManifest>;

export const PackDocument = z.strictObject({
  schema: z.literal(packSchema),
  manifest: PackManifest,
  contents: z
    .array(
      z.strictObject({
        path: entryName,
        // base64 of at most maxFileBytes bytes
        base64: z.string().max(Math.ceil(maxFileBytes / 3) * 4),
      }),
    )
    .max(maxPackFiles),
});
export type PackDocument = z.infer<typeof PackDocument>;

export type DecodedPack = { ok: true; pack: PackDocument } | { ok: false; message: string };

/** Parses a pack's bytes within the bounds above; never throws on hostile input. */
export function decodePack(bytes: Uint8Array): DecodedPack {
  if (bytes.length > maxPackBytes) {
    return {
      ok: false,
      message: `the pack is ${bytes.length} bytes, more than the ${maxPackBytes} a pack may be`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    // A nesting too deep for the parser's stack is a RangeError: still just a malformed pack.
    return { ok: false, message: `the pack is not JSON (${error instanceof Error ? error.name : 'error'})` };
  }
  const parsed = PackDocument.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.slice(0, 6).join('.') || '(pack)'}: ${issue.message}`);
    return { ok: false, message: `not a ${packSchema} document: ${issues.join('; ')}` };
  }
  return { ok: true, pack: parsed.data };
}

/** Strict base64: rejects characters and padding that Buffer.from would silently skip. */
export function decodeContent(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}
