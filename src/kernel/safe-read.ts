import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, lstat, open, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { errorOfKind } from './errors.js';

/**
 * The one safe way to read a file: from a repository being judged (hostile) or from a path an
 * operator gave (`--key`, `--attestation`, `--artifact`, an event file). Sizes are bounded by
 * counting what was read, never by `stat` (which says 0 for /dev/zero or a FIFO); reads are
 * bounded in time; repository reads stay inside the repository and read regular files only.
 */

export type InputFileErrorCode =
  | 'INPUT_FILE_UNREADABLE'
  | 'INPUT_FILE_TOO_LARGE'
  | 'INPUT_FILE_NOT_REGULAR'
  | 'INPUT_FILE_TIMEOUT';

/** A file named on the command line could not be read within its bounds: the user's to fix (exit 2). */
export class InputFileError extends errorOfKind<InputFileErrorCode>('usage') {}

export type RepositoryReadProblemCode =
  | 'FILE_OUTSIDE_REPOSITORY'
  | 'FILE_NOT_REGULAR'
  | 'FILE_UNREADABLE'
  | 'FILE_READ_TIMEOUT';

export type RepositoryRead =
  | { ok: true; bytes: Buffer; truncated: boolean; size: number }
  | { ok: false; code: RepositoryReadProblemCode; reason: string };

export interface ReadBounds {
  maxBytes: number;
  /** Wall-clock budget for the whole read. */
  timeoutMs?: number;
}

const defaultTimeoutMs = 30_000;
const chunkBytes = 1024 * 1024;
/** Opening never blocks (a FIFO without a writer), and the last path segment is never followed. */
const repositoryOpenFlags = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

/**
 * Reads a repository file (`path` relative, with forward slashes). A symbolic link is followed
 * only when its target stays inside the repository and outside `.git/`; anything that is not a
 * regular file is refused before it is opened. Reads at most `maxBytes` (and says so).
 */
export async function readRepositoryFile(
  root: string,
  path: string,
  bounds: ReadBounds,
): Promise<RepositoryRead> {
  const absolute = join(root, ...path.split('/'));
  let target: string;
  try {
    const [realRoot, link] = await Promise.all([realpath(root), lstat(absolute)]);
    // Every segment is resolved, not only the last: a linked folder must not lead out either.
    target = await realpath(absolute);
    if (!isInside(realRoot, target)) {
      const what = link.isSymbolicLink() ? 'a symbolic link' : 'a path through a symbolic link';
      return {
        ok: false,
        code: 'FILE_OUTSIDE_REPOSITORY',
        reason: `${what} to a file outside the repository`,
      };
    }
    if (isInside(join(realRoot, '.git'), target)) {
      return {
        ok: false,
        code: 'FILE_OUTSIDE_REPOSITORY',
        reason: "a symbolic link into the repository's .git folder",
      };
    }
    const info = await lstat(target);
    if (!info.isFile())
      return { ok: false, code: 'FILE_NOT_REGULAR', reason: `not a regular file (${kindOf(info)})` };
  } catch (error) {
    return { ok: false, code: 'FILE_UNREADABLE', reason: errorReason(error) };
  }
  let handle: FileHandle | undefined;
  try {
    handle = await open(target, repositoryOpenFlags);
    const info = await handle.stat();
    // Checked again on the open handle: the file may have been swapped since the first look.
    if (!info.isFile())
      return { ok: false, code: 'FILE_NOT_REGULAR', reason: `not a regular file (${kindOf(info)})` };
    const read = await readHandleBounded(handle, bounds.maxBytes, bounds.timeoutMs ?? defaultTimeoutMs);
    if (read === 'timeout') return { ok: false, code: 'FILE_READ_TIMEOUT', reason: 'reading took too long' };
    return {
      ok: true,
      bytes: read.bytes,
      truncated: read.truncated,
      size: Math.max(info.size, read.bytes.length),
    };
  } catch (error) {
    return { ok: false, code: 'FILE_UNREADABLE', reason: errorReason(error) };
  } finally {
    await handle?.close().catch(() => {});
  }
}

