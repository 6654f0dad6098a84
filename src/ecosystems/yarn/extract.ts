import { malformedLockfile } from '../errors.js';
import { assignScopes } from '../graph.js';
import { checkLockfileSize, isRecord, parseYamlLockfile, recordOf, stringOf } from '../lockfile-text.js';
import { npmPurl } from '../npm/index.js';
import * as types from '../types.js';

interface YarnEntry {
  /** The descriptors (`name@range`) this entry resolves. */
  descriptors: string[];
  name: string;
  version: string;
  integrity?: string;
  /** Dependency descriptors. */
  dependencies: string[];
  line: number;
  workspace: boolean;
}

/** `@scope/name@npm:^1.0.0` → `@scope/name`. */
export function descriptorName(descriptor: string): string {
  const at = descriptor.indexOf('@', 1);
  return at === -1 ? descriptor : descriptor.slice(0, at);
}

/** yarn.lock: classic (v1, its own format) and berry (v2+, YAML with `__metadata`). */
export function extractYarnLock(input: types.LockfileInput): types.ExtractResult {
  checkLockfileSize(input.path, input.text);
  const berry = /^__metadata:/m.test(input.text);
  const warnings: types.ExtractWarning[] = [];
  const entries = berry ? readBerry(input, warnings) : readClassic(input);
  const byDescriptor = new Map<string, YarnEntry>();
  for (const entry of entries)
    for (const descriptor of entry.descriptors) byDescriptor.set(descriptor, entry);
  const keyOf = (entry: YarnEntry) => types.packageKey(entry.name, entry.version);
  const edges = new Map<string, string[]>();
  for (const entry of entries) {
    const targets = entry.dependencies.flatMap((descriptor) => {
      const target = byDescriptor.get(descriptor);
      return target ? [keyOf(target)] : [];
    });
    edges.set(keyOf(entry), targets);
  }
  // Direct dependencies: the workspaces' (berry) or package.json's (classic).
  const roots: Array<{ key: string; scope: types.PackageScope }> = [];
  const direct = new Set<string>();
  const addRoot = (descriptor: string, scope: types.PackageScope) => {
    const target = byDescriptor.get(descriptor);
    if (!target) return;
    roots.push({ key: keyOf(target), scope });
    direct.add(keyOf(target));
  };
  for (const entry of entries.filter((item) => item.workspace)) {
    for (const descriptor of entry.dependencies) addRoot(descriptor, 'prod');
  }
  const manifest = readManifest(input);
  if (manifest) {
    for (const [field, scope] of [
      ['dependencies', 'prod'],
      ['optionalDependencies', 'optional'],
      ['devDependencies', 'dev'],
    ] as const) {
      for (const [name, range] of Object.entries(recordOf(manifest[field]))) {
        if (typeof range !== 'string') continue;
        addRoot(`${name}@${range}`, scope);
        addRoot(`${name}@npm:${range}`, scope);
      }
    }
  }
  const scopes = assignScopes(edges, roots);
  const packages: types.LockedPackage[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const key = keyOf(entry);
    if (entry.workspace || seen.has(key)) continue;
    seen.add(key);
    const item: types.LockedPackage = {
      name: entry.name,
      version: entry.version,
      purl: npmPurl(entry.name, entry.version),
      ecosystem: 'npm',
      direct: direct.has(key),
      scope: scopes.get(key) ?? 'prod',
      location: { path: input.path, line: entry.line },
      dependencies: [...new Set(edges.get(key) ?? [])],
    };
    if (entry.integrity) item.integrity = entry.integrity;
    packages.push(item);
  }
  return { packages, warnings };
}

