import { parse as parseToml } from 'smol-toml';
import { malformedLockfile } from '../errors.js';
import { assignScopes } from '../graph.js';
import {
  checkLockfileSize,
  isRecord,
  KeyLocator,
  parseJsonLockfile,
  parseTomlLockfile,
  recordOf,
  stringOf,
  tomlTableLines,
} from '../lockfile-text.js';
import { buildPurl } from '../purl.js';
import * as types from '../types.js';

/** PEP 503 normalised name: lower case, runs of `-_.` as one `-`. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function pypiPackage(
  name: string,
  version: string,
  path: string,
  line: number,
  options: {
    direct: boolean;
    scope: types.PackageScope;
    integrity?: string | undefined;
    dependencies?: string[];
  },
): types.LockedPackage {
  const normalized = normalizePypiName(name);
  const item: types.LockedPackage = {
    name: normalized,
    version,
    purl: buildPurl('pypi', undefined, normalized, version),
    ecosystem: 'PyPI',
    direct: options.direct,
    scope: options.scope,
    location: { path, line },
  };
  if (options.integrity) item.integrity = options.integrity;
  if (options.dependencies) item.dependencies = options.dependencies;
  return item;
}

/**
 * pip requirements files, the one rule for every caller: `requirements*.txt` and
 * `constraints*.txt` (`requirements-dev.txt`, `requirements.prod.txt`), and any `.txt` in a
 * `requirements/` folder (`requirements/base.txt`). Takes a path or a base name.
 */
export function isRequirementsFile(path: string): boolean {
  const segments = path.split('/');
  const name = segments[segments.length - 1] ?? '';
  if (/^(?:requirements|constraints)(?:[-_.][\w.-]{0,60})?\.txt$/i.test(name)) return true;
  return /\.txt$/i.test(name) && segments[segments.length - 2]?.toLowerCase() === 'requirements';
}

const requirementPattern =
  /^([A-Za-z0-9][A-Za-z0-9._-]{0,200})(?:\[[^\]]{0,200}\])?\s*===?\s*([^\s;#\\]{1,100})/;

/**
 * Pinned requirements files (pip-compile, `pip freeze`): `name==version`, `--hash` options on
 * continuation lines, pip-compile's `# via` comments telling direct from transitive.
 */
export function extractRequirements(input: types.LockfileInput): types.ExtractResult {
  checkLockfileSize(input.path, input.text);
  const warnings: types.ExtractWarning[] = [];
  const packages: types.LockedPackage[] = [];
  const lines = input.text.split('\n');
  const dev = /(?:^|[-_.])(dev|test|tests|lint|docs)(?:[-_.]|$)/i.test(input.path.split('/').pop() ?? '');
  let current: types.LockedPackage | undefined;
  let viaSeen = false;
  let viaDirect = false;
  const finish = () => {
    if (current && viaSeen) current.direct = viaDirect;
    current = undefined;
    viaSeen = false;
    viaDirect = false;
  };
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line.startsWith('#')) {
      // pip-compile: `# via -r requirements.in` (direct) or `# via other-package` (transitive).
      const via = /^#\s+(?:via\s+)?(.*)$/.exec(line)?.[1] ?? '';
      if (current && (line.startsWith('# via') || viaSeen)) {
        viaSeen = true;
        if (/(^|\s)-r\s|(^|\s)-c\s|requirements|\.in\b|pyproject\.toml|setup\.(?:py|cfg)/.test(via))
          viaDirect = true;
      }
      continue;
    }
    if (line === '') continue;
    const hashes = [...line.matchAll(/--hash[=\s]+(sha256|sha384|sha512):([0-9a-f]{64,128})/g)];
    if (current && hashes.length > 0 && current.integrity === undefined) {
      const first = hashes[0];
      if (first) current.integrity = `${first[1]}:${first[2]}`;
    }
    if (line.startsWith('--') || line.startsWith('-')) continue;
    const match = requirementPattern.exec(line);
    if (!match) {
      finish();
      if (!/^[A-Za-z0-9]/.test(line)) continue;
      warnings.push({
        code: 'LOCKFILE_ENTRY_SKIPPED',
        message: `${input.path}:${index + 1}: "${line.slice(0, 80)}" does not pin an exact version`,
        location: { path: input.path, line: index + 1 },
      });
      continue;
    }
    finish();
    current = pypiPackage(match[1] as string, match[2] as string, input.path, index + 1, {
      direct: true,
      scope: dev ? 'dev' : 'prod',
    });
    if (hashes[0]) current.integrity = `${hashes[0][1]}:${hashes[0][2]}`;
    packages.push(current);
  }
  finish();
  return { packages, warnings };
}

