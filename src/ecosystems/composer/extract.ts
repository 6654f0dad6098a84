import { malformedLockfile } from '../errors.js';
import { isRecord, KeyLocator, parseJsonLockfile, recordOf, stringOf } from '../lockfile-text.js';
import { buildPurl } from '../purl.js';
import { type ExtractResult, type LockedPackage, type LockfileInput, packageKey } from '../types.js';

/** composer.lock: `packages` (prod) and `packages-dev` (dev); direct ones from composer.json. */
export function extractComposerLock(input: LockfileInput): ExtractResult {
  const document = parseJsonLockfile(input.path, input.text);
  if (!isRecord(document)) throw malformedLockfile(input.path, 'the lockfile is not a JSON object', 1);
  let declared: Set<string> | undefined;
  const manifestText = input.readSibling?.('composer.json');
  if (manifestText !== undefined) {
    try {
      const manifest = recordOf(JSON.parse(manifestText));
      declared = new Set(
        [
          ...Object.keys(recordOf(manifest['require'])),
          ...Object.keys(recordOf(manifest['require-dev'])),
        ].map((name) => name.toLowerCase()),
      );
    } catch {
      declared = undefined;
    }
  }
  const locator = new KeyLocator(input.text);
  const all: Array<{ entry: Record<string, unknown>; scope: 'prod' | 'dev' }> = [];
  for (const [section, scope] of [
    ['packages', 'prod'],
    ['packages-dev', 'dev'],
  ] as const) {
    const list = document[section];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw malformedLockfile(input.path, `\`${section}\` is not an array`, 1);
    for (const entry of list) all.push({ entry: recordOf(entry), scope });
  }
  const versions = new Map<string, string>();
  for (const { entry } of all) {
    const name = stringOf(entry['name']);
    const version = stringOf(entry['version']);
    if (name && version) versions.set(name.toLowerCase(), version);
  }
  const packages: LockedPackage[] = [];
  for (const { entry, scope } of all) {
    const name = stringOf(entry['name']);
    const version = stringOf(entry['version']);
    const line = name ? locator.line(`"name": "${name}"`) : 1;
    if (!name || !version) throw malformedLockfile(input.path, 'a package lacks name or version', line);
    const slash = name.indexOf('/');
    const item: LockedPackage = {
      name,
      version,
      purl:
        slash === -1
          ? buildPurl('composer', undefined, name, version)
          : buildPurl('composer', name.slice(0, slash), name.slice(slash + 1), version),
      ecosystem: 'Packagist',
      direct: declared?.has(name.toLowerCase()) ?? false,
      scope,
      location: { path: input.path, line },
      dependencies: Object.keys(recordOf(entry['require'])).flatMap((dependency) => {
        const dependencyVersion = versions.get(dependency.toLowerCase());
        return dependencyVersion === undefined ? [] : [packageKey(dependency, dependencyVersion)];
      }),
    };
    const shasum = stringOf(recordOf(entry['dist'])['shasum']);
    if (shasum) item.integrity = `sha1:${shasum}`;
    packages.push(item);
  }
  return { packages, warnings: [] };
}
