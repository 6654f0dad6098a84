import { describe, expect, it } from 'vitest';
import { loadedSystems } from './load.js';
import { systemOfPath } from './other-systems.js';
import { ciLocations, ciSystemOf, locationsOf } from './systems.js';

describe('ciSystemOf', () => {
  it('knows the CI file locations and nothing else', () => {
    expect(ciSystemOf('.github/workflows/a.yaml')).toBe('github-actions');
    expect(ciSystemOf('.github/workflows/a.json')).toBeUndefined();
    expect(ciSystemOf('.github/workflows/sub/a.yml')).toBeUndefined();
    expect(ciSystemOf('.gitlab-ci.yaml')).toBe('gitlab-ci');
    expect(ciSystemOf('sub/.gitlab-ci.yml')).toBeUndefined();
    expect(ciSystemOf('.azure-pipelines/x/y.yml')).toBeUndefined();
    expect(ciSystemOf('.travis.yml')).toBe('travis');
    expect(ciSystemOf('README.md')).toBeUndefined();
  });

  it('finds a Jenkinsfile in any folder, as the pipeline reader does (monorepos keep one per service)', () => {
    expect(ciSystemOf('Jenkinsfile')).toBe('jenkins');
    expect(ciSystemOf('services/api/Jenkinsfile')).toBe('jenkins');
    expect(ciSystemOf('Jenkinsfile.release')).toBe('jenkins');
    expect(systemOfPath('services/api/Jenkinsfile')).toBe('jenkins');
  });

  it('matches a path of every location it lists, under the system it names', () => {
    for (const { system, location } of ciLocations) {
      expect(ciSystemOf(location.replace('*', 'ci')), location).toBe(system);
    }
  });

  it('lists the locations of the systems the loader reads, without the ones it does not', () => {
    const locations = locationsOf(loadedSystems);
    expect(locations).toContain('Jenkinsfile');
    expect(locations).toContain('.github/workflows/*.yaml');
    expect(locations).not.toContain('.travis.yml');
    expect(systemOfPath('.travis.yml')).toBeUndefined();
    expect(systemOfPath('.github/workflows/a.yml')).toBeUndefined();
  });
});
