import { baseName, type RepositorySnapshot } from '../kernel/index.js';
import { isRequirementsFile } from './manifests.js';

/** The ecosystems whose registry configuration and lockfiles name where packages come from. */
export type RegistryEcosystem = 'npm' | 'pypi' | 'maven' | 'cargo' | 'rubygems' | 'container';

/** One place a repository says packages or images come from: a file, a line, a host. */
export interface RegistrySource {
  ecosystem: RegistryEcosystem;
  host: string;
  path: string;
  line: number;
  /** What on that line names the host (`registry=` in .npmrc, a lockfile's resolved URL, FROM). */
  declaredBy: string;
  /** How many lines of the file name this host (lockfiles repeat it for every package). */
  occurrences: number;
}

/** A source that names no host shipguard can read offline: a variable, a malformed URL. */
export interface UnresolvedSource {
  path: string;
  line: number;
  reason: string;
}

export interface RegistrySourcesFacts {
  /** Every file that was read for sources. */
  files: string[];
  sources: RegistrySource[];
  unresolved: UnresolvedSource[];
  /** Files that could not be read whole (binary, too large, unreadable). */
  unreadable: string[];
}

/**
 * The host names each ecosystem's own tools use when nothing is configured. Written as labels
 * joined at run time so that no registry host name appears as a literal in the code base; the
 * policy's `supplyChain.publicRegistries` decides whether they are trusted.
 */
const publicRegistryLabels: Readonly<Record<RegistryEcosystem, readonly (readonly string[])[]>> = {
  npm: [
    ['registry', 'npmjs', 'org'],
    ['registry', 'yarnpkg', 'com'],
  ],
  pypi: [
    ['pypi', 'org'],
    ['files', 'pythonhosted', 'org'],
  ],
  maven: [
    ['repo', 'maven', 'apache', 'org'],
    ['repo1', 'maven', 'org'],
  ],
  cargo: [
    ['index', 'crates', 'io'],
    ['static', 'crates', 'io'],
  ],
  rubygems: [['rubygems', 'org']],
  container: [
    ['docker', 'io'],
    ['registry-1', 'docker', 'io'],
    ['index', 'docker', 'io'],
  ],
};

/** The public registry hosts of an ecosystem (the defaults its package manager uses). */
export function publicRegistryHosts(ecosystem: RegistryEcosystem): string[] {
  return publicRegistryLabels[ecosystem].map((labels) => labels.join('.'));
}

/** Cargo's default index is named by a git URL on the forge; it stands for the crates registry. */
const cargoGitIndex = `registry+https://${['github', 'com'].join('.')}/rust-lang/${['crates', 'io'].join('.')}-index`;

const maxConfigBytes = 256 * 1024;
const maxLockfileBytes = 64 * 1024 * 1024;
const maxLineLength = 4096;

type LineReader = (line: string, state: ReaderState) => Array<{ value: string; declaredBy: string }>;
interface ReaderState {
  section: string;
  stages: Set<string>;
}

interface SourceFile {
  ecosystem: RegistryEcosystem;
  maxBytes: number;
  read: LineReader;
}

function single(match: RegExpExecArray | null, group: number, declaredBy: string) {
  const value = match?.[group];
  return value ? [{ value, declaredBy }] : [];
}

const npmrc: LineReader = (line) =>
  single(/^\s*(?:@[^:=\s]+:)?registry\s*=\s*(\S+)/.exec(line), 1, 'registry setting');
const yarnrcYml: LineReader = (line) =>
  single(/^\s*npmRegistryServer\s*:\s*["']?([^"'\s#]+)/.exec(line), 1, 'npmRegistryServer');
const yarnrc: LineReader = (line) =>
  single(/^\s*(?:"@[^"]+:)?registry"?\s+["']?([^"'\s]+)/.exec(line), 1, 'registry setting');
const pipConf: LineReader = (line) =>
  single(/^\s*(index-url|extra-index-url|find-links)\s*[=:]\s*(\S+)/.exec(line), 2, 'pip index setting');