/** Names a pyproject.toml (PEP 621, Poetry) or Pipfile declares, by scope. */
function declaredNames(input: types.LockfileInput): Map<string, types.PackageScope> | undefined {
  const names = new Map<string, types.PackageScope>();
  const add = (name: string, scope: types.PackageScope) => {
    const normalized = normalizePypiName(name);
    if (normalized === 'python') return;
    if (!names.has(normalized) || scope === 'prod') names.set(normalized, scope);
  };
  const fromSpecifier = (specifier: unknown) => /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(String(specifier))?.[0];
  const pyproject = input.readSibling?.('pyproject.toml');
  if (pyproject !== undefined) {
    try {
      const document = parseToml(pyproject);
      const project = recordOf(document['project']);
      for (const specifier of Array.isArray(project['dependencies']) ? project['dependencies'] : []) {
        const name = fromSpecifier(specifier);
        if (name) add(name, 'prod');
      }
      for (const list of Object.values(recordOf(project['optional-dependencies']))) {
        for (const specifier of Array.isArray(list) ? list : []) {
          const name = fromSpecifier(specifier);
          if (name) add(name, 'optional');
        }
      }
      for (const list of Object.values(recordOf(document['dependency-groups']))) {
        for (const specifier of Array.isArray(list) ? list : []) {
          const name = fromSpecifier(specifier);
          if (name) add(name, 'dev');
        }
      }
      const poetry = recordOf(recordOf(document['tool'])['poetry']);
      for (const name of Object.keys(recordOf(poetry['dependencies']))) add(name, 'prod');
      for (const name of Object.keys(recordOf(poetry['dev-dependencies']))) add(name, 'dev');
      for (const [group, value] of Object.entries(recordOf(poetry['group']))) {
        for (const name of Object.keys(recordOf(recordOf(value)['dependencies'])))
          add(name, group === 'main' ? 'prod' : 'dev');
      }
      const pdm = recordOf(recordOf(document['tool'])['pdm']);
      for (const list of Object.values(recordOf(pdm['dev-dependencies']))) {
        for (const specifier of Array.isArray(list) ? list : []) {
          const name = fromSpecifier(specifier);
          if (name) add(name, 'dev');
        }
      }
    } catch {
      // An unreadable manifest only costs the direct/transitive distinction.
    }
  }
  const pipfile = input.readSibling?.('Pipfile');
  if (pipfile !== undefined) {
    try {
      const document = parseToml(pipfile);
      for (const name of Object.keys(recordOf(document['packages']))) add(name, 'prod');
      for (const name of Object.keys(recordOf(document['dev-packages']))) add(name, 'dev');
    } catch {
      // As above.
    }
  }
  return names.size > 0 ? names : undefined;
}

function requirementName(value: unknown): string | undefined {
  if (isRecord(value)) return stringOf(value['name']);
  return /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(String(value))?.[0];
}

interface TomlPackage {
  name: string;
  version: string;
  line: number;
  scope?: types.PackageScope;
  integrity?: string;
  dependencies: string[];
  root?: { prod: string[]; dev: string[]; optional: string[] };
}

function firstHash(files: unknown): string | undefined {
  if (!Array.isArray(files)) return undefined;
  for (const file of files) {
    const hash = stringOf(recordOf(file)['hash']);
    if (hash) return hash.replace(/^sha256:/, 'sha256:');
  }
  return undefined;
}

