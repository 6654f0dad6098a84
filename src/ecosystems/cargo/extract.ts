import { malformedLockfile } from '../errors.js';
import { parseTomlLockfile, recordOf, stringOf, tomlTableLines } from '../lockfile-text.js';
import { buildPurl } from '../purl.js';
import * as types from '../types.js';

/**
 * Cargo.lock (format versions 1-4): `[[package]]` tables. Packages without a `source` are the
 * workspace's own crates; what they depend on is direct.
 */
export function extractCargoLock(input: types.LockfileInput): types.ExtractResult {
  const document = parseTomlLockfile(input.path, input.text);
  const warnings: types.ExtractWarning[] = [];
  const version = document['version'];
  if (version !== undefined && (typeof version !== 'number' || version < 1 || version > 4)) {
    warnings.push({
      code: 'LOCKFILE_VERSION_UNKNOWN',
      message: `${input.path}: version ${String(version)} is not one shipguard knows (1-4); read best-effort`,
      location: { path: input.path, line: 1 },
    });
  }
  const list = document['package'];
  if (list !== undefined && !Array.isArray(list))
    throw malformedLockfile(input.path, '`package` is not an array of tables', 1);
  const lines = tomlTableLines(input.text, '[[package]]');
  const tables = (list ?? []).map((raw, index) => ({ table: recordOf(raw), line: lines[index] ?? 1 }));
  const versionsByName = new Map<string, string[]>();
  for (const { table, line } of tables) {
    const name = stringOf(table['name']);
    const crateVersion = stringOf(table['version']);
    if (name === undefined || crateVersion === undefined)
      throw malformedLockfile(input.path, 'a [[package]] lacks name or version', line);
    versionsByName.set(name, [...(versionsByName.get(name) ?? []), crateVersion]);
  }
  // `name`, `name version` or `name version (source)`.
  const resolve = (dependency: string): string | undefined => {
    const [name, depVersion] = dependency.split(' ');
    if (!name) return undefined;
    const chosen = depVersion ?? versionsByName.get(name)?.[0];
    return chosen === undefined ? undefined : types.packageKey(name, chosen);
  };
  const direct = new Set<string>();
  for (const { table } of tables) {
    if (table['source'] !== undefined) continue;
    for (const dependency of Array.isArray(table['dependencies']) ? table['dependencies'] : []) {
      const key = resolve(String(dependency));
      if (key) direct.add(key);
    }
  }
  const packages: types.LockedPackage[] = [];
  for (const { table, line } of tables) {
    if (table['source'] === undefined) continue;
    const name = stringOf(table['name']) as string;
    const crateVersion = stringOf(table['version']) as string;
    const key = types.packageKey(name, crateVersion);
    const item: types.LockedPackage = {
      name,
      version: crateVersion,
      purl: buildPurl('cargo', undefined, name, crateVersion),
      ecosystem: 'crates.io',
      direct: direct.has(key),
      scope: 'prod',
      location: { path: input.path, line },
      dependencies: (Array.isArray(table['dependencies']) ? table['dependencies'] : []).flatMap(
        (dependency) => resolve(String(dependency)) ?? [],
      ),
    };
    const checksum = stringOf(table['checksum']);
    if (checksum) item.integrity = `sha256:${checksum}`;
    packages.push(item);
  }
  return { packages, warnings };
}
