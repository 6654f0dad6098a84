import { malformedLockfile } from '../errors.js';
import { assignScopes } from '../graph.js';
import { isRecord, KeyLocator, parseYamlLockfile, recordOf, stringOf } from '../lockfile-text.js';
import { npmPurl } from '../npm/index.js';
import * as types from '../types.js';

const knownMajors = new Set([5, 6, 7, 8, 9]);

/** `/name@1.0.0(peer@2)` (v6), `/name/1.0.0` (v5), `name@1.0.0(peer@2)` (v9) → name and version. */
export function parsePnpmKey(key: string): { name: string; version: string } | undefined {
  let text = key.startsWith('/') ? key.slice(1) : key;
  const paren = text.indexOf('(');
  if (paren !== -1) text = text.slice(0, paren);
  const at = text.lastIndexOf('@');
  if (at > 0) return { name: text.slice(0, at), version: text.slice(at + 1).replace(/_.*$/, '') };
  const slash = text.lastIndexOf('/');
  if (slash > 0) return { name: text.slice(0, slash), version: text.slice(slash + 1).replace(/_.*$/, '') };
  return undefined;
}

/** A version as an importer or snapshot names it: `1.2.3(react@18.0.0)` → `1.2.3`; links → undefined. */
function plainVersion(value: unknown): string | undefined {
  const given = isRecord(value) ? value['version'] : value;
  // YAML reads `version: 1.3` (a cut `1.3.0`) as a number: kept, so that it is checked, not lost.
  const raw = typeof given === 'number' ? String(given) : stringOf(given);
  if (raw === undefined || raw.startsWith('link:') || raw.startsWith('file:')) return undefined;
  const paren = raw.indexOf('(');
  return paren === -1 ? raw : raw.slice(0, paren);
}

/**
 * The key of a dependency named `name` at `version` as an importer or snapshot writes it. An npm
 * alias (`npm:other@^1`) is written as the real package's key: `/other@1.0.0` (v5/v6) or
 * `other@1.0.0` (v9); a version never contains `@` or starts with `/`, so either form is an alias.
 */
function dependencyKey(name: string, version: string): string {
  const aliased = version.startsWith('/') || version.lastIndexOf('@') > 0 ? parsePnpmKey(version) : undefined;
  return aliased ? types.packageKey(aliased.name, aliased.version) : types.packageKey(name, version);
}

const importerFields: ReadonlyArray<[string, types.PackageScope]> = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
  ['devDependencies', 'dev'],
];

/** pnpm-lock.yaml, lockfile versions 5.x to 9.x, with workspaces (importers). */
export function extractPnpmLock(input: types.LockfileInput): types.ExtractResult {
  const document = parseYamlLockfile(input.path, input.text);
  if (!isRecord(document)) throw malformedLockfile(input.path, 'the lockfile is not a YAML mapping', 1);
  const warnings: types.ExtractWarning[] = [];
  const versionText = String(document['lockfileVersion'] ?? '');
  const major = Number.parseInt(versionText, 10);
  if (!knownMajors.has(major)) {
    warnings.push({
      code: 'LOCKFILE_VERSION_UNKNOWN',
      message: `${input.path}: lockfileVersion ${versionText || '(none)'} is not one shipguard knows (5-9); read best-effort`,
      location: { path: input.path, line: 1 },
    });
  }
  const importers = isRecord(document['importers']) ? document['importers'] : { '.': document };
  const roots: Array<{ key: string; scope: types.PackageScope }> = [];
  const directKeys = new Set<string>();
  for (const importer of Object.values(importers)) {
    for (const [field, scope] of importerFields) {
      for (const [name, value] of Object.entries(recordOf(recordOf(importer)[field]))) {
        const version = plainVersion(value);
        if (version === undefined) continue;
        const key = dependencyKey(name, version);
        roots.push({ key, scope });
        directKeys.add(key);
      }
    }
  }
  const packages = recordOf(document['packages']);
  const snapshots = recordOf(document['snapshots']);
  const locator = new KeyLocator(input.text);
  const edges = new Map<string, string[]>();
  const entries = new Map<
    string,
    { name: string; version: string; entry: Record<string, unknown>; line: number }
  >();
  for (const [rawKey, value] of Object.entries(packages)) {
    const parsed = parsePnpmKey(rawKey);
    const line = locator.line(`\n  ${rawKey}:`, `\n  '${rawKey}':`, `\n  "${rawKey}":`);
    if (!parsed || !isRecord(value)) continue;
    const key = types.packageKey(
      stringOf(value['name']) ?? parsed.name,
      stringOf(value['version']) ?? parsed.version,
    );
    if (!entries.has(key))
      entries.set(key, {
        name: stringOf(value['name']) ?? parsed.name,
        version: stringOf(value['version']) ?? parsed.version,
        entry: value,
        line,
      });
  }
  // Every dependency an importer names has its entry under packages: one missing means the file
  // was cut or damaged, and its packages would otherwise vanish from the SBOM without a word.
  const missing = roots.filter((root) => !entries.has(root.key));
  if (missing.length > 0) {
    throw malformedLockfile(
      input.path,
      `${missing.length} dependencies of the importers have no entry under packages (first: ${missing[0]?.key}); the lockfile is truncated or damaged`,
      1,
    );
  }
  const dependencySources = Object.keys(snapshots).length > 0 ? snapshots : packages;
  for (const [rawKey, value] of Object.entries(dependencySources)) {
    const parsed = parsePnpmKey(rawKey);
    if (!parsed || !isRecord(value)) continue;
    const key = types.packageKey(parsed.name, parsed.version);
    const list = edges.get(key) ?? [];
    for (const field of ['dependencies', 'optionalDependencies']) {
      for (const [name, version] of Object.entries(recordOf(value[field]))) {
        const plain = plainVersion(version);
        if (plain === undefined) continue;
        list.push(dependencyKey(name, plain));
      }
    }
    edges.set(key, list);
  }
  const scopes = assignScopes(edges, roots);
  const result: types.LockedPackage[] = [];
  for (const [key, { name, version, entry, line }] of entries) {
    let scope = scopes.get(key);
    if (scope === undefined)
      scope = entry['dev'] === true ? 'dev' : entry['optional'] === true ? 'optional' : 'prod';
    const item: types.LockedPackage = {
      name,
      version,
      purl: npmPurl(name, version),
      ecosystem: 'npm',
      direct: directKeys.has(key),
      scope,
      location: { path: input.path, line },
      dependencies: [...new Set(edges.get(key) ?? [])],
    };
    const integrity = stringOf(recordOf(entry['resolution'])['integrity']);
    if (integrity) item.integrity = integrity;
    result.push(item);
  }
  return { packages: result, warnings };
}
