/**
 * `shipguard attest`: hash the artefacts, name the source and the build, sign the statement.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { runGit } from '../kernel/index.js';
import { type BuildContext, isWorkingTreeDirty, readCiContext, readLocalContext } from './build-context.js';
import { type Envelope, signEnvelope } from './dsse.js';
import { ProvenanceError } from './errors.js';
import type { Signer } from './keys/index.js';
import {
  buildStatement,
  inTotoPayloadType,
  type ProvenanceStatement,
  type ResourceDescriptor,
  type Subject,
} from './statement.js';

/** Lockfiles whose digests are recorded as resolved dependencies, wherever they are tracked. */
export const lockfileNames = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'Cargo.lock',
  'go.sum',
  'poetry.lock',
  'uv.lock',
  'Pipfile.lock',
  'Gemfile.lock',
  'composer.lock',
  'packages.lock.json',
  'gradle.lockfile',
  'pubspec.lock',
  'mix.lock',
]);
const maxLockfiles = 500;

export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (error) {
    throw new ProvenanceError('FILE_UNREADABLE', `cannot read ${path}`, { cause: error, location: { path } });
  }
  return hash.digest('hex');
}

function subjectName(path: string, cwd: string): string {
  const absolute = isAbsolute(path) ? path : join(cwd, path);
  const relativePath = relative(cwd, absolute);
  const name = relativePath.startsWith('..') || isAbsolute(relativePath) ? absolute : relativePath;
  return name.split(sep).join('/');
}

export async function hashSubjects(paths: readonly string[], cwd: string): Promise<Subject[]> {
  const subjects: Subject[] = [];
  const seen = new Set<string>();
  for (const path of paths) {
    const name = subjectName(path, cwd);
    if (seen.has(name)) throw new ProvenanceError('SUBJECT_DUPLICATE', `the artefact ${name} is given twice`);
    seen.add(name);
    const absolute = isAbsolute(path) ? path : join(cwd, path);
    const info = await stat(absolute).catch(() => undefined);
    if (!info?.isFile()) {
      throw new ProvenanceError('FILE_UNREADABLE', `${path} is not a readable file`, { location: { path } });
    }
    subjects.push({ name, digest: { sha256: await hashFile(absolute) } });
  }
  return subjects;
}

async function lockfileDependencies(cwd: string): Promise<ResourceDescriptor[]> {
  const output = await runGit(cwd, ['ls-files', '-z']).catch(() => Buffer.alloc(0));
  const files = output
    .toString('utf8')
    .split('\0')
    .filter((file) => file !== '' && lockfileNames.has(file.slice(file.lastIndexOf('/') + 1)))
    .sort()
    .slice(0, maxLockfiles);
  const root = (await runGit(cwd, ['rev-parse', '--show-toplevel']).catch(() => Buffer.from(cwd)))
    .toString('utf8')
    .trim();
  const dependencies: ResourceDescriptor[] = [];
  for (const file of files) {
    dependencies.push({ name: file, digest: { sha256: await hashFile(join(root, ...file.split('/'))) } });
  }
  return dependencies;
}

export interface AttestOptions {
  artifacts: readonly string[];
  sbom?: string;
  signer: Signer;
  allowDirty: boolean;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Overrides the builder id read from the environment. */
  builderId?: string;
  now?: () => Date;
}

export interface AttestResult {
  statement: ProvenanceStatement;
  envelope: Envelope;
  context: BuildContext;
}

export async function attest(options: AttestOptions): Promise<AttestResult> {
  const now = options.now ?? (() => new Date());
  const startedOn = now();
  if (options.artifacts.length === 0)
    throw new ProvenanceError('STATEMENT_MALFORMED', 'give at least one --artifact');
  const context = readCiContext(options.env) ?? (await readLocalContext(options.cwd));
  const dirty = await isWorkingTreeDirty(options.cwd);
  if (dirty && !options.allowDirty) {
    throw new ProvenanceError(
      'SOURCE_DIRTY',
      'the working tree has uncommitted changes, so the build does not match a commit; commit them or pass --allow-dirty',
    );
  }
  const subjects = await hashSubjects(options.artifacts, options.cwd);
  const source: ResourceDescriptor = {
    uri: `git+${context.external.repository}${context.external.ref === undefined ? '' : `@${context.external.ref}`}`,
    digest: { gitCommit: context.external.commit },
  };
  const dependencies: ResourceDescriptor[] = [source, ...(await lockfileDependencies(options.cwd))];
  if (options.sbom !== undefined) {
    dependencies.push({
      name: subjectName(options.sbom, options.cwd),
      digest: {
        sha256: await hashFile(isAbsolute(options.sbom) ? options.sbom : join(options.cwd, options.sbom)),
      },
    });
  }
  const statement = buildStatement({
    subjects,
    external: context.external,
    internal: { ci: context.ci, dirty, allowDirty: options.allowDirty },
    dependencies,
    builderId: options.builderId ?? context.builderId,
    invocationId: context.invocationId,
    startedOn,
    finishedOn: now(),
  });
  const payload = Buffer.from(JSON.stringify(statement), 'utf8');
  const envelope = await signEnvelope(payload, inTotoPayloadType, [options.signer]);
  return { statement, envelope, context };
}
