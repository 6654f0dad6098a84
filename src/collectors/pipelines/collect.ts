import type { RepositorySnapshot } from '../../kernel/index.js';
import type { PipelineSet } from '../../pipelines/index.js';
import { loadPipelines } from '../../pipelines/index.js';

export interface PipelinesFacts {
  set: PipelineSet;
  /** `.github/dependabot.yml`, which asks GitHub for dependency alerts and updates. */
  dependabotConfig?: string;
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
  return facts;
}
