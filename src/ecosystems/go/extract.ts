import { malformedLockfile } from '../errors.js';
import { checkLockfileSize } from '../lockfile-text.js';
import { buildPurl } from '../purl.js';
import type { ExtractResult, ExtractWarning, LockedPackage, LockfileInput } from '../types.js';

/** `pkg:golang/github.com/foo/bar@v1.2.3`: the module path's segments are the namespace. */
export function goPurl(module: string, version: string): string {
  const slash = module.lastIndexOf('/');
  return slash === -1
    ? buildPurl('golang', undefined, module, version)
    : buildPurl('golang', module.slice(0, slash), module.slice(slash + 1), version);
}

function stripComment(line: string): { text: string; indirect: boolean } {
  const index = line.indexOf('//');
  if (index === -1) return { text: line.trim(), indirect: false };
  return { text: line.slice(0, index).trim(), indirect: /\/\/\s*indirect\b/.test(line.slice(index)) };
}

function unquote(text: string): string {
  return text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

const goSumLine = /^[^\s@]+ v[^\s]+ [a-z0-9]+:[A-Za-z0-9+/]+=*$/;

/** go.sum's `module version h1:hash` lines, by `module@version` (the module zip, not go.mod). */
export function readGoSum(text: string, path = 'go.sum'): Map<string, { hash: string; line: number }> {
  const sums = new Map<string, { hash: string; line: number }>();
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    // Every line is `module version algorithm:hash`; anything else means this is not a go.sum
    // (or a damaged one), and guessing packages from it would put junk purls in the SBOM.
    if (!goSumLine.test(line.trim())) {
      throw malformedLockfile(
        path,
        `expected "module version h1:hash", found "${line.trim().slice(0, 80)}"`,
        index + 1,
      );
    }
    const parts = line.trim().split(/\s+/);
    const [module, version, hash] = parts as [string, string, string];
    if (version.endsWith('/go.mod')) continue;
    sums.set(`${module}@${version}`, { hash, line: index + 1 });
  }
  return sums;
}

/**
 * go.mod: every `require` (one line or a block), `// indirect` marking transitive modules,
 * `replace` directives that swap in another module version; hashes from go.sum beside it.
 */
export function extractGoMod(input: LockfileInput): ExtractResult {
  checkLockfileSize(input.path, input.text);
  const warnings: ExtractWarning[] = [];
  const required: Array<{ module: string; version: string; indirect: boolean; line: number }> = [];
  const replacements = new Map<string, { module: string; version: string }>();
  let block: 'require' | 'replace' | undefined;
  for (const [index, raw] of input.text.split('\n').entries()) {
    const { text, indirect } = stripComment(raw);
    if (text === '') continue;
    if (block && text === ')') {
      block = undefined;
      continue;
    }
    let directive: 'require' | 'replace' | undefined = block;
    let rest = text;
    const opening = /^(require|replace)\s*\($/.exec(text);
    if (opening) {
      block = opening[1] as 'require' | 'replace';
      continue;
    }
    const single = /^(require|replace)\s+(.*)$/.exec(text);
    if (!block && single) {
      directive = single[1] as 'require' | 'replace';
      rest = single[2] as string;
    }
    if (!directive) continue;
    const fields = rest.split(/\s+/).map(unquote);
    if (directive === 'require' && fields.length >= 2) {
      required.push({ module: fields[0] as string, version: fields[1] as string, indirect, line: index + 1 });
    } else if (directive === 'replace') {
      const arrow = fields.indexOf('=>');
      const target = fields[arrow + 1];
      const targetVersion = fields[arrow + 2];
      if (arrow > 0 && target && targetVersion && !target.startsWith('.') && !target.startsWith('/')) {
        replacements.set(fields[0] as string, { module: target, version: targetVersion });
      }
    }
  }
  const sums = readGoSum(input.readSibling?.('go.sum') ?? '', input.path.replace(/go\.mod$/, 'go.sum'));
  const packages = required.map(({ module, version, indirect, line }) => {
    const replaced = replacements.get(module);
    const name = replaced?.module ?? module;
    const resolved = replaced?.version ?? version;
    const item: LockedPackage = {
      name,
      version: resolved,
      purl: goPurl(name, resolved),
      ecosystem: 'Go',
      direct: !indirect,
      scope: 'prod',
      location: { path: input.path, line },
    };
    const sum = sums.get(`${name}@${resolved}`);
    if (sum) item.integrity = sum.hash;
    return item;
  });
  return { packages, warnings };
}

/** go.sum on its own (no go.mod beside it): every module it records, all transitive. */
export function extractGoSum(input: LockfileInput): ExtractResult {
  checkLockfileSize(input.path, input.text);
  if (input.readSibling?.('go.mod') !== undefined) return { packages: [], warnings: [] };
  const packages: LockedPackage[] = [];
  for (const [key, { hash, line }] of readGoSum(input.text, input.path)) {
    const at = key.lastIndexOf('@');
    const name = key.slice(0, at);
    const version = key.slice(at + 1);
    packages.push({
      name,
      version,
      purl: goPurl(name, version),
      ecosystem: 'Go',
      direct: false,
      scope: 'prod',
      integrity: hash,
      location: { path: input.path, line },
    });
  }
  return { packages, warnings: [] };
}
