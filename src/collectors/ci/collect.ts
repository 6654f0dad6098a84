import type { RepositorySnapshot } from '../../kernel/index.js';
import { type CiSystem, ciSystemOf, findTestCommand, type TestCommand } from '../../pipelines/index.js';

export interface CiFile {
  system: CiSystem;
  path: string;
  /** False when the file could not be read as text (the snapshot records why). */
  readable: boolean;
  /** Only the first `maxCiFileBytes` were searched. */
  truncated: boolean;
  /** The first line that runs tests, when one does. */
  testCommand?: TestCommand;
}

export interface CiFacts {
  files: CiFile[];
}

export const maxCiFileBytes = 1024 * 1024;

export async function collectCi(repository: RepositorySnapshot): Promise<CiFacts> {
  const files: CiFile[] = [];
  for (const path of repository.files) {
    const system = ciSystemOf(path);
    if (!system) continue;
    const file = await repository.readText(path, maxCiFileBytes);
    if (!file) {
      files.push({ system, path, readable: false, truncated: false });
      continue;
    }
    if (file.truncated) {
      repository.problems.push({
        severity: 'warning',
        code: 'FILE_TRUNCATED',
        message: `${path} is larger than ${maxCiFileBytes / 1024 / 1024} MB; only its beginning was searched for test commands`,
        location: { path },
      });
    }
    const ciFile: CiFile = { system, path, readable: true, truncated: file.truncated };
    const testCommand = findTestCommand(file.text);
    if (testCommand) ciFile.testCommand = testCommand;
    files.push(ciFile);
  }
  return { files };
}
