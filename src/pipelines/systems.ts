/**
 * The CI systems shipguard knows and where each keeps its pipeline definition: the one list the
 * ci and pipelines collectors, the pipeline loader and their evidence share.
 */

export type CiSystem =
  | 'github-actions'
  | 'gitlab-ci'
  | 'jenkins'
  | 'circleci'
  | 'azure-pipelines'
  | 'bitbucket-pipelines'
  | 'buildkite'
  | 'travis'
  | 'drone';

/** Where each CI system keeps its pipeline definition, as a reader would write it (for evidence). */
export const ciLocations: readonly { system: CiSystem; location: string }[] = [
  { system: 'github-actions', location: '.github/workflows/*.yml' },
  { system: 'github-actions', location: '.github/workflows/*.yaml' },
  { system: 'gitlab-ci', location: '.gitlab-ci.yml' },
  { system: 'jenkins', location: 'Jenkinsfile' },
  { system: 'circleci', location: '.circleci/config.yml' },
  { system: 'azure-pipelines', location: 'azure-pipelines.yml' },
  { system: 'azure-pipelines', location: '.azure-pipelines/*.yml' },
  { system: 'bitbucket-pipelines', location: 'bitbucket-pipelines.yml' },
  { system: 'buildkite', location: '.buildkite/pipeline.yml' },
  { system: 'travis', location: '.travis.yml' },
  { system: 'drone', location: '.drone.yml' },
];

/** The locations of the given systems, in the order of `ciLocations`. */
export function locationsOf(systems: readonly CiSystem[]): string[] {
  return ciLocations.filter((entry) => systems.includes(entry.system)).map((entry) => entry.location);
}

/** A GitHub Actions workflow file. */
export function isWorkflowPath(path: string): boolean {
  return /^\.github\/workflows\/[^/]+\.ya?ml$/.test(path);
}

/** The CI system a file at `path` configures, or undefined. */
export function ciSystemOf(path: string): CiSystem | undefined {
  if (isWorkflowPath(path)) return 'github-actions';
  if (path === '.gitlab-ci.yml' || path === '.gitlab-ci.yaml') return 'gitlab-ci';
  if (/^(?:.*\/)?Jenkinsfile(?:\.[A-Za-z0-9_-]+)?$/.test(path)) return 'jenkins';
  if (/^\.circleci\/config\.ya?ml$/.test(path)) return 'circleci';
  if (/^(?:azure-pipelines\.ya?ml|\.azure-pipelines\/[^/]+\.ya?ml|\.pipelines\/[^/]+\.ya?ml)$/.test(path))
    return 'azure-pipelines';
  if (path === 'bitbucket-pipelines.yml') return 'bitbucket-pipelines';
  if (/^(?:\.buildkite\/pipeline(?:\.[a-z0-9-]+)?\.ya?ml|buildkite\.ya?ml)$/.test(path)) return 'buildkite';
  if (path === '.travis.yml') return 'travis';
  if (path === '.drone.yml' || path === '.drone.yaml') return 'drone';
  return undefined;
}
