import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { ShipguardError } from '../kernel/index.js';
import type { Store } from '../store/index.js';
import { type ArchiveLimits, defaultArchiveLimits, readZipEntries } from './archive.js';
import { replaceSource } from './database.js';
import { AdvisoryError } from './errors.js';
import { type Advisory, parseOsvRecord } from './osv.js';

export interface ParsedAdvisories {
  advisories: Advisory[];
  /** Records that could not be read; each names its entry or file. */
  errors: ShipguardError[];
}

const maxRecordBytes = 16 * 1024 * 1024;
const maxFolderFiles = 2_000_000;

function formatOf(name: string): 'json' | 'yaml' | undefined {
  if (name.endsWith('.json')) return 'json';
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return 'yaml';
  return undefined;
}

function parseInto(result: ParsedAdvisories, name: string, data: Uint8Array | string): void {
  const format = formatOf(name);
  if (!format) return;
  try {
    result.advisories.push(
      parseOsvRecord(name, typeof data === 'string' ? data : Buffer.from(data).toString('utf8'), format),
    );
  } catch (error) {
    if (error instanceof ShipguardError) result.errors.push(error);
    else throw error;
  }
}

/** Every OSV record in a zip archive (OSV's per-ecosystem `all.zip`: one JSON file per record). */
export function parseOsvArchive(
  archive: Uint8Array,
  limits: ArchiveLimits = defaultArchiveLimits,
): ParsedAdvisories {
  const result: ParsedAdvisories = { advisories: [], errors: [] };
  readZipEntries(archive, (name, data) => parseInto(result, name, data), limits);
  return result;
}

/** Every `.json`, `.yaml` and `.yml` OSV record under a folder (recursively), or one file. */
export async function parseOsvPath(
  path: string,
  limits: ArchiveLimits = defaultArchiveLimits,
): Promise<ParsedAdvisories> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    throw new AdvisoryError('SOURCE_NOT_FOUND', `no such file or folder: ${path}`, { cause: error });
  }
  if (info.isFile()) {
    if (info.size > limits.maxArchiveBytes)
      throw new AdvisoryError('ARCHIVE_TOO_LARGE', `${path} is larger than ${limits.maxArchiveBytes} bytes`);
    const data = await readFile(path);
    if (path.endsWith('.zip')) return parseOsvArchive(data, limits);
    const result: ParsedAdvisories = { advisories: [], errors: [] };
    if (!formatOf(path))
      throw new AdvisoryError('SOURCE_INVALID', `${path} is not a .zip, .json, .yaml or .yml file`);
    parseInto(result, basename(path), data);
    return result;
  }
  const result: ParsedAdvisories = { advisories: [], errors: [] };
  const pending = [path];
  let files = 0;
  while (pending.length > 0) {
    const folder = pending.pop() as string;
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.')) pending.push(full);
        continue;
      }
      if (!entry.isFile() || !formatOf(entry.name)) continue;
      if (++files > maxFolderFiles)
        throw new AdvisoryError(
          'ARCHIVE_TOO_MANY_ENTRIES',
          `${path} holds more than ${maxFolderFiles} records`,
        );
      const name = relative(path, full).split('\\').join('/');
      const size = (await stat(full)).size;
      if (size > maxRecordBytes) {
        result.errors.push(
          new AdvisoryError('OSV_MALFORMED', `${name} is larger than ${maxRecordBytes} bytes`, {
            location: { path: name },
          }),
        );
        continue;
      }
      parseInto(result, name, await readFile(full, 'utf8'));
    }
  }
  result.advisories.sort((a, b) => (a.id < b.id ? -1 : 1));
  return result;
}

export interface ImportResult {
  source: string;
  imported: number;
  errors: ShipguardError[];
}

/**
 * Imports a zip, folder or file of OSV records into the store as one source (by default named
 * after the path), replacing what that source held before.
 */
export async function importAdvisories(
  store: Store,
  path: string,
  options: { source?: string; now?: Date; limits?: ArchiveLimits } = {},
): Promise<ImportResult> {
  const parsed = await parseOsvPath(path, options.limits);
  const now = (options.now ?? new Date()).toISOString();
  const source = options.source ?? `file:${basename(path)}`;
  await replaceSource(
    store,
    { source, origin: path, importedAt: now, checkedAt: now, errors: parsed.errors.length },
    parsed.advisories,
  );
  return {
    source,
    imported: new Set(parsed.advisories.map((advisory) => advisory.id)).size,
    errors: parsed.errors,
  };
}
