/**
 * What an upload becomes: bound to the principal's repository (a CI identity for repository A
 * never writes for B), checked by its domain, kept content-addressed, and ledgered with the
 * rows it adds in one transaction.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type Assessment, containsCredential } from '../../kernel/index.js';
import { appendEvents, canonicalBytes } from '../../ledger/index.js';
import { keepEvidence } from '../../records/index.js';
import { validateAssessmentDocument } from '../../report/index.js';
import { readSbomPackages } from '../../sbom/index.js';
import { type Store, type StoreTables, writeAssessmentRows } from '../../store/index.js';
import type { RequestPrincipal } from '../principal.js';
import { ApiError } from './errors.js';
import { everyRepository } from './tokens.js';
import type { StreamedUpload } from './upload.js';

export type UploadKind = 'assessment' | 'sbom' | 'gate-decision' | 'provenance';

export interface UploadResult {
  kind: UploadKind;
  repository: string;
  sha256: string;
  ledgerIndex: number;
  id?: string;
  alreadyRecorded?: boolean;
}

interface ApiUploadsTable {
  id: string;
  kind: string;
  repository: string;
  sha256: string;
  size: number | string | bigint;
  media_type: string;
  uploaded_by: string;
  uploaded_at: string;
  ledger_index: number | string | bigint;
}
type UploadTables = StoreTables & {
  api_uploads: ApiUploadsTable;
  ledger_head: { id: number; size: number | string | bigint };
};

/** The repositories a principal may read: undefined for all (a person, a `*` token). */
export function readableRepositories(principal: RequestPrincipal): readonly string[] | undefined {
  if (principal.kind === 'session') return undefined;
  if (principal.kind === 'workload') return [];
  return principal.repositories.includes(everyRepository) ? undefined : principal.repositories;
}

/**
 * The repository an upload is for. A workload's is the one its verified token names; a token's
 * must be one it is scoped to (named by `?repository=`, or its only one). `*` never grants a write.
 */
export function uploadRepository(principal: RequestPrincipal, requested: string | undefined): string {
  if (principal.kind === 'workload') {
    if (requested !== undefined && requested !== principal.repository) {
      throw new ApiError(
        'API_REPOSITORY_FORBIDDEN',
        `this CI identity is for ${principal.repository}, not ${requested.slice(0, 200)}`,
      );
    }
    return principal.repository;
  }
  if (principal.kind === 'session') {
    throw new ApiError(
      'API_REPOSITORY_FORBIDDEN',
      'uploads come from CI, with a token or a workload identity',
    );
  }
  const scoped = principal.repositories.filter((repository) => repository !== everyRepository);
  if (requested === undefined) {
    if (scoped.length === 1 && scoped[0] !== undefined) return scoped[0];
    throw new ApiError(
      'API_REPOSITORY_FORBIDDEN',
      'name the repository (?repository=): this token is not scoped to exactly one',
    );
  }
  if (!scoped.includes(requested)) {
    throw new ApiError(
      'API_REPOSITORY_FORBIDDEN',
      `this token may not upload for ${requested.slice(0, 200)}`,
    );
  }
  return requested;
}

/** The newest assessment of a repository key, or undefined. */
export async function latestAssessment(store: Store, repository: string): Promise<Assessment | undefined> {
  const [latest] = await store.listAssessments({ repository, limit: 1 });
  return latest ? store.getAssessment(latest.id) : undefined;
}

/**
 * The store holds no credential: an upload kept byte for byte (its hash must match) cannot be
 * redacted, so one that holds a credential (a token in a purl's git URL, say) is refused, saying
 * so, instead of kept.
 */
