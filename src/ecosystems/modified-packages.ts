import { baseName, type RepositorySnapshot } from '../kernel/index.js';

/** How a third-party package is changed or copied into the repository. */
export type ModificationKind = 'patch-package' | 'pnpm-patch' | 'yarn-patch' | 'vendored';

export interface ModifiedPackage {
  kind: ModificationKind;
  /** The package as the patch or copy names it (`name@version` where known), else the path. */
  name: string;
  path: string;
  line: number;
}

export interface ModifiedPackagesFacts {
  /** Dependencies installed with local changes applied (patch files, patch protocols). */
  patched: ModifiedPackage[];
  /** Copies of third-party packages kept in the repository, which no lockfile integrity covers. */
  vendored: ModifiedPackage[];
  /** Files that could not be read whole. */
  unreadable: string[];
}

const maxManifestBytes = 1024 * 1024;
const maxFindings = 500;
/** Folder names that by convention hold copies of other projects' code. */
const vendorSegments = new Set(['vendor', 'vendored', 'third_party', 'third-party', 'thirdparty']);
/** A copy is recognised by the manifest it brought with it. */
const copiedManifests = new Set(['package.json', 'pyproject.toml', 'setup.py', 'Cargo.toml']);

/**
 * Finds third-party packages the repository changes or copies: patch-package and pnpm patch
 * files, pnpm `patchedDependencies`, Yarn's `patch:` protocol, and vendored copies (a package
 * manifest under a vendor or third-party folder; Go's `vendor/` written by `go mod vendor`, which
 * `go mod verify` checks against the module sums, is not counted).
 */