/** The one error for an operator-named file that could not be opened or read. */
function unreadable(what: string, path: string, error: unknown): InputFileError {
  return new InputFileError(
    'INPUT_FILE_UNREADABLE',
    `cannot read the ${what} ${path} (${errorReason(error)})`,
    {
      cause: error,
      location: { path },
    },
  );
}

/**
 * Reads a file an operator named, whole, up to `maxBytes`: a larger one (or an endless one such
 * as /dev/zero) is an error after `maxBytes + 1` bytes, never a memory blow-up.
 */
export async function readInputFile(path: string, what: string, bounds: ReadBounds): Promise<Buffer> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw unreadable(what, path, error);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) {
      throw new InputFileError('INPUT_FILE_NOT_REGULAR', `the ${what} ${path} is a folder, not a file`, {
        location: { path },
      });
    }
    const read = await readHandleBounded(handle, bounds.maxBytes, bounds.timeoutMs ?? defaultTimeoutMs);
    if (read === 'timeout') {
      throw new InputFileError('INPUT_FILE_TIMEOUT', `reading the ${what} ${path} took too long`, {
        location: { path },
      });
    }
    if (read.truncated) {
      throw new InputFileError(
        'INPUT_FILE_TOO_LARGE',
        `the ${what} ${path} is larger than ${describeBytes(bounds.maxBytes)}`,
        { location: { path } },
      );
    }
    return read.bytes;
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw unreadable(what, path, error);
  } finally {
    await handle.close().catch(() => {});
  }
}

/**
 * SHA-256 of an artefact, streamed (any size, constant memory). Artefacts are regular files:
 * a device such as /dev/zero or a FIFO is refused rather than hashed for ever.
 */
export async function digestInputFile(path: string, what: string): Promise<{ sha256: string; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw unreadable(what, path, error);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw new InputFileError(
        'INPUT_FILE_NOT_REGULAR',
        `the ${what} ${path} is not a regular file (${kindOf(info)})`,
        {
          location: { path },
        },
      );
    }
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(chunkBytes);
    let size = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
    return { sha256: hash.digest('hex'), size };
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw unreadable(what, path, error);
  } finally {
    await handle.close().catch(() => {});
  }
}

/** Reads up to `maxBytes` (plus one byte, to know whether there was more), within `timeoutMs`. */
async function readHandleBounded(
  handle: FileHandle,
  maxBytes: number,
  timeoutMs: number,
): Promise<{ bytes: Buffer; truncated: boolean } | 'timeout'> {
  const deadline = Date.now() + timeoutMs;
  const chunks: Buffer[] = [];
  let total = 0;
  const limit = maxBytes + 1;
  while (total < limit) {
    const want = Math.min(chunkBytes, limit - total);
    const chunk = Buffer.allocUnsafe(want);
    const bytesRead = await withDeadline(handle.read(chunk, 0, want, null), deadline);
    if (bytesRead === 'timeout') return 'timeout';
    if (bytesRead === 0) break;
    chunks.push(bytesRead === want ? chunk : chunk.subarray(0, bytesRead));
    total += bytesRead;
  }
  const bytes = Buffer.concat(chunks, total);
  if (total > maxBytes) return { bytes: bytes.subarray(0, maxBytes), truncated: true };
  return { bytes, truncated: false };
}

async function withDeadline(
  read: Promise<{ bytesRead: number }>,
  deadline: number,
): Promise<number | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([read.then((result) => result.bytesRead), expired]);
  } finally {
    clearTimeout(timer);
  }
}

function isInside(folder: string, path: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : `${folder}${sep}`);
}

function kindOf(info: import('node:fs').Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSymbolicLink()) return 'a symbolic link';
  return 'not a file';
}

function errorReason(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : 'read failed');
}

export function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${Math.round((bytes / 1024 ** 3) * 10) / 10} GiB`;
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 ** 2) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