function refuseCredentials(text: string): void {
  if (containsCredential(text))
    throw new ApiError(
      'API_UPLOAD_INVALID',
      'the upload holds a credential (a token, key or password in a URL), and the server keeps none: remove it and upload again',
    );
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function ledgerSize(trx: Kysely<UploadTables>): Promise<number> {
  const head = await trx.selectFrom('ledger_head').select('size').where('id', '=', 1).executeTakeFirst();
  return Number(head?.size ?? 0);
}

/** Bytes the API accepted from `uploadedBy` since `since` (their daily quota's use). */
export async function bytesUploadedSince(store: Store, uploadedBy: string, since: Date): Promise<number> {
  const row = await (store.db as unknown as Kysely<UploadTables>)
    .selectFrom('api_uploads')
    .select((eb) => eb.fn.sum<number | string>('size').as('bytes'))
    .where('uploaded_by', '=', uploadedBy)
    .where('uploaded_at', '>', since.toISOString())
    .executeTakeFirst();
  return Number(row?.bytes ?? 0);
}

function uploadRow(
  input: { kind: UploadKind; repository: string; upload: StreamedUpload; uploadedBy: string; now: Date },
  ledgerIndex: number,
): ApiUploadsTable {
  return {
    id: randomUUID(),
    kind: input.kind,
    repository: input.repository,
    sha256: input.upload.sha256,
    size: input.upload.size,
    media_type: input.upload.mediaType,
    uploaded_by: input.uploadedBy,
    uploaded_at: input.now.toISOString(),
    ledger_index: ledgerIndex,
  };
}

/**
 * An assessment from CI: valid against assessment.schema.json, saved under the repository key
 * with its control results, and ledgered as `assessment.uploaded`. The same id uploaded again
 * for the same repository is already recorded; for another repository it is a conflict.
 */
export async function recordAssessmentUpload(
  store: Store,
  input: { repository: string; document: unknown; upload: StreamedUpload; uploadedBy: string; now: Date },
): Promise<UploadResult> {
  refuseCredentials(JSON.stringify(input.document));
  const problems = validateAssessmentDocument(input.document);
  if (problems.length > 0) {
    throw new ApiError(
      'API_UPLOAD_INVALID',
      `not a shipguard JSON report: ${problems.slice(0, 5).join('; ').slice(0, 500)}`,
    );
  }
  const assessment = input.document as Assessment;
  const existing = await store.db
    .selectFrom('assessments')
    .select(['repository'])
    .where('id', '=', assessment.id)
    .executeTakeFirst();
  if (existing) {
    if (existing.repository !== input.repository)
      throw new ApiError(
        'API_CONFLICT',
        `assessment ${assessment.id.slice(0, 100)} is recorded for another repository`,
      );
    return {
      kind: 'assessment',
      repository: input.repository,
      sha256: input.upload.sha256,
      ledgerIndex: -1,
      id: assessment.id,
      alreadyRecorded: true,
    };
  }
  let ledgerIndex = -1;
  await appendEvents(
    store,
    [
      {
        type: 'assessment.uploaded',
        data: {
          assessmentId: assessment.id,
          repository: input.repository,
          commit: assessment.subject.commit ?? null,
          digest: `sha256:${sha256Hex(canonicalBytes(assessment))}`,
          upload: `sha256:${input.upload.sha256}`,
          uploadedBy: input.uploadedBy,
          summary: { ...assessment.summary },
        },
      },
    ],
    {
      now: () => input.now,
      alongside: async (transaction) => {
        const trx = transaction as unknown as Kysely<UploadTables>;
        ledgerIndex = await ledgerSize(trx);
        await writeAssessmentRows(transaction, assessment, { repository: input.repository });
        await trx
          .insertInto('api_uploads')
          .values(uploadRow({ ...input, kind: 'assessment' }, ledgerIndex))
          .execute();
        return true;
      },
    },
  );
  return {
    kind: 'assessment',
    repository: input.repository,
    sha256: input.upload.sha256,
    ledgerIndex,
    id: assessment.id,
  };
}

/** Checks an upload by its kind; throws ApiError for content the kind does not take. */
export function checkUploadContent(
  kind: Exclude<UploadKind, 'assessment'>,
  document: unknown,
  text: string,
): { id?: string; note: Record<string, unknown> } {
  if (kind === 'sbom') {
    const read = readSbomPackages('the SBOM', text);
    return { note: { format: read.format, packages: read.packages.length } };
  }
  const record = document as Record<string, unknown>;
  if (kind === 'gate-decision') {
    if (record['dryRun'] === true)
      throw new ApiError('API_UPLOAD_INVALID', 'a dry run is a what-if, not a decision');
    return {
      id: String(record['decisionId']),
      note: {
        decisionId: record['decisionId'],
        result: record['result'],
        environment: record['environment'],
      },
    };
  }
  const envelope = (
    typeof record['dsseEnvelope'] === 'object' && record['dsseEnvelope'] !== null
      ? record['dsseEnvelope']
      : record
  ) as Record<string, unknown>;
  const signatures = envelope['signatures'];
  if (
    typeof envelope['payloadType'] !== 'string' ||
    typeof envelope['payload'] !== 'string' ||
    !/^[A-Za-z0-9+/_-]*={0,2}$/.test(envelope['payload']) ||
    !Array.isArray(signatures) ||
    signatures.length === 0 ||
    !signatures.every(
      (item) =>
        typeof item === 'object' && item !== null && typeof (item as { sig?: unknown }).sig === 'string',
    )
  ) {
    throw new ApiError(
      'API_UPLOAD_INVALID',
      'not a DSSE envelope (payloadType, base64 payload, signatures) or a bundle holding one',
    );
  }
  return { note: { payloadType: envelope['payloadType'].slice(0, 200) } };
}

/** An SBOM, a gate decision or provenance: checked, bytes kept by hash, one ledger entry. */
export async function recordFileUpload(
  store: Store,
  input: {
    kind: Exclude<UploadKind, 'assessment'>;
    repository: string;
    document: unknown;
    upload: StreamedUpload;
    content: Buffer;
    uploadedBy: string;
    now: Date;
  },
): Promise<UploadResult> {
  refuseCredentials(input.content.toString('utf8'));
  const checked = checkUploadContent(input.kind, input.document, input.content.toString('utf8'));
  let ledgerIndex = -1;
  await appendEvents(
    store,
    [
      {
        type: `${input.kind}.uploaded`,
        data: {
          repository: input.repository,
          sha256: input.upload.sha256,
          size: input.upload.size,
          mediaType: input.upload.mediaType,
          uploadedBy: input.uploadedBy,
          ...checked.note,
        },
      },
    ],
    {
      now: () => input.now,
      alongside: async (transaction) => {
        const trx = transaction as unknown as Kysely<UploadTables>;
        ledgerIndex = await ledgerSize(trx);
        await keepEvidence(transaction, {
          sha256: input.upload.sha256,
          size: input.upload.size,
          mediaType: input.upload.mediaType,
          content: input.content,
        });
        await trx.insertInto('api_uploads').values(uploadRow(input, ledgerIndex)).execute();
        return true;
      },
    },
  );
  return {
    kind: input.kind,
    repository: input.repository,
    sha256: input.upload.sha256,
    ledgerIndex,
    ...(checked.id === undefined ? {} : { id: checked.id }),
  };
}