/** poetry.lock, uv.lock and pdm.lock: `[[package]]` tables. */
export function extractTomlLock(
  input: types.LockfileInput,
  flavour: 'poetry' | 'uv' | 'pdm',
): types.ExtractResult {
  const document = parseTomlLockfile(input.path, input.text);
  const warnings: types.ExtractWarning[] = [];
  const list = document['package'];
  if (list !== undefined && !Array.isArray(list))
    throw malformedLockfile(input.path, '`package` is not an array of tables', 1);
  const lines = tomlTableLines(input.text, '[[package]]');
  const items: TomlPackage[] = [];
  for (const [index, raw] of (list ?? []).entries()) {
    const table = recordOf(raw);
    const name = stringOf(table['name']);
    const version = stringOf(table['version']);
    const line = lines[index] ?? 1;
    if (name === undefined) throw malformedLockfile(input.path, 'a [[package]] has no name', line);
    const dependencies: string[] = [];
    const deps = table['dependencies'];
    if (Array.isArray(deps))
      for (const dep of deps) {
        const depName = requirementName(dep);
        if (depName) dependencies.push(normalizePypiName(depName));
      }
    else for (const depName of Object.keys(recordOf(deps))) dependencies.push(normalizePypiName(depName));
    const source = recordOf(table['source']);
    // uv: the project itself (editable / virtual) is the root, not a dependency.
    if (flavour === 'uv' && (source['editable'] !== undefined || source['virtual'] !== undefined)) {
      const optional = Object.values(recordOf(table['optional-dependencies'])).flatMap((group) =>
        Array.isArray(group) ? group.flatMap((dep) => requirementName(dep) ?? []) : [],
      );
      const dev = Object.values(recordOf(table['dev-dependencies'])).flatMap((group) =>
        Array.isArray(group) ? group.flatMap((dep) => requirementName(dep) ?? []) : [],
      );
      items.push({
        name,
        version: version ?? '0',
        line,
        dependencies,
        root: {
          prod: dependencies,
          dev: dev.map(normalizePypiName),
          optional: optional.map(normalizePypiName),
        },
      });
      continue;
    }
    if (version === undefined) throw malformedLockfile(input.path, `package ${name} has no version`, line);
    const item: TomlPackage = { name: normalizePypiName(name), version, line, dependencies };
    const category = stringOf(table['category']);
    const groups = Array.isArray(table['groups']) ? table['groups'].map(String) : undefined;
    if (
      category === 'dev' ||
      (groups && groups.length > 0 && !groups.includes('main') && !groups.includes('default'))
    )
      item.scope = 'dev';
    else if (table['optional'] === true) item.scope = 'optional';
    else if (category !== undefined || groups !== undefined) item.scope = 'prod';
    const hash =
      firstHash(table['files']) ?? firstHash(table['wheels']) ?? stringOf(recordOf(table['sdist'])['hash']);
    if (hash) item.integrity = hash;
    items.push(item);
  }
  const declared = declaredNames(input);
  const roots: Array<{ key: string; scope: types.PackageScope }> = [];
  const direct = new Set<string>();
  for (const item of items) {
    if (!item.root) continue;
    for (const [scope, names] of [
      ['prod', item.root.prod],
      ['dev', item.root.dev],
      ['optional', item.root.optional],
    ] as const) {
      for (const name of names) {
        roots.push({ key: name, scope });
        direct.add(name);
      }
    }
  }
  for (const [name, scope] of declared ?? []) {
    roots.push({ key: name, scope });
    direct.add(name);
  }
  const edges = new Map<string, string[]>();
  for (const item of items) if (!item.root) edges.set(item.name, item.dependencies);
  const scopes = assignScopes(edges, roots);
  const versionOf = new Map(items.filter((item) => !item.root).map((item) => [item.name, item.version]));
  const packages = items
    .filter((item) => !item.root)
    .map((item) =>
      pypiPackage(item.name, item.version, input.path, item.line, {
        direct: direct.has(item.name),
        scope: item.scope ?? scopes.get(item.name) ?? 'prod',
        integrity: item.integrity,
        dependencies: item.dependencies.flatMap((name) => {
          const version = versionOf.get(name);
          return version === undefined ? [] : [types.packageKey(name, version)];
        }),
      }),
    );
  return { packages, warnings };
}

/** Pipfile.lock: `default` (prod) and `develop` (dev) sections of `name → {version: "==x"}`. */
export function extractPipfileLock(input: types.LockfileInput): types.ExtractResult {
  const document = parseJsonLockfile(input.path, input.text);
  if (!isRecord(document)) throw malformedLockfile(input.path, 'the lockfile is not a JSON object', 1);
  const warnings: types.ExtractWarning[] = [];
  const spec = recordOf(recordOf(document['_meta'])['pipfile-spec']);
  const declared = declaredNames(input);
  const locator = new KeyLocator(input.text);
  const packages: types.LockedPackage[] = [];
  if (typeof spec === 'object' && Object.keys(spec).length === 0) {
    const version = recordOf(document['_meta'])['pipfile-spec'];
    if (version !== undefined && version !== 6) {
      warnings.push({
        code: 'LOCKFILE_VERSION_UNKNOWN',
        message: `${input.path}: pipfile-spec ${String(version)} is not one shipguard knows (6); read best-effort`,
        location: { path: input.path, line: 1 },
      });
    }
  }
  for (const [section, scope] of [
    ['default', 'prod'],
    ['develop', 'dev'],
  ] as const) {
    for (const [name, value] of Object.entries(recordOf(document[section]))) {
      const line = locator.line(`"${name}": {`);
      const pinned = stringOf(recordOf(value)['version']);
      if (pinned === undefined || !pinned.startsWith('==')) continue;
      const hashes = recordOf(value)['hashes'];
      const integrity = Array.isArray(hashes) ? stringOf(hashes[0]) : undefined;
      packages.push(
        pypiPackage(name, pinned.replace(/^===?/, ''), input.path, line, {
          direct: declared ? declared.has(normalizePypiName(name)) : false,
          scope,
          integrity,
        }),
      );
    }
  }
  return { packages, warnings };
}
