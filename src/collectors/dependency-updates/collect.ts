import { isMap, isScalar, isSeq, LineCounter } from 'yaml';
import { findManifests, type Manifest, type ManifestEcosystem } from '../../ecosystems/index.js';
import type { RepositorySnapshot } from '../../kernel/index.js';
import { parseYamlDocument } from '../../kernel/index.js';

export const dependabotLocations = ['.github/dependabot.yml', '.github/dependabot.yaml'] as const;
export const renovateLocations = [
  'renovate.json',
  'renovate.json5',
  '.renovaterc',
  '.renovaterc.json',
  '.renovaterc.json5',
  '.github/renovate.json',
  '.github/renovate.json5',
  '.gitlab/renovate.json',
  '.gitlab/renovate.json5',
] as const;

export interface DependabotUpdate {
  ecosystem: string;
  line: number;
  directory?: string;
  /** `schedule.interval` as written (daily, weekly, monthly, quarterly, semiannually, yearly, cron). */
  interval?: string;
  /** The line of `schedule.interval`, for findings. */
  intervalLine?: number;
}

export interface ConfigProblem {
  message: string;
  line?: number;
}

export interface DependabotConfig {
  path: string;
  readable: boolean;
  updates: DependabotUpdate[];
  /** YAML errors and shape problems, with the line where known. */
  problems: ConfigProblem[];
}

export interface RenovateConfig {
  path: string;
  /** Where the configuration starts: line 1 of a file, or the `renovate` key in package.json. */
  line: number;
  /** Set when the configuration says `"enabled": false`. */
  disabled: boolean;
  /** Set when the file could not be read, or is not the JSON Renovate needs: it configures nothing. */
  problem?: 'unreadable' | 'invalid';
}

export interface DependencyUpdatesFacts {
  dependabot?: DependabotConfig;
  renovate: RenovateConfig[];
  /** How many dependency manifests the repository has (outside dependency and fixture folders). */
  manifestCount: number;
  /** The first few manifests, as examples. */
  manifestSample: string[];
  /** Each ecosystem the manifests use, with its first manifest, in name order. */
  manifestEcosystems: { ecosystem: ManifestEcosystem; example: string }[];
}

const maxConfigBytes = 256 * 1024;
const maxPackageJsonBytes = 1024 * 1024;

export async function collectDependencyUpdates(
  repository: RepositorySnapshot,
): Promise<DependencyUpdatesFacts> {
  const manifests = findManifests(repository);
  const facts: DependencyUpdatesFacts = {
    renovate: [],
    manifestCount: manifests.length,
    manifestSample: manifests.slice(0, 5).map((manifest) => manifest.path),
    manifestEcosystems: ecosystemsOf(manifests),
  };
  const dependabotPath = dependabotLocations.find((path) => repository.has(path));
  if (dependabotPath) {
    const file = await repository.readText(dependabotPath, maxConfigBytes);
    facts.dependabot = file
      ? { path: dependabotPath, readable: true, ...readDependabot(file.text) }
      : { path: dependabotPath, readable: false, updates: [], problems: [] };
  }
  for (const path of renovateLocations) {
    if (!repository.has(path)) continue;
    const file = await repository.readText(path, maxConfigBytes);
    facts.renovate.push({ path, line: 1, ...renovateFileState(path, file?.text) });
  }
  if (repository.has('package.json')) {
    const file = await repository.readText('package.json', maxPackageJsonBytes);
    const config = file ? renovateInPackageJson(file.text) : undefined;
    if (config) facts.renovate.push({ path: 'package.json', ...config });
  }
  return facts;
}

function ecosystemsOf(manifests: readonly Manifest[]): DependencyUpdatesFacts['manifestEcosystems'] {
  const first = new Map<ManifestEcosystem, string>();
  for (const manifest of manifests)
    if (!first.has(manifest.ecosystem)) first.set(manifest.ecosystem, manifest.path);
  return [...first]
    .map(([ecosystem, example]) => ({ ecosystem, example }))
    .sort((a, b) => a.ecosystem.localeCompare(b.ecosystem));
}

/**
 * Reads the `updates` of a Dependabot configuration (version 2) with their lines. Malformed YAML
 * becomes problems with the line the parser points at, never an exception.
 */
