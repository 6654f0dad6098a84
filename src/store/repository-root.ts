import { realpath, stat } from 'node:fs/promises';
import { RepositoryError, runGitText } from '../kernel/index.js';

/**
 * The absolute, symlink-free root of the repository `path` is in: the top of its git work tree
 * (`git rev-parse --show-toplevel`), or the folder itself when it is not in one. History is
 * keyed by this path, and the default store lives under it.
 */
export async function resolveRepositoryRoot(path: string): Promise<string> {
  let folder: string;
  try {
    folder = await realpath(path);
  } catch (error) {
    throw new RepositoryError('REPOSITORY_NOT_FOUND', `no such folder: ${path}`, { cause: error });
  }
  if (!(await stat(folder)).isDirectory()) {
    throw new RepositoryError('REPOSITORY_NOT_A_DIRECTORY', `not a folder: ${path}`);
  }
  let topLevel: string;
  try {
    topLevel = await runGitText(folder, ['rev-parse', '--show-toplevel']);
  } catch {
    return folder;
  }
  if (topLevel === '') return folder;
  try {
    return await realpath(topLevel);
  } catch {
    return folder;
  }
}
