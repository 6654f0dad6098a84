import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { resolveRepositoryRoot } from './repository-root.js';

let repository: TestRepository | undefined;

afterEach(() => repository?.remove());

describe('resolveRepositoryRoot', () => {
  it('climbs from a subfolder to the top of the git work tree', async () => {
    repository = createTestRepository();
    repository.write({ 'src/app/index.ts': 'export {};\n' });
    repository.commit('initial');
    expect(await resolveRepositoryRoot(join(repository.path, 'src', 'app'))).toBe(
      realpathSync(repository.path),
    );
  });

  it('returns the real path of a folder that is not in a repository', async () => {
    repository = createTestRepository({ git: false });
    mkdirSync(join(repository.path, 'real'));
    symlinkSync(join(repository.path, 'real'), join(repository.path, 'link'));
    expect(await resolveRepositoryRoot(join(repository.path, 'link'))).toBe(
      realpathSync(join(repository.path, 'real')),
    );
  });

  it('fails with REPOSITORY_NOT_FOUND for a missing folder', async () => {
    repository = createTestRepository({ git: false });
    await expect(resolveRepositoryRoot(join(repository.path, 'missing'))).rejects.toMatchObject({
      code: 'REPOSITORY_NOT_FOUND',
    });
  });
});
