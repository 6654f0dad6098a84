import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalBytes, canonicalize } from '../ledger/index.js';
import { calendarDate } from '../people/index.js';
import { RecordError } from './errors.js';
import type { RecordKind } from './kinds/index.js';
import { recordKinds } from './kinds/index.js';

export const recordSchemaVersion = 'shipguard.record/v1';
/** The DSSE payload type of a signed record: what is signed can never be read as another type. */
export const recordPayloadType = 'application/vnd.shipguard.record+json';

export const recordId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'letters, digits, . _ : - (at most 128)');

/** An evidence file as the record names it; its bytes are kept content-addressed by `sha256`. */
export const EvidenceFile = z.strictObject({
  name: z.string().trim().min(1).max(200),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  mediaType: z
    .string()
    .regex(/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i)
    .max(255),
  /** When the file is also kept in the repository: its path there. */
  path: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .refine(
      (path) =>
        !path.startsWith('/') &&
        !path.includes('\\') &&
        path.split('/').every((part) => part !== '..' && part !== '.' && part !== ''),
      'a relative path inside the repository, with forward slashes and no . or .. segments',
    )
    .optional(),
});
export type EvidenceFile = z.infer<typeof EvidenceFile>;

const envelopeFields = z.strictObject({
  schema: z.literal(recordSchemaVersion),
  id: recordId,
  kind: z.string().max(64),
  /** The day the activity took place (training completed, review held). */
  effective: calendarDate,
  /** When shipguard recorded it (ISO-8601 UTC); later than or equal to `effective`. */
  recordedAt: z.iso.datetime(),
  /** Who carried the activity out: a roster person id, or an outside party's name. */
  performedBy: z.string().trim().min(1).max(200),
  evidence: z.array(EvidenceFile).max(100),
  data: z.unknown(),
});

export interface RecordDocument<Data = unknown> {
  schema: typeof recordSchemaVersion;
  id: string;
  kind: string;
  effective: string;
  recordedAt: string;
  performedBy: string;
  evidence: EvidenceFile[];
  data: Data;
}

export function kindOf(kind: string): RecordKind {
  const definition = Object.hasOwn(recordKinds, kind) ? recordKinds[kind] : undefined;
  if (!definition) {
    throw new RecordError(
      'RECORD_KIND_UNKNOWN',
      `unknown record kind ${JSON.stringify(kind)}; known: ${Object.keys(recordKinds).join(', ')}`,
    );
  }
  return definition;
}

function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map(
      (issue) =>
        `${[prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(record)'}: ${issue.message}`,
    )
    .join('; ');
}

/** Checks a whole record document: the common fields, then the data against its kind's schema. */
export function parseRecordDocument(
  json: unknown,
  where = '<record>',
  options: { dataChecked?: boolean } = {},
): RecordDocument {
  const common = envelopeFields.safeParse(json);
  if (!common.success) {
    throw new RecordError('RECORD_INVALID', `${where}: ${describeIssues(common.error)}`);
  }
  const kind = kindOf(common.data.kind);
  const data = options.dataChecked
    ? { success: true as const, data: common.data.data }
    : kind.data.safeParse(common.data.data);
  if (!data.success)
    throw new RecordError('RECORD_INVALID', `${where}: ${describeIssues(data.error, 'data')}`);
  if (common.data.recordedAt.slice(0, 10) < common.data.effective) {
    throw new RecordError(
      'RECORD_INVALID',
      `${where}: effective ${common.data.effective} is after it was recorded`,
    );
  }
  const names = new Set<string>();
  for (const file of common.data.evidence) {
    if (names.has(file.name))
      throw new RecordError('RECORD_INVALID', `${where}: evidence ${file.name} is named twice`);
    names.add(file.name);
  }
  return { ...common.data, schema: recordSchemaVersion, data: data.data };
}

/** The input a person writes (`records add KIND --file record.yaml`): the record without what shipguard fills in. */
export const RecordInput = z.strictObject({
  id: recordId.optional(),
  effective: calendarDate,
  performedBy: z.string().trim().min(1).max(200),
  data: z.unknown(),
});
export type RecordInput = z.infer<typeof RecordInput>;

/** A stable id from the kind and the record's subject and date, so re-importing a row is idempotent. */
export function deriveRecordId(kind: string, subject: string, effective: string): string {
  const hash = createHash('sha256')
    .update(canonicalize([kind, subject, effective]))
    .digest('hex')
    .slice(0, 16);
  return `${kind}:${effective}:${hash}`;
}

export function buildRecord(
  kind: string,
  input: RecordInput,
  evidence: readonly EvidenceFile[],
  recordedAt: Date,
  where = '<record>',
): RecordDocument {
  const definition = kindOf(kind);
  const data = definition.data.safeParse(input.data);
  if (!data.success)
    throw new RecordError('RECORD_INVALID', `${where}: ${describeIssues(data.error, 'data')}`);
  const id = input.id ?? deriveRecordId(kind, definition.subject(data.data), input.effective);
  return parseRecordDocument(
    {
      schema: recordSchemaVersion,
      id,
      kind,
      effective: input.effective,
      recordedAt: recordedAt.toISOString(),
      performedBy: input.performedBy,
      evidence: [...evidence].sort((a, b) => a.name.localeCompare(b.name)),
      data: data.data,
    },
    where,
    { dataChecked: true },
  );
}

export function recordBytes(document: RecordDocument): Buffer {
  return canonicalBytes(document);
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
