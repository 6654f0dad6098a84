import { EcosystemError, malformedLockfile } from '../errors.js';
import { isRecord, KeyLocator, parseJsonLockfile, recordOf, stringOf } from '../lockfile-text.js';
import { buildPurl } from '../purl.js';
import * as types from '../types.js';

/** Builds the purl of an npm package, `@scope/name` → namespace `@scope`. */
export function npmPurl(name: string, version: string): string {
  if (name.startsWith('@') && name.includes('/')) {
    const slash = name.indexOf('/');
    return buildPurl('npm', name.slice(0, slash), name.slice(slash + 1), version);
  }
  return buildPurl('npm', undefined, name, version);
}

const dependencyFields = [
  'dependencies',
  'optionalDependencies',
  'devDependencies',
  'peerDependencies',
] as const;

/**
 * package-lock.json and npm-shrinkwrap.json: v2/v3 through the flat `packages` map (workspaces
 * included), v1 through the nested `dependencies` tree. Newer lockfile versions are read as v3
 * with a warning.
 */
export function extractPackageLock(input: types.LockfileInput): types.ExtractResult {
  const document = parseJsonLockfile(input.path, input.text);
  if (!isRecord(document)) throw malformedLockfile(input.path, 'the lockfile is not a JSON object', 1);
  const warnings: types.ExtractWarning[] = [];
  const version = document['lockfileVersion'];
  if (typeof version !== 'number' || version < 1 || version > 3) {
    warnings.push({
      code: 'LOCKFILE_VERSION_UNKNOWN',
      message: `${input.path}: lockfileVersion ${String(version)} is not one shipguard knows (1-3); read best-effort`,
      location: { path: input.path, line: 1 },
    });
  }
  if (isRecord(document['packages'])) {
    return { packages: extractPackagesMap(input, document['packages']), warnings };
  }
  if (isRecord(document['dependencies'])) {
    return {
      packages: extractDependencyTree(input, document['dependencies'], manifestDependencies(input)),
      warnings,
    };
  }
  if (version === undefined) {
    throw new EcosystemError(
      'LOCKFILE_UNSUPPORTED',
      `${input.path}: no lockfileVersion, packages or dependencies`,
      {
        location: { path: input.path, line: 1 },
      },
    );
  }
  return { packages: [], warnings };
}

function packageNameFromPath(path: string): string {
  const index = path.lastIndexOf('node_modules/');
  return index === -1 ? path : path.slice(index + 'node_modules/'.length);
}

function scopeOf(entry: Record<string, unknown>): types.PackageScope {
  if (entry['dev'] === true || entry['devOptional'] === true) return 'dev';
  if (entry['optional'] === true) return 'optional';
  return 'prod';
}

function extractPackagesMap(
  input: { path: string; text: string },
  packages: Record<string, unknown>,
): types.LockedPackage[] {
  const locator = new KeyLocator(input.text);
  // Every project folder: the root ("") and each workspace; their declared dependencies are direct.
  const directByFolder = new Map<string, Set<string>>();
  for (const [path, value] of Object.entries(packages)) {
    if (!isRecord(value) || path.includes('node_modules/')) continue;
    const names = new Set<string>();
    for (const field of dependencyFields)
      for (const name of Object.keys(recordOf(value[field]))) names.add(name);
    directByFolder.set(path, names);
  }
  // A workspace's dependency sits in its own node_modules or, hoisted, in the root's.
  const directPaths = new Set<string>();
  for (const [folder, names] of directByFolder) {
    for (const name of names) {
      const own = folder === '' ? `node_modules/${name}` : `${folder}/node_modules/${name}`;
      directPaths.add(own in packages ? own : `node_modules/${name}`);
    }
  }
  const result: types.LockedPackage[] = [];
  const byPath = new Map<string, types.LockedPackage>();
  for (const [path, value] of Object.entries(packages)) {
    if (!path.includes('node_modules/') || !isRecord(value)) continue;
    const line = locator.line(`"${path}": {`, `"${path}"`);
    if (value['link'] === true) continue;
    const name = stringOf(value['name']) ?? packageNameFromPath(path);
    const version = stringOf(value['version']);
    if (version === undefined) continue;
    const direct = directPaths.has(path);
    const item: types.LockedPackage = {
      name,
      version,
      purl: npmPurl(name, version),
      ecosystem: 'npm',
      direct,
      scope: scopeOf(value),
      location: { path: input.path, line },
    };
    const integrity = stringOf(value['integrity']);
    if (integrity) item.integrity = integrity;
    byPath.set(path, item);
    result.push(item);
  }
  // Resolve each dependency the way Node does: the nearest node_modules folder up the tree.
  for (const [path, item] of byPath) {
    const entry = recordOf(packages[path]);
    const names = new Set<string>();
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies'] as const) {
      for (const name of Object.keys(recordOf(entry[field]))) names.add(name);
    }
    const dependencies: string[] = [];
    for (const name of names) {
      const resolved = resolveFrom(byPath, path, name);
      if (resolved) dependencies.push(types.packageKey(resolved.name, resolved.version));
    }
    item.dependencies = dependencies;
  }
  return result;
}

