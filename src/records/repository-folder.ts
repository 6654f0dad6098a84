/**
 * Records kept in a repository, so a fresh clone (CI) can be assessed on them:
 *
 *   records/signers/<person-id>.pub    public keys, READ FROM THE PROTECTED BRANCH only
 *   records/roster.json                the roster, a DSSE envelope signed by a registered signer
 *   records/<kind>/<record-id>.json    one signed record (DSSE envelope) per file
 *   records/evidence/<sha256>          evidence bytes (optional when the evidence names a `path`)
 *
 * A pull request may add records, but only keys already on the protected branch can make them
 * count, so the party being judged cannot vouch for itself with a key it just added.
 */
import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runGit, runGitText } from '../kernel/index.js';
import type { Person } from '../people/index.js';
import { resolveDefaultBranch } from '../source-control/index.js';
import { sha256Hex } from './document.js';
import { RecordError } from './errors.js';
import type { SourcedRecord } from './evaluate.js';
import { recordKinds } from './kinds/index.js';
import { openSignedRoster } from './roster-signing.js';
import {
  createSignerDirectory,
  openSignedRecord,
  type RegisteredSigner,
  type SignerDirectory,
} from './signing.js';

export const recordsFolder = 'records';
const maxRecordFileBytes = 1024 * 1024;
const maxRecordFiles = 20_000;
const maxEvidenceFileBytes = 10 * 1024 * 1024;
const maxSigners = 1000;

export interface FolderProblem {
  code: 'RECORD_NOT_COUNTED' | 'RECORDS_SIGNERS_UNAVAILABLE';
  message: string;
  path: string;
}

export interface FolderRecords {
  people: Person[];
  records: SourcedRecord[];
  problems: FolderProblem[];
  /** Where the signer keys were read from, e.g. `refs/remotes/origin/main`. */
  signersFrom?: string;
}

/** Reads a regular file inside the repository (never through a symlink), at most `maxBytes`. */
async function readRegularFile(root: string, path: string, maxBytes: number): Promise<Buffer> {
  if (path.startsWith('/') || path.split('/').some((part) => part === '..' || part === '' || part === '.')) {
    throw new RecordError('EVIDENCE_INVALID', `${path} is not a path inside the repository`);
  }
  const absolute = join(root, ...path.split('/'));
  for (let partial = root, index = 0, parts = path.split('/'); index < parts.length; index += 1) {
    partial = join(partial, parts[index] as string);
    if ((await lstat(partial)).isSymbolicLink())
      throw new RecordError('EVIDENCE_INVALID', `${path} goes through a symbolic link`);
  }
  const handle = await open(absolute, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new RecordError('EVIDENCE_INVALID', `${path} is not a regular file`);
    if (info.size > maxBytes)
      throw new RecordError('EVIDENCE_INVALID', `${path} is larger than ${maxBytes} bytes`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** The signer keys on the protected branch: `records/signers/<person>.pub`, person = the file name's stem. */
export async function readProtectedSigners(
  root: string,
  defaultBranch?: string,
): Promise<{ signers: RegisteredSigner[]; ref: string }> {
  const branch = await resolveDefaultBranch(root, defaultBranch);
  const listing = await runGitText(
    root,
    ['ls-tree', '-z', '--name-only', '--end-of-options', branch.head, `${recordsFolder}/signers/`],
    { maxOutputBytes: 1024 * 1024 },
  );
  const signers: RegisteredSigner[] = [];
  for (const path of listing
    .split('\0')
    .filter((name) => name.endsWith('.pub'))
    .slice(0, maxSigners)) {
    const stem = path.slice(path.lastIndexOf('/') + 1, -'.pub'.length);
    const person = stem.split('.')[0] ?? stem;
    const key = await runGit(root, ['cat-file', 'blob', `${branch.head}:${path}`], {
      maxOutputBytes: 64 * 1024,
    });
    signers.push({ person, publicKey: key.toString('utf8') });
  }
  return { signers, ref: branch.ref };
}

async function listRecordFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  for (const kind of Object.keys(recordKinds)) {
    let names: string[];
    try {
      names = await readdir(join(root, recordsFolder, kind));
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      if (name.endsWith('.json')) files.push(`${recordsFolder}/${kind}/${name}`);
      if (files.length > maxRecordFiles)
        throw new RecordError(
          'BUNDLE_INVALID',
          `more than ${maxRecordFiles} record files under ${recordsFolder}/`,
        );
    }
  }
  return files;
}

function problem(path: string, error: unknown): FolderProblem {
  return {
    code: 'RECORD_NOT_COUNTED',
    message: `${path} is not counted: ${error instanceof Error ? error.message : String(error)}`,
    path,
  };
}

/**
 * Loads the records/ folder of a repository: verifies every record against the protected
 * branch's signer keys, checks evidence kept in the repository against its signed hash, and
 * reports (never drops silently) every file that does not count.
 */
export async function loadRecordsFolder(
  root: string,
  options: { defaultBranch?: string; signers?: SignerDirectory } = {},
): Promise<FolderRecords> {
  const present = await lstat(join(root, recordsFolder)).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!present) return { people: [], records: [], problems: [] };
  const result: FolderRecords = { people: [], records: [], problems: [] };
  let directory = options.signers;
  if (directory === undefined) {
    try {
      const found = await readProtectedSigners(root, options.defaultBranch);
      directory = createSignerDirectory(found.signers);
      result.signersFrom = found.ref;
    } catch (error) {
      result.problems.push({
        code: 'RECORDS_SIGNERS_UNAVAILABLE',
        message: `records under ${recordsFolder}/ are not counted: the protected branch's ${recordsFolder}/signers/ could not be read (${error instanceof Error ? error.message : String(error)})`,
        path: `${recordsFolder}/signers`,
      });
      return result;
    }
  }
  const rosterPath = `${recordsFolder}/roster.json`;
  try {
    const text = await readRegularFile(root, rosterPath, 16 * 1024 * 1024).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      },
    );
    if (text !== undefined)
      result.people = (
        await openSignedRoster(JSON.parse(text.toString('utf8')), directory, rosterPath)
      ).people;
  } catch (error) {
    result.problems.push(problem(rosterPath, error));
  }
  for (const path of await listRecordFiles(root)) {
    try {
      const text = await readRegularFile(root, path, maxRecordFileBytes);
      const verified = await openSignedRecord(JSON.parse(text.toString('utf8')), directory, path);
      const expectedKind = path.split('/')[1];
      if (verified.document.kind !== expectedKind)
        throw new RecordError(
          'RECORD_INVALID',
          `a ${verified.document.kind} record in the ${expectedKind} folder`,
        );
      const changed: string[] = [];
      for (const file of verified.document.evidence) {
        const kept = file.path ?? `${recordsFolder}/evidence/${file.sha256}`;
        const bytes = await readRegularFile(root, kept, maxEvidenceFileBytes).catch(() => undefined);
        if (bytes === undefined) {
          if (file.path !== undefined) changed.push(`${file.path} (missing)`);
          continue;
        }
        if (sha256Hex(bytes) !== file.sha256) changed.push(kept);
      }
      result.records.push({
        ...verified,
        source: path,
        ...(changed.length > 0 ? { changedEvidence: changed } : {}),
      });
    } catch (error) {
      result.problems.push(problem(path, error));
    }
  }
  return result;
}
