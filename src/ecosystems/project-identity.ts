import { parse as parseToml } from 'smol-toml';
import type { RepositorySnapshot } from '../kernel/index.js';

/** What a repository calls itself in its root manifest: the SBOM's root component. */
export interface ProjectIdentity {
  name: string;
  version?: string;
  /** The manifest it was read from. */
  source: string;
}

const maxManifestBytes = 1024 * 1024;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' && value.length <= 214 ? value.trim() : undefined;
}

function fromPackageJson(content: string): Omit<ProjectIdentity, 'source'> | undefined {
  const json = JSON.parse(content) as { name?: unknown; version?: unknown };
  const name = text(json.name);
  if (name === undefined) return undefined;
  const version = text(json.version);
  return version === undefined ? { name } : { name, version };
}

function fromToml(
  content: string,
  table: 'project' | 'package',
): Omit<ProjectIdentity, 'source'> | undefined {
  const parsed = parseToml(content) as Record<string, unknown>;
  let section = parsed[table] as Record<string, unknown> | undefined;
  // Poetry keeps the name under [tool.poetry].
  if (section?.['name'] === undefined && table === 'project')
    section = (parsed['tool'] as Record<string, Record<string, unknown>> | undefined)?.['poetry'];
  const name = text(section?.['name']);
  if (name === undefined) return undefined;
  const version = text(section?.['version']);
  return version === undefined ? { name } : { name, version };
}

function fromGoMod(content: string): Omit<ProjectIdentity, 'source'> | undefined {
  const name = /^module\s+("?)([^\s"]{1,214})\1\s*$/m.exec(content)?.[2];
  return name === undefined ? undefined : { name };
}

const readers: ReadonlyArray<[string, (content: string) => Omit<ProjectIdentity, 'source'> | undefined]> = [
  ['package.json', fromPackageJson],
  ['pyproject.toml', (content) => fromToml(content, 'project')],
  ['Cargo.toml', (content) => fromToml(content, 'package')],
  ['go.mod', fromGoMod],
];

/**
 * The name (and version) the root manifest declares, in the order above; undefined when there is
 * none or none can be read (the caller falls back to the folder's name). A manifest that does not
 * parse names nothing rather than failing the SBOM: its lockfile is what the SBOM is made of.
 */
export async function readProjectIdentity(
  repository: RepositorySnapshot,
): Promise<ProjectIdentity | undefined> {
  for (const [file, read] of readers) {
    if (!repository.has(file)) continue;
    const content = await repository.readText(file, maxManifestBytes);
    if (!content || content.truncated) continue;
    try {
      const identity = read(content.text);
      if (identity) return { ...identity, source: file };
    } catch {
      // Not parseable: try the next manifest.
    }
  }
  return undefined;
}
