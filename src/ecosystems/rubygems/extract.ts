import { malformedLockfile } from '../errors.js';
import { checkLockfileSize } from '../lockfile-text.js';
import { buildPurl } from '../purl.js';
import { type ExtractResult, type LockedPackage, type LockfileInput, packageKey } from '../types.js';

const specLine = /^ {4}([^\s(]+) \(([^)]+)\)$/;
const dependencyLine = /^ {6}([^\s(]+)/;

/**
 * Gemfile.lock: gems under GEM, GIT and PATH `specs:` (four spaces, `name (version[-platform])`,
 * their dependencies at six), direct gems under DEPENDENCIES, hashes under CHECKSUMS.
 */
export function extractGemfileLock(input: LockfileInput): ExtractResult {
  checkLockfileSize(input.path, input.text);
  const gems: Array<{ name: string; version: string; line: number; dependencies: string[] }> = [];
  const direct = new Set<string>();
  const checksums = new Map<string, string>();
  let section = '';
  let current: (typeof gems)[number] | undefined;
  for (const [index, raw] of input.text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    // A Gemfile.lock is plain text: control characters or an unindented line that is not a
    // section header mean it is damaged, and a damaged lockfile is an error, not "no gems".
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
    if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(line) || (!/^[A-Z]/.test(line) && !/^ /.test(line))) {
      throw malformedLockfile(
        input.path,
        `not a Gemfile.lock line: "${line.trim().slice(0, 80)}"`,
        index + 1,
      );
    }
    if (/^[A-Z]/.test(line)) {
      section = line.trim();
      current = undefined;
      continue;
    }
    if (section === 'GEM' || section === 'GIT' || section === 'PATH' || section === 'PLUGIN SOURCE') {
      const spec = specLine.exec(line);
      if (spec) {
        const [, name, fullVersion] = spec as unknown as [string, string, string];
        // `1.15.0-x86_64-linux`: the platform is not part of the version.
        const version = fullVersion.split('-')[0] ?? fullVersion;
        current = { name, version, line: index + 1, dependencies: [] };
        gems.push(current);
        continue;
      }
      const dependency = dependencyLine.exec(line);
      if (dependency && current) {
        current.dependencies.push(dependency[1] as string);
        continue;
      }
      // Anything but `  remote:`/`  specs:` (two spaces), a gem (four) or its dependency (six).
      if (/^ {4}\S/.test(line) || !/^ {2}\S/.test(line))
        throw malformedLockfile(input.path, `cannot read gem line "${line.trim().slice(0, 80)}"`, index + 1);
    } else if (section === 'DEPENDENCIES') {
      const name = /^ {2}([^\s(!]+)/.exec(line)?.[1];
      if (name) direct.add(name);
    } else if (section === 'CHECKSUMS') {
      const match = /^ {2}(\S+) \(([^)]+)\) (sha256=[0-9a-f]{64})/.exec(line);
      if (match)
        checksums.set(
          `${match[1]}@${(match[2] as string).split('-')[0]}`,
          (match[3] as string).replace('=', ':'),
        );
    }
  }
  const versions = new Map(gems.map((gem) => [gem.name, gem.version]));
  const seen = new Set<string>();
  const packages: LockedPackage[] = [];
  for (const gem of gems) {
    const key = packageKey(gem.name, gem.version);
    if (seen.has(key)) continue;
    seen.add(key);
    const item: LockedPackage = {
      name: gem.name,
      version: gem.version,
      purl: buildPurl('gem', undefined, gem.name, gem.version),
      ecosystem: 'RubyGems',
      direct: direct.has(gem.name),
      scope: 'prod',
      location: { path: input.path, line: gem.line },
      dependencies: gem.dependencies.flatMap((name) => {
        const version = versions.get(name);
        return version === undefined ? [] : [packageKey(name, version)];
      }),
    };
    const checksum = checksums.get(key);
    if (checksum) item.integrity = checksum;
    packages.push(item);
  }
  return { packages, warnings: [] };
}