function readManifest(input: types.LockfileInput): Record<string, unknown> | undefined {
  const text = input.readSibling?.('package.json');
  if (text === undefined) return undefined;
  try {
    return recordOf(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function unquote(text: string): string {
  const trimmed = text.trim();
  return trimmed.startsWith('"') && trimmed.endsWith('"') && trimmed.length >= 2
    ? trimmed.slice(1, -1)
    : trimmed;
}

/** The classic format: unindented descriptor lines, two-space fields, four-space dependency lists. */
function readClassic(input: types.LockfileInput): YarnEntry[] {
  const entries: YarnEntry[] = [];
  let current: YarnEntry | undefined;
  let inDependencies = false;
  const lines = input.text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) continue;
    if (!line.startsWith(' ')) {
      if (!line.endsWith(':'))
        throw malformedLockfile(
          input.path,
          `expected "descriptor:" but found "${line.slice(0, 80)}"`,
          index + 1,
        );
      const descriptors = line
        .slice(0, -1)
        .split(',')
        .map((part) => unquote(part))
        .filter(Boolean);
      const first = descriptors[0] ?? '';
      current = {
        descriptors,
        name: descriptorName(first),
        version: '',
        dependencies: [],
        line: index + 1,
        workspace: false,
      };
      entries.push(current);
      inDependencies = false;
      continue;
    }
    if (!current) throw malformedLockfile(input.path, 'a field before any entry', index + 1);
    if (/^ {2}\S/.test(line)) {
      const field = line.trim();
      inDependencies = field === 'dependencies:' || field === 'optionalDependencies:';
      const space = field.indexOf(' ');
      if (space === -1) continue;
      const key = field.slice(0, space);
      const value = unquote(field.slice(space + 1));
      if (key === 'version') current.version = value;
      else if (key === 'integrity') current.integrity = value;
      continue;
    }
    if (inDependencies && /^ {4}\S/.test(line)) {
      const field = line.trim();
      const space = field.indexOf(' ');
      if (space === -1) continue;
      current.dependencies.push(`${unquote(field.slice(0, space))}@${unquote(field.slice(space + 1))}`);
    }
  }
  for (const entry of entries) {
    if (entry.version === '')
      throw malformedLockfile(input.path, `entry ${entry.descriptors[0] ?? ''} has no version`, entry.line);
  }
  return entries;
}

/** Berry: YAML; descriptors are `name@npm:range`, dependencies name → range (npm: implied). */
function readBerry(input: types.LockfileInput, warnings: types.ExtractWarning[]): YarnEntry[] {
  const document = parseYamlLockfile(input.path, input.text);
  if (!isRecord(document)) throw malformedLockfile(input.path, 'the lockfile is not a YAML mapping', 1);
  const metadataVersion = Number(recordOf(document['__metadata'])['version']);
  if (!(metadataVersion >= 4 && metadataVersion <= 8)) {
    warnings.push({
      code: 'LOCKFILE_VERSION_UNKNOWN',
      message: `${input.path}: __metadata.version ${String(metadataVersion)} is not one shipguard knows (4-8); read best-effort`,
      location: { path: input.path, line: 1 },
    });
  }
  const lineOfKey = new Map<string, number>();
  for (const [index, line] of input.text.split('\n').entries()) {
    if (/^\S/.test(line) && line.trimEnd().endsWith(':'))
      lineOfKey.set(unquote(line.trimEnd().slice(0, -1)), index + 1);
  }
  const entries: YarnEntry[] = [];
  for (const [key, value] of Object.entries(document)) {
    if (key === '__metadata' || !isRecord(value)) continue;
    const descriptors = key
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    const resolution = stringOf(value['resolution']) ?? descriptors[0] ?? '';
    const version = stringOf(value['version']);
    if (version === undefined)
      throw malformedLockfile(input.path, `entry ${key.slice(0, 80)} has no version`, lineOfKey.get(key));
    const dependencies = Object.entries({
      ...recordOf(value['dependencies']),
      ...recordOf(value['optionalDependencies']),
    }).map(([name, range]) => {
      const text = String(range);
      return /^[a-z]+:/.test(text) ? `${name}@${text}` : `${name}@npm:${text}`;
    });
    const entry: YarnEntry = {
      descriptors,
      name: descriptorName(resolution),
      version,
      dependencies,
      line: lineOfKey.get(key) ?? 1,
      workspace: resolution.includes('@workspace:') || value['linkType'] === 'soft',
    };
    const checksum = stringOf(value['checksum']);
    if (checksum) entry.integrity = checksum;
    entries.push(entry);
  }
  return entries;
}
