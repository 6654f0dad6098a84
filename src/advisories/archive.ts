import { Unzip, UnzipInflate, UnzipPassThrough } from 'fflate';
import { AdvisoryError } from './errors.js';

/** Bounds on what an advisory archive may expand to; OSV's largest ecosystem archives fit well inside. */
export interface ArchiveLimits {
  /** Largest archive file accepted, compressed. */
  maxArchiveBytes: number;
  /** Sum of every entry's uncompressed size. */
  maxTotalBytes: number;
  maxEntries: number;
  /** Largest single entry, uncompressed. */
  maxEntryBytes: number;
  /** Largest uncompressed/compressed ratio of the whole archive once past `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
}

export const defaultArchiveLimits: ArchiveLimits = {
  maxArchiveBytes: 1024 * 1024 * 1024,
  maxTotalBytes: 4 * 1024 * 1024 * 1024,
  maxEntries: 2_000_000,
  maxEntryBytes: 64 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 16 * 1024 * 1024,
};

/** An entry name that could escape a folder if written out: absolute, `..`, backslashes, drive letters. */
export function isUnsafeEntryName(name: string): boolean {
  if (name.startsWith('/') || name.includes('\\') || /^[A-Za-z]:/.test(name) || name.includes('\0'))
    return true;
  return name.split('/').some((segment) => segment === '..');
}

/**
 * Streams a zip archive's entries through `onEntry`, counting real decompressed bytes (not the
 * sizes the archive claims): past any limit the whole archive is rejected with a typed error.
 * Entries are never written to disk; path traversal names are still refused as hostile.
 */
export function readZipEntries(
  archive: Uint8Array,
  onEntry: (name: string, data: Uint8Array) => void,
  limits: ArchiveLimits = defaultArchiveLimits,
): { entries: number; totalBytes: number } {
  if (archive.length > limits.maxArchiveBytes) {
    throw new AdvisoryError(
      'ARCHIVE_TOO_LARGE',
      `the archive is larger than ${limits.maxArchiveBytes} bytes`,
    );
  }
  if (archive.length < 4 || archive[0] !== 0x50 || archive[1] !== 0x4b) {
    throw new AdvisoryError('ARCHIVE_MALFORMED', 'not a zip archive');
  }
  if (!hasEndOfCentralDirectory(archive)) {
    throw new AdvisoryError(
      'ARCHIVE_MALFORMED',
      'the zip archive is truncated (no end of central directory)',
    );
  }
  let entries = 0;
  let totalBytes = 0;
  let failure: AdvisoryError | undefined;
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  unzip.onfile = (file) => {
    if (failure) return;
    entries++;
    if (entries > limits.maxEntries) {
      failure = new AdvisoryError(
        'ARCHIVE_TOO_MANY_ENTRIES',
        `the archive has more than ${limits.maxEntries} entries`,
      );
      return;
    }
    if (isUnsafeEntryName(file.name)) {
      failure = new AdvisoryError(
        'ARCHIVE_PATH_TRAVERSAL',
        `entry name escapes the archive: ${file.name.slice(0, 200)}`,
      );
      return;
    }
    if (file.name.endsWith('/')) return;
    const chunks: Uint8Array[] = [];
    let entryBytes = 0;
    file.ondata = (error, chunk, final) => {
      if (failure) return;
      if (error) {
        failure = new AdvisoryError(
          'ARCHIVE_MALFORMED',
          `entry ${file.name.slice(0, 200)}: ${error.message}`,
          { cause: error },
        );
        return;
      }
      entryBytes += chunk.length;
      totalBytes += chunk.length;
      if (entryBytes > limits.maxEntryBytes) {
        failure = new AdvisoryError(
          'ARCHIVE_TOO_LARGE',
          `entry ${file.name.slice(0, 200)} expands past ${limits.maxEntryBytes} bytes`,
        );
      } else if (totalBytes > limits.maxTotalBytes) {
        failure = new AdvisoryError(
          'ARCHIVE_TOO_LARGE',
          `the archive expands past ${limits.maxTotalBytes} bytes`,
        );
      } else if (totalBytes > limits.ratioFloorBytes && totalBytes / archive.length > limits.maxRatio) {
        failure = new AdvisoryError(
          'ARCHIVE_RATIO',
          `the archive expands more than ${limits.maxRatio} times its size (a zip bomb?)`,
        );
      }
      if (failure) {
        file.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) {
        const data = chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks);
        onEntry(file.name, data);
      }
    };
    file.start();
  };
  try {
    // Push in slices so a runaway entry is stopped between slices.
    const slice = 1024 * 1024;
    for (let offset = 0; offset < archive.length && !failure; offset += slice) {
      unzip.push(
        archive.subarray(offset, Math.min(offset + slice, archive.length)),
        offset + slice >= archive.length,
      );
    }
  } catch (error) {
    if (error instanceof AdvisoryError) throw error;
    if (!failure)
      failure = new AdvisoryError(
        'ARCHIVE_MALFORMED',
        `cannot read the archive: ${(error as Error).message}`,
        { cause: error },
      );
  }
  if (failure) throw failure;
  if (entries === 0) throw new AdvisoryError('ARCHIVE_MALFORMED', 'the zip archive has no entries');
  return { entries, totalBytes };
}

/** A complete zip ends with an end-of-central-directory record (`PK\x05\x06`) in its last 64 KiB. */
function hasEndOfCentralDirectory(archive: Uint8Array): boolean {
  const start = Math.max(0, archive.length - 65_557);
  for (let index = archive.length - 22; index >= start; index--) {
    if (
      archive[index] === 0x50 &&
      archive[index + 1] === 0x4b &&
      archive[index + 2] === 0x05 &&
      archive[index + 3] === 0x06
    ) {
      return true;
    }
  }
  return false;
}