export async function findModifiedPackages(repository: RepositorySnapshot): Promise<ModifiedPackagesFacts> {
  const facts: ModifiedPackagesFacts = { patched: [], vendored: [], unreadable: [] };
  const declaredPatchFiles = new Set<string>();
  /** Folders whose package.json names patch-package (its `patches/` hold dependency patches). */
  const patchPackageFolders = new Set<string>();
  for (const path of repository.files) {
    if (path.split('/').includes('node_modules')) continue;
    const name = baseName(path);
    if (name === 'package.json' && !isVendored(path)) {
      if (await readPackageJsonPatches(repository, path, facts, declaredPatchFiles)) {
        patchPackageFolders.add(path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
      }
    } else if (name === 'pnpm-workspace.yaml') {
      await readWorkspacePatches(repository, path, facts, declaredPatchFiles);
    }
  }
  for (const path of repository.files) {
    if (declaredPatchFiles.has(path) || !path.endsWith('.patch')) continue;
    const kind = patchFileKind(path, patchPackageFolders);
    if (kind) facts.patched.push({ kind, name: packageOfPatchFile(baseName(path)), path, line: 1 });
  }
  for (const path of repository.files) {
    if (!copiedManifests.has(baseName(path)) || !isVendored(path) || isGoVendor(repository, path)) continue;
    if (path.split('/').includes('node_modules')) continue;
    facts.vendored.push({ kind: 'vendored', name: path.slice(0, path.lastIndexOf('/')), path, line: 1 });
  }
  facts.patched = facts.patched.slice(0, maxFindings);
  facts.vendored = facts.vendored.slice(0, maxFindings);
  return facts;
}

function isVendored(path: string): boolean {
  return path
    .split('/')
    .slice(0, -1)
    .some((segment) => vendorSegments.has(segment));
}

/** `go mod vendor` writes vendor/modules.txt beside the copies. */
function isGoVendor(repository: RepositorySnapshot, path: string): boolean {
  const segments = path.split('/');
  const index = segments.indexOf('vendor');
  return index !== -1 && repository.has([...segments.slice(0, index + 1), 'modules.txt'].join('/'));
}

/**
 * A patch file that patches a dependency: under `.yarn/patches/`, or in `patches/` beside a
 * package.json that uses patch-package (a Debian or kernel `patches/` folder is not one).
 */
function patchFileKind(path: string, patchPackageFolders: ReadonlySet<string>): ModificationKind | undefined {
  const segments = path.split('/');
  if (segments.at(-2) !== 'patches') return undefined;
  if (segments.at(-3) === '.yarn') return 'yarn-patch';
  return patchPackageFolders.has(segments.slice(0, -2).join('/')) ? 'patch-package' : undefined;
}

/** patch-package names files `name+version.patch` (`@scope+name+version.patch`); pnpm `name@version.patch`. */
function packageOfPatchFile(fileName: string): string {
  const stem = fileName.replace(/\.patch$/, '');
  const parts = stem.split('+');
  if (parts.length >= 2) {
    const version = parts.pop() as string;
    return `${parts.join('/')}@${version}`;
  }
  return stem.replace(/__/g, '/');
}

async function readPackageJsonPatches(
  repository: RepositorySnapshot,
  path: string,
  facts: ModifiedPackagesFacts,
  declaredPatchFiles: Set<string>,
): Promise<boolean> {
  const file = await repository.readText(path, maxManifestBytes);
  if (!file || file.truncated) {
    facts.unreadable.push(path);
    return false;
  }
  const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
  let inPatched = false;
  let depth = 0;
  for (const [index, line] of file.text.split('\n').entries()) {
    // Yarn's patch protocol: "lodash": "patch:lodash@npm%3A4.17.21#./.yarn/patches/…".
    const yarnPatch = /"([^"]+)"\s*:\s*"patch:([^"#]+)(?:#([^"]*))?"/.exec(line);
    if (yarnPatch?.[1]) {
      facts.patched.push({
        kind: 'yarn-patch',
        name: decodePatchName(yarnPatch[2] ?? yarnPatch[1]),
        path,
        line: index + 1,
      });
      if (yarnPatch[3]) declaredPatchFiles.add(joinPath(folder, yarnPatch[3].replace(/^~\//, '')));
      continue;
    }
    if (/"patchedDependencies"\s*:\s*\{/.test(line)) {
      inPatched = true;
      depth = 0;
    }
    if (!inPatched) continue;
    const entry = /"([^"]+)"\s*:\s*"([^"]+\.patch)"/.exec(line);
    if (entry?.[1] && entry[2]) {
      facts.patched.push({ kind: 'pnpm-patch', name: entry[1], path, line: index + 1 });
      declaredPatchFiles.add(joinPath(folder, entry[2]));
    }
    depth += (line.match(/\{/g)?.length ?? 0) - (line.match(/\}/g)?.length ?? 0);
    if (depth <= 0 && /\}/.test(line)) inPatched = false;
  }
  return /"patch-package"/.test(file.text);
}

async function readWorkspacePatches(
  repository: RepositorySnapshot,
  path: string,
  facts: ModifiedPackagesFacts,
  declaredPatchFiles: Set<string>,
): Promise<void> {
  const file = await repository.readText(path, maxManifestBytes);
  if (!file || file.truncated) {
    facts.unreadable.push(path);
    return;
  }
  const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
  let inPatched = false;
  for (const [index, line] of file.text.split('\n').entries()) {
    if (/^patchedDependencies\s*:/.test(line)) {
      inPatched = true;
      continue;
    }
    if (inPatched && /^\S/.test(line)) inPatched = false;
    if (!inPatched) continue;
    const entry = /^\s+["']?([^"':]+(?::[^"':]+)?)["']?\s*:\s*["']?([^"'\s]+\.patch)/.exec(line);
    if (entry?.[1] && entry[2]) {
      facts.patched.push({ kind: 'pnpm-patch', name: entry[1], path, line: index + 1 });
      declaredPatchFiles.add(joinPath(folder, entry[2]));
    }
  }
}

function decodePatchName(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function joinPath(folder: string, relative: string): string {
  return `${folder}${relative.replace(/^\.\//, '')}`;
}
