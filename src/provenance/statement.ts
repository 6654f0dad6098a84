/**
 * in-toto Statement v1 with an SLSA Provenance v1 predicate: building one (pure) and reading
 * one back from an untrusted payload (zod, lenient about fields shipguard does not check).
 */
import { z } from 'zod';
import { ProvenanceError } from './errors.js';

export const statementType = 'https://in-toto.io/Statement/v1';
export const slsaProvenanceType = 'https://slsa.dev/provenance/v1';
export const inTotoPayloadType = 'application/vnd.in-toto+json';
/** Identifies "built with shipguard attest"; the fields below are what this build type means. */
export const shipguardBuildType = 'urn:shipguard:build-type:attest:v1';

export interface Subject {
  name: string;
  digest: { sha256: string };
}

export interface ResourceDescriptor {
  uri?: string;
  name?: string;
  digest: Record<string, string>;
  mediaType?: string;
}

export interface ExternalParameters {
  /** The source repository URL, without credentials. */
  repository: string;
  /** The git ref built, e.g. refs/heads/main. */
  ref?: string;
  commit: string;
  /** The CI workflow or pipeline file, or the local entry point. */
  workflow?: { path: string; ref?: string };
  entryPoint?: string;
}

export interface InternalParameters {
  ci: 'github-actions' | 'gitlab-ci' | 'local';
  /** The working tree had uncommitted changes to tracked files. */
  dirty: boolean;
  /** --allow-dirty was given. */
  allowDirty: boolean;
}

export interface ProvenanceStatement {
  _type: typeof statementType;
  subject: Subject[];
  predicateType: typeof slsaProvenanceType;
  predicate: {
    buildDefinition: {
      buildType: string;
      externalParameters: ExternalParameters;
      internalParameters: InternalParameters;
      resolvedDependencies: ResourceDescriptor[];
    };
    runDetails: {
      builder: { id: string };
      metadata: { invocationId: string; startedOn: string; finishedOn: string };
    };
  };
}

export interface StatementInput {
  subjects: Subject[];
  external: ExternalParameters;
  internal: InternalParameters;
  dependencies: ResourceDescriptor[];
  builderId: string;
  invocationId: string;
  startedOn: Date;
  finishedOn: Date;
}

/** Builds the statement; duplicate subject names are refused. */
export function buildStatement(input: StatementInput): ProvenanceStatement {
  const names = new Set<string>();
  for (const subject of input.subjects) {
    if (names.has(subject.name)) {
      throw new ProvenanceError('SUBJECT_DUPLICATE', `the subject ${subject.name} is given twice`);
    }
    names.add(subject.name);
  }
  if (input.subjects.length === 0)
    throw new ProvenanceError('STATEMENT_MALFORMED', 'a statement needs a subject');
  return {
    _type: statementType,
    subject: input.subjects,
    predicateType: slsaProvenanceType,
    predicate: {
      buildDefinition: {
        buildType: shipguardBuildType,
        externalParameters: input.external,
        internalParameters: input.internal,
        resolvedDependencies: input.dependencies,
      },
      runDetails: {
        builder: { id: input.builderId },
        metadata: {
          invocationId: input.invocationId,
          startedOn: input.startedOn.toISOString(),
          finishedOn: input.finishedOn.toISOString(),
        },
      },
    },
  };
}

const digestSet = z.record(z.string().max(64), z.string().max(512));

const statementSchema = z.object({
  _type: z.literal(statementType),
  subject: z
    .array(z.object({ name: z.string().max(4096).optional(), digest: digestSet }))
    .min(1)
    .max(10_000),
  predicateType: z.string(),
  predicate: z.record(z.string(), z.unknown()).optional(),
});

const slsaPredicateSchema = z.object({
  buildDefinition: z.object({
    buildType: z.string(),
    externalParameters: z.record(z.string(), z.unknown()),
    internalParameters: z.record(z.string(), z.unknown()).optional(),
    resolvedDependencies: z
      .array(
        z.object({
          uri: z.string().optional(),
          name: z.string().optional(),
          digest: digestSet.optional(),
        }),
      )
      .max(10_000)
      .optional(),
  }),
  runDetails: z.object({
    builder: z.object({ id: z.string() }),
    metadata: z.record(z.string(), z.unknown()).optional(),
  }),
});

export type ParsedStatement = z.infer<typeof statementSchema>;
export type ParsedSlsaPredicate = z.infer<typeof slsaPredicateSchema>;

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/** Reads an in-toto Statement v1 from payload bytes. Subjects with the same name are refused. */
export function parseStatement(payload: Uint8Array): ParsedStatement {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch (error) {
    throw new ProvenanceError('STATEMENT_MALFORMED', 'the payload is not JSON', { cause: error });
  }
  const parsed = statementSchema.safeParse(json);
  if (!parsed.success) {
    throw new ProvenanceError(
      'STATEMENT_MALFORMED',
      `not an in-toto Statement v1: ${describeIssues(parsed.error)}`,
    );
  }
  const names = new Set<string>();
  for (const subject of parsed.data.subject) {
    if (subject.name === undefined) continue;
    if (names.has(subject.name)) {
      throw new ProvenanceError('SUBJECT_DUPLICATE', `the statement names subject ${subject.name} twice`);
    }
    names.add(subject.name);
  }
  return parsed.data;
}

/** Reads the SLSA Provenance v1 predicate of a statement. */
export function parseSlsaPredicate(statement: ParsedStatement): ParsedSlsaPredicate {
  if (statement.predicateType !== slsaProvenanceType) {
    throw new ProvenanceError(
      'STATEMENT_MALFORMED',
      `the predicate is ${JSON.stringify(statement.predicateType)}, not SLSA Provenance v1`,
    );
  }
  const parsed = slsaPredicateSchema.safeParse(statement.predicate);
  if (!parsed.success) {
    throw new ProvenanceError(
      'STATEMENT_MALFORMED',
      `not an SLSA Provenance v1 predicate: ${describeIssues(parsed.error)}`,
    );
  }
  return parsed.data;
}
