import { malformedLockfile } from '../errors.js';
import { isRecord, KeyLocator, parseJsonLockfile, recordOf, stringOf } from '../lockfile-text.js';
import { buildPurl } from '../purl.js';
import * as types from '../types.js';

/**
 * packages.lock.json (versions 1 and 2): per target framework, each package with its type
 * (Direct, Transitive, CentralTransitive, Project), resolved version and content hash. A package
 * locked for several frameworks is listed once.
 */
export function extractNuGetLock(input: types.LockfileInput): types.ExtractResult {
  const document = parseJsonLockfile(input.path, input.text);
  if (!isRecord(document)) throw malformedLockfile(input.path, 'the lockfile is not a JSON object', 1);
  const warnings: types.ExtractWarning[] = [];
  const version = document['version'];
  if (version !== 1 && version !== 2) {
    warnings.push({
      code: 'LOCKFILE_VERSION_UNKNOWN',
      message: `${input.path}: version ${String(version)} is not one shipguard knows (1-2); read best-effort`,
      location: { path: input.path, line: 1 },
    });
  }
  const locator = new KeyLocator(input.text);
  const byKey = new Map<string, types.LockedPackage>();
  for (const [, packages] of Object.entries(recordOf(document['dependencies']))) {
    const resolvedByName = new Map<string, string>();
    for (const [name, value] of Object.entries(recordOf(packages))) {
      const resolved = stringOf(recordOf(value)['resolved']);
      if (resolved) resolvedByName.set(name.toLowerCase(), resolved);
    }
    for (const [name, value] of Object.entries(recordOf(packages))) {
      const entry = recordOf(value);
      const line = locator.line(`"${name}": {`);
      const type = stringOf(entry['type']);
      const resolved = stringOf(entry['resolved']);
      if (type === 'Project' || resolved === undefined) continue;
      const key = types.packageKey(name, resolved);
      const existing = byKey.get(key);
      if (existing) {
        if (type === 'Direct') existing.direct = true;
        continue;
      }
      const item: types.LockedPackage = {
        name,
        version: resolved,
        purl: buildPurl('nuget', undefined, name, resolved),
        ecosystem: 'NuGet',
        direct: type === 'Direct',
        scope: 'prod',
        location: { path: input.path, line },
        dependencies: Object.keys(recordOf(entry['dependencies'])).flatMap((dependency) => {
          const dependencyVersion = resolvedByName.get(dependency.toLowerCase());
          return dependencyVersion === undefined ? [] : [types.packageKey(dependency, dependencyVersion)];
        }),
      };
      const hash = stringOf(entry['contentHash']);
      if (hash) item.integrity = `sha512-${hash}`;
      byKey.set(key, item);
    }
  }
  return { packages: [...byKey.values()], warnings };
}