export function readDependabot(text: string): { updates: DependabotUpdate[]; problems: ConfigProblem[] } {
  const lineCounter = new LineCounter();
  const document = parseYamlDocument(text, { lineCounter, uniqueKeys: false });
  const problems: ConfigProblem[] = document.errors.map((error) => {
    // The first line of the message, without the position the parser appends (it is in `line`).
    const firstLine = error.message.split('\n')[0] ?? error.message;
    const problem: ConfigProblem = { message: firstLine.replace(/ at line \d+, column \d+:$/, '') };
    const line = error.linePos?.[0]?.line ?? lineOf(lineCounter, error.pos);
    problem.line = line;
    return problem;
  });
  if (problems.length > 0) return { updates: [], problems };

  const root = document.contents;
  if (!isMap(root))
    return { updates: [], problems: [{ message: 'the file is not a YAML mapping', line: 1 }] };
  const updatesNode = root.get('updates', true);
  if (!isSeq(updatesNode)) {
    return {
      updates: [],
      problems: [{ message: 'no `updates` list', line: lineOf(lineCounter, root.range) }],
    };
  }
  const updates: DependabotUpdate[] = [];
  for (const item of updatesNode.items) {
    if (!isMap(item)) {
      problems.push({
        message: 'an `updates` entry is not a mapping',
        line: lineOf(lineCounter, nodeRange(item)),
      });
      continue;
    }
    const ecosystem = item.get('package-ecosystem', true);
    if (!isScalar(ecosystem) || typeof ecosystem.value !== 'string' || ecosystem.value.length === 0) {
      problems.push({
        message: 'an `updates` entry has no package-ecosystem',
        line: lineOf(lineCounter, item.range),
      });
      continue;
    }
    const update: DependabotUpdate = {
      ecosystem: ecosystem.value,
      line: lineOf(lineCounter, ecosystem.range),
    };
    const directory = item.get('directory', true);
    if (isScalar(directory) && typeof directory.value === 'string') update.directory = directory.value;
    const schedule = item.get('schedule', true);
    const interval = isMap(schedule) ? schedule.get('interval', true) : undefined;
    if (isScalar(interval) && typeof interval.value === 'string') {
      update.interval = interval.value.slice(0, 40);
      update.intervalLine = lineOf(lineCounter, interval.range);
    }
    updates.push(update);
  }
  return { updates, problems };
}

function nodeRange(node: unknown): readonly number[] | undefined {
  if (typeof node === 'object' && node !== null && 'range' in node && Array.isArray(node.range)) {
    return node.range as number[];
  }
  return undefined;
}

function lineOf(lineCounter: LineCounter, range: readonly number[] | null | undefined): number {
  return range?.[0] === undefined ? 1 : lineCounter.linePos(range[0]).line;
}

/**
 * What a Renovate file says: `"enabled": false` at its top level, or that it configures nothing
 * (unreadable, or JSON that does not parse to an object: Renovate refuses it). JSON5 files are
 * not parsed; one that holds any text counts as a configuration.
 */
function renovateFileState(
  path: string,
  text: string | undefined,
): Pick<RenovateConfig, 'disabled' | 'problem'> {
  if (text === undefined) return { disabled: false, problem: 'unreadable' };
  if (path.endsWith('.json5'))
    return text.trim() === '' ? { disabled: false, problem: 'invalid' } : { disabled: false };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { disabled: false, problem: 'invalid' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { disabled: false, problem: 'invalid' };
  return { disabled: isDisabled(parsed) };
}

function isDisabled(config: unknown): boolean {
  return typeof config === 'object' && config !== null && 'enabled' in config && config.enabled === false;
}

/** The `renovate` key of a package.json, with its line, when it holds a configuration object. */
export function renovateInPackageJson(text: string): { line: number; disabled: boolean } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || !('renovate' in parsed)) return undefined;
  const config = parsed.renovate;
  if (typeof config !== 'object' || config === null) return undefined;
  const disabled = isDisabled(config);
  // The configuration is an object; a `"renovate": "^39"` dev dependency is not.
  const index = text.search(/"renovate"\s{0,64}:\s{0,64}\{/);
  const line = index === -1 ? 1 : text.slice(0, index).split('\n').length;
  return { line, disabled };
}
