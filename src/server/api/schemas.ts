/**
 * The JSON schemas of the API's requests and responses: Fastify validates requests and
 * serialises responses with them, and @fastify/swagger turns them into the OpenAPI document.
 * Request bodies are checked loosely here (their shape); each upload is then checked fully by
 * its own domain (the assessment schema, the SBOM reader) before anything is kept.
 */
const statusCounts = {
  type: 'object',
  required: ['fail', 'partial', 'unknown', 'pass', 'not-applicable'],
  properties: {
    fail: { type: 'integer' },
    partial: { type: 'integer' },
    unknown: { type: 'integer' },
    pass: { type: 'integer' },
    'not-applicable': { type: 'integer' },
  },
} as const;

const controlStatus = {
  type: 'string',
  enum: ['fail', 'partial', 'unknown', 'pass', 'not-applicable'],
} as const;

export const errorResponse = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'a stable code, e.g. API_UPLOAD_TOO_LARGE, UNAUTHENTICATED' },
    message: { type: 'string' },
    reference: { type: 'string', description: 'for a server error: the id of its log entry' },
  },
} as const;

export const portfolioResponse = {
  type: 'object',
  required: ['generatedAt', 'repositories'],
  properties: {
    generatedAt: { type: 'string', format: 'date-time' },
    repositories: {
      type: 'array',
      items: {
        type: 'object',
        required: ['repository', 'assessmentId', 'startedAt', 'summary', 'areas'],
        properties: {
          repository: { type: 'string', description: 'the repository key (normalised remote URL)' },
          assessmentId: { type: 'string' },
          startedAt: { type: 'string' },
          commit: { type: 'string' },
          summary: statusCounts,
          areas: {
            type: 'object',
            description: 'area → the worst status of its controls',
            additionalProperties: controlStatus,
          },
        },
      },
    },
  },
} as const;

export const repositoryParams = {
  type: 'object',
  required: ['id'],
  properties: {
    id: {
      type: 'string',
      minLength: 1,
      maxLength: 2048,
      description: 'the repository key, URL-encoded (github.com%2Facme%2Fapi)',
    },
  },
} as const;

export const assessmentDocument = {
  type: 'object',
  additionalProperties: true,
  description: 'the assessment as `shipguard assess --format json` writes it (assessment.schema.json)',
  required: ['schemaVersion', 'id', 'startedAt', 'controls'],
  properties: {
    schemaVersion: { type: 'integer', const: 1 },
    id: { type: 'string' },
    startedAt: { type: 'string' },
    controls: { type: 'array' },
  },
} as const;

export const uploadQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    repository: {
      type: 'string',
      minLength: 1,
      maxLength: 2048,
      description:
        'the repository key the upload is for; optional for a workload identity (its token names it) and for a token scoped to one repository',
    },
  },
} as const;

export const sbomDocument = {
  type: 'object',
  additionalProperties: true,
  description: 'a CycloneDX 1.x or SPDX 2.x JSON document',
} as const;

export const gateDecisionDocument = {
  type: 'object',
  additionalProperties: true,
  description: 'the output of `shipguard gate --format json` (not a dry run)',
  required: ['schemaVersion', 'decisionId', 'result', 'environment', 'at', 'rules'],
  properties: {
    schemaVersion: { type: 'integer', const: 1 },
    decisionId: { type: 'string', minLength: 1, maxLength: 200 },
    result: { type: 'string', enum: ['allow', 'deny'] },
    environment: { type: 'string', minLength: 1, maxLength: 200 },
    at: { type: 'string', format: 'date-time' },
    deployer: { type: 'string' },
    rules: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        required: ['id', 'outcome', 'reason'],
        properties: { id: { type: 'string' }, outcome: { type: 'string' }, reason: { type: 'string' } },
      },
    },
    dryRun: { type: 'boolean' },
  },
} as const;

export const provenanceDocument = {
  type: 'object',
  additionalProperties: true,
  description:
    'a DSSE envelope (payloadType, payload, signatures) or a Sigstore bundle (mediaType, dsseEnvelope)',
  properties: {
    payloadType: { type: 'string', maxLength: 200 },
    payload: { type: 'string' },
    signatures: {
      type: 'array',
      minItems: 1,
      maxItems: 20,
      items: { type: 'object', required: ['sig'], properties: { sig: { type: 'string', minLength: 1 } } },
    },
    mediaType: { type: 'string', maxLength: 200 },
    dsseEnvelope: { type: 'object' },
  },
} as const;

export const uploadResponse = {
  type: 'object',
  required: ['kind', 'repository', 'sha256', 'ledgerIndex'],
  properties: {
    kind: { type: 'string', enum: ['assessment', 'sbom', 'gate-decision', 'provenance'] },
    repository: { type: 'string' },
    sha256: { type: 'string', description: 'SHA-256 of the uploaded bytes (the content address)' },
    ledgerIndex: { type: 'integer' },
    id: { type: 'string', description: 'the assessment or gate decision id' },
    alreadyRecorded: { type: 'boolean' },
  },
} as const;