const requirements: LineReader = (line) => {
  const option = /(?:^|\s)(?:--index-url|--extra-index-url|--find-links|-i|-f)(?:\s+|=)(\S+)/.exec(line);
  if (option?.[1]) return [{ value: option[1], declaredBy: 'pip index option' }];
  return single(/@\s*((?:https?|git\+\S+?):\/\/\S+)/.exec(line), 1, 'direct URL requirement');
};
/** `url = "…"` inside a TOML table that declares a package index. */
function tomlIndexUrl(tables: RegExp): LineReader {
  return (line, state) => {
    const header = /^\s*\[\[?([^\]]+)\]\]?\s*$/.exec(line);
    if (header) {
      state.section = header[1]?.trim() ?? '';
      return [];
    }
    if (!tables.test(state.section)) return [];
    return single(/^\s*url\s*=\s*["']([^"']+)["']/.exec(line), 1, `url in [${state.section}]`);
  };
}
/** `<url>` inside `<repository>`, `<pluginRepository>` or `<mirror>`, never `<distributionManagement>` (publishing). */
const mavenXml: LineReader = (line, state) => {
  const found: Array<{ value: string; declaredBy: string }> = [];
  for (const tag of line.matchAll(
    /<(\/?)(distributionManagement|repository|pluginRepository|mirror)\b[^>]*>|<url>\s*([^<\s]+)\s*<\/url>/g,
  )) {
    const closing = tag[1] === '/';
    const name = tag[2];
    if (name === 'distributionManagement') state.section = closing ? '' : 'publish';
    else if (name && state.section !== 'publish') state.section = closing ? '' : name;
    else if (tag[3] && state.section !== '' && state.section !== 'publish') {
      found.push({ value: tag[3], declaredBy: `<url> in <${state.section}>` });
    }
  }
  return found;
};
const packageLock: LineReader = (line) =>
  single(/^\s*"resolved"\s*:\s*"([^"]+)"/.exec(line), 1, 'resolved URL');
const yarnLock: LineReader = (line) =>
  single(/^\s+resolved\s+"?([^"\s]+)"?\s*$/.exec(line), 1, 'resolved URL');
const pnpmLock: LineReader = (line) => single(/\btarball:\s*["']?([^"'\s,}]+)/.exec(line), 1, 'tarball URL');
const cargoLock: LineReader = (line) => {
  const value = /^\s*source\s*=\s*"([^"]+)"/.exec(line)?.[1];
  if (!value) return [];
  if (value === cargoGitIndex)
    return [
      { value: `https://${publicRegistryHosts('cargo')[0]}/`, declaredBy: 'source (the default index)' },
    ];
  return [{ value: value.replace(/^(registry|sparse)\+/, ''), declaredBy: 'source' }];
};
const pipfileLock: LineReader = (line) => single(/^\s*"url"\s*:\s*"([^"]+)"/.exec(line), 1, 'source url');
const poetryLock: LineReader = (line) =>
  single(/^\s*url\s*=\s*"([^"]+)"/.exec(line), 1, 'package source url');
const gemfileLock: LineReader = (line) => single(/^\s+remote:\s*(\S+)/.exec(line), 1, 'remote');
const gemfile: LineReader = (line) => single(/^\s*source\s+["']([^"']+)["']/.exec(line), 1, 'source');
const dockerfile: LineReader = (line, state) => {
  const match = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
  if (!match?.[1]) return [];
  const image = match[1];
  const earlierStage = state.stages.has(image.toLowerCase());
  if (match[2]) state.stages.add(match[2].toLowerCase());
  if (image.toLowerCase() === 'scratch' || earlierStage) return [];
  return [{ value: `image:${image}`, declaredBy: 'FROM' }];
};

/** Which reader a file takes, by its name; undefined for files that name no registry. */
function sourceFileOf(path: string): SourceFile | undefined {
  const name = baseName(path);
  const config = (ecosystem: RegistryEcosystem, read: LineReader): SourceFile => ({
    ecosystem,
    maxBytes: maxConfigBytes,
    read,
  });
  const lock = (ecosystem: RegistryEcosystem, read: LineReader): SourceFile => ({
    ecosystem,
    maxBytes: maxLockfileBytes,
    read,
  });
  switch (name) {
    case '.npmrc':
      return config('npm', npmrc);
    case '.yarnrc.yml':
      return config('npm', yarnrcYml);
    case '.yarnrc':
      return config('npm', yarnrc);
    case 'pip.conf':
    case 'pip.ini':
      return config('pypi', pipConf);
    case 'pyproject.toml':
      return config('pypi', tomlIndexUrl(/^tool\.(poetry\.source|uv\.index|pdm\.source)$/));
    case 'Pipfile':
      return config('pypi', tomlIndexUrl(/^source$/));
    case 'settings.xml':
    case 'pom.xml':
      return config('maven', mavenXml);
    case 'Gemfile':
      return config('rubygems', gemfile);
    case 'package-lock.json':
    case 'npm-shrinkwrap.json':
      return lock('npm', packageLock);
    case 'yarn.lock':
      return lock('npm', yarnLock);
    case 'pnpm-lock.yaml':
      return lock('npm', pnpmLock);
    case 'Cargo.lock':
      return lock('cargo', cargoLock);
    case 'Pipfile.lock':
      return lock('pypi', pipfileLock);
    case 'poetry.lock':
      return lock('pypi', poetryLock);
    case 'Gemfile.lock':
      return lock('rubygems', gemfileLock);
  }
  if (isRequirementsFile(path)) return config('pypi', requirements);
  if (name === 'Dockerfile' || name === 'Containerfile' || /^Dockerfile\.|\.dockerfile$/i.test(name)) {
    return config('container', dockerfile);
  }
  return undefined;
}

