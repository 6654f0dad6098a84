import { malformedLockfile } from '../errors.js';
import type { LockfileInput } from '../types.js';
import { parsePnpmKey } from './extract.js';

const maxLines = 2_000_000;

/**
 * Name and version of every entry under the top-level `packages:` of a pnpm-lock.yaml (v5 to v9),
 * by lines, without building a YAML document: each entry is a key indented by two spaces
 * (`  /name/1.0.0:`, `  /name@1.0.0(peer@1):`, `  '@scope/name@1.0.0':`). A file with no
 * `packages:` section at all is not a pnpm lockfile and throws.
 */
export function pnpmLockedVersions(input: LockfileInput): Array<{ name: string; version: string }> {
  const found = new Map<string, { name: string; version: string }>();
  let inPackages = false;
  let sawPackages = false;
  let start = 0;
  for (let count = 0; start <= input.text.length && count < maxLines; count++) {
    let end = input.text.indexOf('\n', start);
    if (end === -1) end = input.text.length;
    const line = input.text.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    if (line.length === 0 || line.startsWith('#')) continue;
    if (!line.startsWith(' ')) {
      inPackages = line.startsWith('packages:');
      sawPackages ||= inPackages;
      continue;
    }
    if (!inPackages || line.startsWith('   ') || !line.endsWith(':')) continue;
    let key = line.slice(2, -1);
    if ((key.startsWith("'") && key.endsWith("'")) || (key.startsWith('"') && key.endsWith('"')))
      key = key.slice(1, -1);
    const parsed = parsePnpmKey(key);
    if (parsed) found.set(`${parsed.name}@${parsed.version}`, parsed);
  }
  if (!sawPackages && !/^lockfileVersion:/m.test(input.text))
    throw malformedLockfile(input.path, 'no lockfileVersion and no packages section', 1);
  return [...found.values()];
}