function resolveFrom(
  byPath: ReadonlyMap<string, types.LockedPackage>,
  from: string,
  name: string,
): types.LockedPackage | undefined {
  let base = from;
  for (;;) {
    const candidate = byPath.get(`${base}/node_modules/${name}`);
    if (candidate) return candidate;
    const index = base.lastIndexOf('/node_modules/');
    if (index === -1) break;
    base = base.slice(0, index);
  }
  return byPath.get(`node_modules/${name}`);
}

function extractDependencyTree(
  input: { path: string; text: string },
  tree: Record<string, unknown>,
  declared: Set<string> | undefined,
): types.LockedPackage[] {
  const locator = new KeyLocator(input.text);
  const result: types.LockedPackage[] = [];
  const visit = (
    dependencies: Record<string, unknown>,
    depth: number,
    parents: Array<Record<string, unknown>>,
  ) => {
    if (depth > 200) throw malformedLockfile(input.path, 'dependencies are nested more than 200 levels deep');
    for (const [name, value] of Object.entries(dependencies)) {
      if (!isRecord(value)) continue;
      const line = locator.line(`"${name}": {`);
      const version = stringOf(value['version']);
      if (version !== undefined && !version.startsWith('file:')) {
        const item: types.LockedPackage = {
          name,
          version,
          purl: npmPurl(name, version),
          ecosystem: 'npm',
          direct: depth === 0 && (declared === undefined || declared.has(name)),
          scope: scopeOf(value),
          location: { path: input.path, line },
        };
        const integrity = stringOf(value['integrity']);
        if (integrity) item.integrity = integrity;
        const requires = Object.keys(recordOf(value['requires']));
        const scopes = [recordOf(value['dependencies']), ...parents];
        item.dependencies = requires.flatMap((required) => {
          for (const scope of scopes) {
            const found = recordOf(scope[required]);
            const foundVersion = stringOf(found['version']);
            if (foundVersion) return [types.packageKey(required, foundVersion)];
          }
          return [];
        });
        result.push(item);
      }
      if (isRecord(value['dependencies']))
        visit(value['dependencies'], depth + 1, [value['dependencies'], ...parents]);
    }
  };
  visit(tree, 0, [tree]);
  return result;
}

/** Names package.json beside the lockfile declares, when it can be read. */
export function manifestDependencies(input: types.LockfileInput): Set<string> | undefined {
  const text = input.readSibling?.('package.json');
  if (text === undefined) return undefined;
  try {
    const manifest = recordOf(JSON.parse(text));
    const names = new Set<string>();
    for (const field of dependencyFields)
      for (const name of Object.keys(recordOf(manifest[field]))) names.add(name);
    return names;
  } catch {
    return undefined;
  }
}
