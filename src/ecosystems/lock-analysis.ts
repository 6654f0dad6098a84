import type { z } from 'zod';
import { ComposerJson, PackageJson, PackageLock, type PackageLockEntry } from './manifest-schema.js';

/**
 * Pure readers of manifest and lockfile text: what a manifest needs, which lines leave versions
 * open, how many lockfile entries lack an integrity hash. No I/O; the collector feeds them text.
 */

/** A line of a manifest that does not fix one exact version. */
export interface UnpinnedLine {
  line: number;
  /** The line as written, trimmed, at most 200 characters. */
  text: string;
  reason: string;
}

/** Lines longer than this are hostile or generated; they are not matched against patterns. */
const maxLineLength = 4096;

function excerpt(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 200 ? trimmed.slice(0, 200) : trimmed;
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false };

export function parseJson(text: string): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Reads `value` with a schema; undefined when it does not fit (or nests deeper than the stack). */
export function readWith<Output>(schema: z.ZodType<Output>, value: unknown): Output | undefined {
  try {
    const result = schema.safeParse(value);
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

function hasEntries(value: Record<string, unknown> | undefined): boolean {
  return value !== undefined && Object.keys(value).length > 0;
}

/** A package.json needs a lockfile when it declares dependencies or workspaces (or cannot be read). */
export function packageJsonNeedsLock(json: unknown): boolean {
  const manifest = readWith(PackageJson, json);
  if (!manifest) return true;
  const declared = [
    manifest.dependencies,
    manifest.devDependencies,
    manifest.optionalDependencies,
    manifest.peerDependencies,
  ];
  return declared.some(hasEntries) || declaresWorkspaces(json);
}

/** `workspaces` as an array of globs (npm, yarn, bun) or `{ packages: [...] }` (yarn). */
export function declaresWorkspaces(json: unknown): boolean {
  const workspaces = readWith(PackageJson, json)?.workspaces;
  if (workspaces === undefined) return false;
  return (Array.isArray(workspaces) ? workspaces : workspaces.packages).length > 0;
}

/** composer.json needs composer.lock when it requires packages beyond PHP itself and extensions. */
export function composerNeedsLock(json: unknown): boolean {
  const manifest = readWith(ComposerJson, json);
  if (!manifest) return true;
  for (const requirements of [manifest.require, manifest['require-dev']]) {
    if (!requirements) continue;
    if (Object.keys(requirements).some((name) => name !== 'php' && !name.startsWith('ext-'))) return true;
  }
  return false;
}

/** Kept simple on purpose: a pyproject that never says `dependencies` declares none. */
export function pyprojectNeedsLock(text: string): boolean {
  return text.includes('dependencies');
}

export function goModNeedsLock(text: string): boolean {
  return /^[ \t]*require\b/m.test(text);
}

export function cargoNeedsLock(text: string): boolean {
  return text.includes('dependencies') || isCargoWorkspace(text);
}

export function isCargoWorkspace(text: string): boolean {
  return /^[ \t]*\[workspace\][ \t]*(#.*)?$/m.test(text);
}

export function isUvWorkspace(text: string): boolean {
  return /^[ \t]*\[tool\.uv\.workspace\][ \t]*(#.*)?$/m.test(text);
}

export function gradleNeedsLock(text: string): boolean {
  return text.includes('dependencies');
}

export function gemfileNeedsLock(text: string): boolean {
  return /^[ \t]*(gem|gemspec)\b/m.test(text);
}

export function nugetNeedsLock(text: string): boolean {
  return text.includes('<PackageReference') || text.includes('<package ');
}

export interface RequirementsAnalysis {
  /** Requirement lines (options, includes, editable and local installs are not counted). */
  requirements: number;
  unpinned: UnpinnedLine[];
}

/** One exact version: `name==1.2.3` or `name===1.2.3`, with optional extras, no wildcard. */
const pinnedRequirement = /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?===?[^,*<>=!~]+$/;
/** A direct reference that names an immutable commit or carries a hash. */
const immutableReference = /@[0-9a-f]{40}\b|#sha(256|384|512)=/;

/**
 * Reads a pip requirements file. A line counts as pinned when it fixes one exact version with
 * `==`; everything else (ranges, bare names, URLs without a commit or hash) is reported.
 */
export function analyzeRequirements(text: string): RequirementsAnalysis {
  const unpinned: UnpinnedLine[] = [];
  let requirements = 0;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const firstLine = index + 1;
    let line = lines[index] ?? '';
    // A trailing backslash continues the requirement on the next line.
    while (line.endsWith('\\') && index + 1 < lines.length && line.length <= maxLineLength) {
      index++;
      line = `${line.slice(0, -1)} ${lines[index] ?? ''}`;
    }
    if (line.length > maxLineLength) {
      requirements++;
      unpinned.push({ line: firstLine, text: excerpt(line), reason: 'line too long to read' });
      continue;
    }
    const content = line.replace(/(^|\s)#.*$/, '').trim();
    if (content.length === 0 || content.startsWith('-')) continue;
    if (/^(\.|\/|file:)/.test(content)) continue;
    requirements++;
    // Options such as --hash and environment markers follow the requirement itself.
    const requirement = content.split(/\s--|;/)[0] ?? '';
    if (requirement.includes('@') || /^[a-z+]+:\/\//.test(requirement)) {
      if (!immutableReference.test(content)) {
        unpinned.push({
          line: firstLine,
          text: excerpt(content),
          reason: 'direct reference without a commit or hash',
        });
      }
      continue;
    }
    if (!pinnedRequirement.test(requirement.replace(/\s+/g, ''))) {
      unpinned.push({ line: firstLine, text: excerpt(content), reason: 'no exact == version' });
    }
  }
  return { requirements, unpinned };
}

const versionElement = /<version>([^<]*)<\/version>/g;
const simpleElement = /<([A-Za-z0-9._-]{1,100})>([^<]*)<\//g;

/**
 * Maven has no lockfile; a pom.xml is as good as locked when every version is literal. Reports
 * version ranges (`[1.0,2.0)`) and the moving `LATEST` and `RELEASE`, in `<version>` elements
 * and in `*version` properties.
 */
export function analyzePom(text: string): UnpinnedLine[] {
  const unpinned: UnpinnedLine[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.length > maxLineLength || !line.includes('ersion>')) continue;
    const values: string[] = [];
    for (const match of line.matchAll(versionElement)) values.push(match[1] ?? '');
    for (const match of line.matchAll(simpleElement)) {
      const name = match[1] ?? '';
      if (name !== 'version' && name.toLowerCase().endsWith('version')) values.push(match[2] ?? '');
    }
    for (const value of values.map((text) => text.trim())) {
      const reason = mavenVersionProblem(value);
      if (reason) {
        unpinned.push({ line: index + 1, text: excerpt(line), reason });
        break;
      }
    }
  }
  return unpinned;
}

function mavenVersionProblem(version: string): string | undefined {
  if (version === 'LATEST' || version === 'RELEASE') return `moving version ${version}`;
  if (/^[[(]/.test(version) && version.includes(',')) return `version range ${version}`;
  return undefined;
}

export interface IntegrityCount {
  /** Packages fetched from a registry or tarball URL, which should carry an integrity hash. */
  entries: number;
  withoutIntegrity: number;
}

const maxLockfileDepth = 64;

/**
 * Counts package-lock.json (or npm-shrinkwrap.json) entries without an `integrity` hash.
 * Version 2 and 3 keep a flat `packages` map; version 1 nests `dependencies`. Links, bundled
 * packages, local folders and git dependencies have no hash to carry and are not counted.
 */
export function countIntegrity(json: unknown): IntegrityCount | undefined {
  const lock = readWith(PackageLock, json);
  if (!lock) return undefined;
  const count: IntegrityCount = { entries: 0, withoutIntegrity: 0 };
  if (lock.packages) {
    for (const [key, entry] of Object.entries(lock.packages)) {
      if (key === '' || !entry || entry.link === true || entry.inBundle === true) continue;
      countEntry(count, entry, entry.resolved);
    }
    return count;
  }
  countNested(count, lock.dependencies, 0);
  return count;
}

function countNested(
  count: IntegrityCount,
  dependencies: Record<string, PackageLockEntry | null> | undefined,
  depth: number,
): void {
  if (!dependencies || depth > maxLockfileDepth) return;
  for (const entry of Object.values(dependencies)) {
    if (!entry) continue;
    if (entry.bundled !== true) countEntry(count, entry, entry.resolved ?? entry.version);
    countNested(count, entry.dependencies, depth + 1);
  }
}

function countEntry(count: IntegrityCount, entry: PackageLockEntry, source: string | undefined): void {
  if (source !== undefined && /^(file:|link:|git\+|git:|github:|gitlab:|bitbucket:)/.test(source)) return;
  count.entries++;
  if (!entry.integrity) count.withoutIntegrity++;
}
