import type { RepositorySnapshot } from '../../kernel/index.js';
import type { PipelineSet } from '../../pipelines/index.js';
import { loadPipelines } from '../../pipelines/index.js';
import { listReleaseTags } from '../../source-control/index.js';

export interface PipelinesFacts {
  set: PipelineSet;
  /** `.github/dependabot.yml`, which asks GitHub for dependency alerts and updates. */
  dependabotConfig?: string;
  /** What says this repository releases something, when anything does. */
  releases?: Releases;
}

export interface Releases {
  /** `package.json names a publishable package (name@version, not private)`. */
  publishable?: string;
  /** Release tags (v1.2.3 and the like) and the newest-named one. */
  tags: number;
  example?: string;
}

const dependabotPaths = ['.github/dependabot.yml', '.github/dependabot.yaml'];

/**
 * Parses every pipeline once. A file that cannot be parsed is reported as a problem of the
 * assessment, with its location, and the other files go on.
 */
export async function collectPipelines(repository: RepositorySnapshot): Promise<PipelinesFacts> {
  const set = await loadPipelines(repository);
  for (const error of set.errors) {
    const problem = { severity: 'error' as const, code: error.code, message: error.message };
    repository.problems.push(error.location ? { ...problem, location: error.location } : problem);
  }
  const facts: PipelinesFacts = { set };
  const dependabot = dependabotPaths.find((path) => repository.has(path));
  if (dependabot) facts.dependabotConfig = dependabot;
  const releases = await describeReleases(repository);
  if (releases) facts.releases = releases;
  return facts;
}

/** What says this repository releases: a publishable package manifest, release tags. */
async function describeReleases(repository: RepositorySnapshot): Promise<Releases | undefined> {
  const releases: Releases = { tags: 0 };
  const manifest = repository.has('package.json') ? await repository.readText('package.json') : undefined;
  try {
    const json: unknown = manifest ? JSON.parse(manifest.text) : undefined;
    if (json && typeof json === 'object') {
      const { name, version, private: unpublished } = json as Record<string, unknown>;
      if (typeof name === 'string' && typeof version === 'string' && unpublished !== true)
        releases.publishable = `package.json names a publishable package (${name}@${version}, not private)`;
    }
  } catch {
    // An unreadable manifest is another collector's problem to report; it says nothing here.
  }
  if (repository.isGitRepository) {
    const tags = (await listReleaseTags((args) => repository.gitText(args))).map((tag) => tag.name);
    releases.tags = tags.length;
    const example = tags.at(-1);
    if (example !== undefined) releases.example = example;
  }
  return releases.publishable !== undefined || releases.tags > 0 ? releases : undefined;
}
