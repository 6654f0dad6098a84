import { afterEach, describe, expect, it } from 'vitest';
import { RepositorySnapshot } from '../kernel/index.js';
import { createTestRepository, type TestRepository } from '../testing/git-repository.js';
import { scanRepository } from './scan.js';

let repository: TestRepository | undefined;
afterEach(() => repository?.remove());

describe('scanRepository', () => {
  it('reports a lockfile it knows but cannot read, instead of passing over its packages', async () => {
    repository = createTestRepository({ git: false });
    repository.write({
      'package.json': JSON.stringify({ dependencies: { lodash: '^4.17.21' } }),
      'bun.lock': '{ "lockfileVersion": 1, "packages": {} }\n',
      'web/yarn.lock': '# yarn lockfile v1\n\nlodash@^4.17.21:\n  version "4.17.21"\n',
    });
    const scan = await scanRepository(await RepositorySnapshot.open(repository.path));
    expect(scan.errors.map((error) => [error.code, error.location?.path])).toEqual([
      ['LOCKFILE_UNSUPPORTED', 'bun.lock'],
    ]);
    expect(scan.lockfiles.map((lockfile) => lockfile.path)).toEqual(['web/yarn.lock']);
  });
});