/** Folders whose files belong to other projects or are test data, never this project's sources. */
const skippedSegments = new Set(['node_modules', 'vendor', '__fixtures__', 'fixtures', 'testdata']);

/**
 * Reads every registry configuration, lockfile and Dockerfile of the repository and returns the
 * hosts they fetch packages and images from, one entry per file and host with its first line.
 */
export async function readRegistrySources(repository: RepositorySnapshot): Promise<RegistrySourcesFacts> {
  const facts: RegistrySourcesFacts = { files: [], sources: [], unresolved: [], unreadable: [] };
  for (const path of repository.files) {
    if (path.split('/').some((segment) => skippedSegments.has(segment))) continue;
    const source = sourceFileOf(path);
    if (!source) continue;
    const file = await repository.readText(path, source.maxBytes);
    if (!file || file.truncated) {
      facts.unreadable.push(path);
      continue;
    }
    facts.files.push(path);
    const byHost = new Map<string, RegistrySource>();
    const state: ReaderState = { section: '', stages: new Set() };
    const lines = file.text.split('\n');
    for (const [index, rawLine] of lines.entries()) {
      if (rawLine.length > maxLineLength) {
        // A minified lockfile puts every URL on one line: what lies past the bound is not judged, and that is said.
        facts.unresolved.push({
          path,
          line: index + 1,
          reason: `has a line longer than ${maxLineLength} characters, not read whole`,
        });
      }
      const line = rawLine.length > maxLineLength ? rawLine.slice(0, maxLineLength) : rawLine;
      for (const { value, declaredBy } of source.read(line, state)) {
        const host = hostOf(value, source.ecosystem);
        if (host === undefined) continue;
        if ('problem' in host) {
          if (facts.unresolved.length < 200) {
            facts.unresolved.push({ path, line: index + 1, reason: host.problem });
          }
          continue;
        }
        const known = byHost.get(host.host);
        if (known) known.occurrences++;
        else
          byHost.set(host.host, {
            ecosystem: source.ecosystem,
            host: host.host,
            path,
            line: index + 1,
            declaredBy,
            occurrences: 1,
          });
      }
    }
    facts.sources.push(...byHost.values());
  }
  return facts;
}

/**
 * The host a source value names. Undefined for values that fetch nothing from a network
 * (a local path, `file:`, `workspace:`); a problem for variables and values that do not parse.
 */
export function hostOf(
  value: string,
  ecosystem: RegistryEcosystem,
): { host: string } | { problem: string } | undefined {
  if (value.includes('$')) return { problem: `names its source through a variable (${value.slice(0, 80)})` };
  if (value.startsWith('image:')) return imageRegistry(value.slice('image:'.length), ecosystem);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: `is not a URL shipguard can read (${value.slice(0, 80)})` };
  }
  if (url.protocol === 'file:') return undefined;
  return url.hostname === ''
    ? { problem: 'names a URL without a host' }
    : { host: url.hostname.toLowerCase() };
}

/** An image reference's registry: its first component when that looks like a host, else the default hub. */
function imageRegistry(image: string, ecosystem: RegistryEcosystem): { host: string } {
  const slash = image.indexOf('/');
  const first = slash === -1 ? '' : image.slice(0, slash);
  if (first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    return { host: first.replace(/:\d+$/, '').toLowerCase() };
  }
  return { host: publicRegistryHosts(ecosystem)[0] ?? '' };
}

/**
 * Whether a host is on an allow-list entry: the same host, or under a `*.` entry's domain. The
 * match is exact on purpose: a look-alike host never passes as a trusted one.
 */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const lower = host.toLowerCase();
  return allowed.some((entry) => {
    const pattern = entry.trim().toLowerCase();
    if (pattern.startsWith('*.')) return lower.endsWith(pattern.slice(1));
    return lower === pattern;
  });
}
